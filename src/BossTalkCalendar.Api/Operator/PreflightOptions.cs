namespace BossTalkCalendar.Api.Operator;

/// <summary>What the preflight check (<c>check</c>) looks at beyond the service's own settings (section <c>Check</c>).</summary>
public sealed class PreflightOptions
{
    public const string SectionName = "Check";

    /// <summary>A user (id or address) inside the app's mailbox scope, whose mailbox settings and calendar must be readable.</summary>
    public string? SampleUser { get; set; }

    /// <summary>Optional: a user outside the scope, whose mailbox Graph must refuse (403) when the scope is active.</summary>
    public string? OutOfScopeUser { get; set; }

    /// <summary>
    /// Testing only: a loopback origin standing in for https://login.microsoftonline.com (the Graph simulator). Token
    /// and discovery requests go there instead. Anything but a loopback http(s) origin fails the check.
    /// </summary>
    public string? LoopbackIdentityHost { get; set; }

    /// <summary>
    /// Testing, or a check run next to a TLS-terminating proxy: a loopback origin that receives the requests for
    /// <c>Service:PublicBaseUrl</c> (the pane and the notification handshake). Anything but loopback fails the check.
    /// </summary>
    public string? LoopbackPublicIngress { get; set; }
}

using System.Net;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.TaskPane;

/// <summary>
/// Task pane settings that live next to the manifest settings in section <c>AddIn</c>
/// (<c>AddIn:ClientId</c> and <c>AddIn:ApiScope</c> are read from the same section; the origin is <c>Service:PublicBaseUrl</c>).
/// </summary>
public sealed class TaskPaneOptions
{
    public const string SectionName = "AddIn";

    /// <summary>Microsoft's CDN copy, which the Marketplace requires for production add-ins.</summary>
    public const string DefaultOfficeJsUrl = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";

    /// <summary>
    /// The Outlook origins that embed the task pane in a frame (Outlook on the web under its old and new domains,
    /// the new Outlook for Windows, consumer Outlook and the Office web hosts).
    /// </summary>
    public static IReadOnlyList<string> DefaultFrameAncestors { get; } =
    [
        "https://outlook.office.com",
        "https://outlook.office365.com",
        "https://outlook.cloud.microsoft",
        "https://outlook.live.com",
        "https://*.outlook.com",
        "https://*.officeapps.live.com",
        "https://*.office.com",
        "https://*.cloud.microsoft",
    ];

    /// <summary>Where the pane loads Office.js from; the content security policy allows exactly this origin.</summary>
    public string OfficeJsUrl { get; set; } = DefaultOfficeJsUrl;

    /// <summary>Origins allowed to frame the pane; empty means <see cref="DefaultFrameAncestors"/>.</summary>
    public IList<string> FrameAncestors { get; set; } = [];

    /// <summary>Authority MSAL's nested app authentication signs in against.</summary>
    public string Authority { get; set; } = "https://login.microsoftonline.com/common";

    public IReadOnlyList<string> EffectiveFrameAncestors() =>
        FrameAncestors.Count == 0 ? DefaultFrameAncestors : [.. FrameAncestors.Select(a => a.Trim())];
}

internal sealed class TaskPaneOptionsValidator : IValidateOptions<TaskPaneOptions>
{
    public ValidateOptionsResult Validate(string? name, TaskPaneOptions options)
    {
        var failures = new List<string>();
        if (!IsScriptUrl(options.OfficeJsUrl))
        {
            failures.Add($"{TaskPaneOptions.SectionName}:OfficeJsUrl must be an absolute https URL of office.js (plain http only on a loopback host), e.g. {TaskPaneOptions.DefaultOfficeJsUrl}.");
        }

        if (!IsHttpsUrl(options.Authority))
        {
            failures.Add($"{TaskPaneOptions.SectionName}:Authority must be an absolute https URL such as https://login.microsoftonline.com/common.");
        }

        foreach (var ancestor in options.FrameAncestors)
        {
            if (!IsFrameAncestor(ancestor))
            {
                failures.Add($"{TaskPaneOptions.SectionName}:FrameAncestors entries must be https origins such as https://outlook.office.com (a leading '*.' in the host is allowed); got '{ancestor}'.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsScriptUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri)))
        && uri.UserInfo.Length == 0;

    private static bool IsHttpsUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps;

    // The value goes into a header verbatim, so only a plain origin (optionally with a host wildcard) passes.
    private static bool IsFrameAncestor(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || !value.StartsWith("https://", StringComparison.Ordinal))
        {
            return false;
        }

        var host = value["https://".Length..].Trim();
        if (host.StartsWith("*.", StringComparison.Ordinal))
        {
            host = host[2..];
        }

        return host.Length > 0 && Uri.CheckHostName(host.Split(':')[0]) == UriHostNameType.Dns
            && host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':');
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
}

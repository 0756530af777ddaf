namespace BossTalkCalendar.Api.Operator;

/// <summary>How <c>setup</c> reaches Microsoft Graph and names the app registration it manages (section <c>Setup</c>).</summary>
public sealed class SetupOptions
{
    public const string SectionName = "Setup";

    /// <summary>
    /// The Microsoft Graph command line tools' public client id, which device-code sign-in may use to ask an administrator
    /// for Application.ReadWrite.All (https://learn.microsoft.com/powershell/microsoftgraph/authentication-commands).
    /// </summary>
    public const string GraphCommandLineTools = "14d82eec-204b-4c2f-b7e8-296a70dab67e";

    /// <summary>
    /// Graph root for the app registration calls. A loopback URL is a Graph simulator: then no sign-in happens and no
    /// token is sent (as for <c>Graph:BaseUrl</c>); plain http is refused for anything else.
    /// </summary>
    public string GraphBaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";

    /// <summary>
    /// The application's alternate key (its <c>uniqueName</c>), which makes a second run find the registration the first
    /// one made. Ignored when <c>Graph:ClientId</c> names an existing registration.
    /// </summary>
    public string UniqueName { get; set; } = "bosstalkcalendar";

    /// <summary>The display name of a new registration.</summary>
    public string DisplayName { get; set; } = "BossTalkCalendar";

    /// <summary>The public client the administrator signs in through (device code).</summary>
    public string SignInClientId { get; set; } = GraphCommandLineTools;

    /// <summary>
    /// The mail-enabled security group whose members' mailboxes the app may use; it goes into the printed Exchange
    /// Online commands (RBAC for Applications). Empty: the commands carry a placeholder.
    /// </summary>
    public string? MailboxGroup { get; set; }
}

using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Graph;

/// <summary>How the service authenticates to Microsoft Graph (application permissions).</summary>
public enum GraphCredentialKind
{
    /// <summary>App registration with a client secret (<see cref="GraphOptions.ClientSecret"/>).</summary>
    ClientSecret,

    /// <summary>App registration with a certificate (<see cref="GraphOptions.CertificatePath"/>, optional password).</summary>
    Certificate,

    /// <summary>Azure managed identity (system-assigned, or user-assigned via <see cref="GraphOptions.ManagedIdentityClientId"/>).</summary>
    ManagedIdentity,

    /// <summary>Azure.Identity's DefaultAzureCredential chain (environment, workload identity, managed identity, developer tools).</summary>
    Default,
}

/// <summary>
/// Settings of the Graph gateway (section <c>Graph</c>). A loopback <see cref="BaseUrl"/> means a Graph
/// simulator: no credential is used and no Authorization header is sent.
/// </summary>
public sealed class GraphOptions
{
    public const string SectionName = "Graph";

    /// <summary>Graph root including the version segment, e.g. https://graph.microsoft.com/v1.0.</summary>
    public string BaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";

    public string? TenantId { get; set; }

    public string? ClientId { get; set; }

    public GraphCredentialKind Credential { get; set; } = GraphCredentialKind.ClientSecret;

    public string? ClientSecret { get; set; }

    /// <summary>PFX or PEM file holding the certificate and its private key.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>Client id of a user-assigned managed identity; empty for the system-assigned one.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>$top for calendarView and directReports pages (1–1000).</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>
    /// Requests in flight per mailbox (Exchange allows 4 per app and mailbox; a fifth is answered 429).
    /// 0 disables the limit.
    /// </summary>
    public int MaxConcurrentRequestsPerMailbox { get; set; } = 4;

    /// <summary>App-wide cap on requests per second sent to Graph; 0 means unlimited.</summary>
    public int MaxRequestsPerSecond { get; set; }

    /// <summary>
    /// How long a user's directory entry and manager are reused before asking Graph again; zero disables the cache.
    /// A day, because a manager rarely changes and every scan needs it: this is one request per user per day.
    /// </summary>
    public TimeSpan DirectoryCacheDuration { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long mailbox settings (time zone, working hours, language) are reused; zero disables the cache. Shorter
    /// than the directory's, because a traveller's time zone changes and placements must follow it.
    /// </summary>
    public TimeSpan MailboxSettingsCacheDuration { get; set; } = TimeSpan.FromHours(6);

    /// <summary>True when <see cref="BaseUrl"/> is an absolute URL on a loopback host (a local simulator).</summary>
    public bool IsLoopback =>
        Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) && uri.IsLoopback;
}

/// <summary>Start-up validation of <see cref="GraphOptions"/> with messages that name the setting to fix.</summary>
public sealed class GraphOptionsValidator : IValidateOptions<GraphOptions>
{
    public ValidateOptionsResult Validate(string? name, GraphOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var baseUrl)
            || (baseUrl.Scheme != Uri.UriSchemeHttps && baseUrl.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"Graph:BaseUrl must be an absolute http(s) URL such as https://graph.microsoft.com/v1.0 (got '{options.BaseUrl}').");
        }
        else if (baseUrl.Scheme == Uri.UriSchemeHttp && !baseUrl.IsLoopback)
        {
            failures.Add($"Graph:BaseUrl may use plain http only for a loopback simulator; use https for '{baseUrl.Host}'.");
        }

        if (options.PageSize is < 1 or > 1000)
        {
            failures.Add($"Graph:PageSize must be between 1 and 1000 (got {options.PageSize}).");
        }

        if (options.MaxConcurrentRequestsPerMailbox < 0)
        {
            failures.Add("Graph:MaxConcurrentRequestsPerMailbox must be 0 (no limit) or more.");
        }

        if (options.MaxRequestsPerSecond < 0)
        {
            failures.Add("Graph:MaxRequestsPerSecond must be 0 (unlimited) or more.");
        }

        if (options.DirectoryCacheDuration < TimeSpan.Zero)
        {
            failures.Add("Graph:DirectoryCacheDuration must not be negative.");
        }

        if (options.MailboxSettingsCacheDuration < TimeSpan.Zero)
        {
            failures.Add("Graph:MailboxSettingsCacheDuration must not be negative.");
        }

        if (baseUrl is not null && !baseUrl.IsLoopback)
        {
            ValidateCredential(options, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateCredential(GraphOptions options, List<string> failures)
    {
        const string Remote = "when Graph:BaseUrl is not a loopback simulator";
        if (string.IsNullOrWhiteSpace(options.TenantId))
        {
            failures.Add($"Graph:TenantId is required {Remote} (the directory (tenant) id of the app registration).");
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add($"Graph:ClientId is required {Remote} (the application (client) id of the app registration).");
        }

        switch (options.Credential)
        {
            case GraphCredentialKind.ClientSecret when string.IsNullOrWhiteSpace(options.ClientSecret):
                failures.Add("Graph:ClientSecret is required when Graph:Credential is ClientSecret (keep it in user secrets or an environment variable, not in appsettings).");
                break;
            case GraphCredentialKind.Certificate when string.IsNullOrWhiteSpace(options.CertificatePath):
                failures.Add("Graph:CertificatePath is required when Graph:Credential is Certificate (a PFX or PEM file with the private key).");
                break;
            case GraphCredentialKind.Certificate when !File.Exists(options.CertificatePath):
                failures.Add($"Graph:CertificatePath '{options.CertificatePath}' does not exist.");
                break;
            case GraphCredentialKind.ClientSecret or GraphCredentialKind.Certificate
                or GraphCredentialKind.ManagedIdentity or GraphCredentialKind.Default:
                break;
            default:
                failures.Add($"Graph:Credential '{options.Credential}' is not one of ClientSecret, Certificate, ManagedIdentity, Default.");
                break;
        }
    }
}

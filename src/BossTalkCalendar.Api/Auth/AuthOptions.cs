using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Auth;

/// <summary>How the API validates the bearer tokens the add-in sends (section <c>Auth</c>).</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    public const string DefaultScope = "access_as_user";

    public const string DefaultAdminRole = "BossTalk.Admin";

    /// <summary>
    /// OIDC issuer base whose <c>/.well-known/openid-configuration</c> describes the signing keys and the
    /// issuer, e.g. <c>https://login.microsoftonline.com/organizations/v2.0</c>. Plain http only on loopback.
    /// </summary>
    public string Authority { get; set; } = "";

    /// <summary>The API's client id or App ID URI, as the token's <c>aud</c> carries it.</summary>
    public string Audience { get; set; } = "";

    /// <summary>Further accepted audiences, e.g. both <c>api://…</c> and the bare client id.</summary>
    public IList<string> Audiences { get; set; } = [];

    /// <summary>The delegated scope every API call needs in <c>scp</c>.</summary>
    public string RequiredScope { get; set; } = DefaultScope;

    /// <summary>The app role (in <c>roles</c>) that makes a user a tenant administrator.</summary>
    public string AdminRole { get; set; } = DefaultAdminRole;

    /// <summary>
    /// True: the metadata issuer may be a template such as <c>https://login.microsoftonline.com/{tenantid}/v2.0</c>
    /// and any tenant's token is accepted (narrowed by <see cref="AllowedTenants"/>). False: the authority must be
    /// one tenant's own and tokens must carry exactly its issuer (the default).
    /// </summary>
    public bool MultiTenant { get; set; }

    /// <summary>
    /// Tenant ids (<c>tid</c>) allowed to call the API. Left out, it is the served tenant (<c>Graph:TenantId</c>, or the
    /// demo tenant in sandbox mode); it is empty, meaning any tenant, only when no tenant is served at all, and then
    /// the API's served-tenant check refuses everyone.
    /// </summary>
    public IList<string> AllowedTenants { get; set; } = [];

    /// <summary>
    /// Client apps (the token's <c>azp</c>, or <c>appid</c> in v1 tokens) whose user tokens the API accepts besides
    /// <c>AddIn:ClientId</c> (which nested app authentication puts in <c>azp</c>). Empty means
    /// <see cref="OfficeClientApps"/>. Set it to narrow the list (e.g. to Outlook on the web only).
    /// </summary>
    public IList<string> AllowedClientApps { get; set; } = [];

    /// <summary>
    /// The Office client ids Microsoft documents for pre-authorizing an add-in's API for Office single sign-on
    /// (https://learn.microsoft.com/office/dev/add-ins/develop/register-sso-add-in-aad-v2, "Add a client application"):
    /// the id that covers every Office endpoint, and the per-platform ids it stands for.
    /// </summary>
    public static IReadOnlyList<string> OfficeClientApps { get; } =
    [
        "ea5a67f6-b6f3-4338-b240-c655ddc3cc8e", // all Microsoft Office application endpoints
        "d3590ed6-52b3-4102-aeff-aad2292ab01c", // Microsoft Office
        "93d53678-613d-4013-afc1-62e9e444a0a5", // Office on the web
        "bc59ab01-8403-45c6-8796-ac3ef710b3e3", // Outlook on the web
    ];

    /// <summary>The client apps a user token may come from: the add-in itself, then the allowed Office clients.</summary>
    public IReadOnlySet<string> AcceptedClientApps(string? addInClientId)
    {
        var accepted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (!string.IsNullOrWhiteSpace(addInClientId))
        {
            accepted.Add(addInClientId.Trim());
        }

        foreach (var app in AllowedClientApps.Count > 0 ? (IEnumerable<string>)AllowedClientApps : OfficeClientApps)
        {
            if (!string.IsNullOrWhiteSpace(app))
            {
                accepted.Add(app.Trim());
            }
        }

        return accepted;
    }

    /// <summary>Every audience a token may carry: <see cref="Audience"/> plus <see cref="Audiences"/>.</summary>
    public IReadOnlyList<string> AllAudiences() =>
        new[] { Audience }.Concat(Audiences)
            .Where(a => !string.IsNullOrWhiteSpace(a))
            .Select(a => a.Trim())
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    /// <summary>The audience a locally minted token should carry.</summary>
    public string PrimaryAudience()
    {
        var audiences = AllAudiences();
        return audiences.Count > 0 ? audiences[0] : "";
    }
}

internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    // Entra's shared authorities: their issuer is a {tenantid} template, so they only make sense multi-tenant.
    private static readonly string[] SharedEntraTenants = ["common", "organizations", "consumers"];

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();

        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority))
        {
            failures.Add("Auth:Authority must be an absolute URL of an OIDC issuer, e.g. https://login.microsoftonline.com/organizations/v2.0.");
        }
        else if (authority.Scheme != Uri.UriSchemeHttps && !(authority.Scheme == Uri.UriSchemeHttp && Loopback.IsLoopbackHost(authority.Host)))
        {
            failures.Add("Auth:Authority must use https; plain http is accepted only for a loopback issuer.");
        }
        else if (!string.IsNullOrEmpty(authority.Query) || !string.IsNullOrEmpty(authority.Fragment))
        {
            failures.Add("Auth:Authority must not have a query or fragment.");
        }
        else if (!options.MultiTenant && authority.Segments.Any(s => SharedEntraTenants.Contains(s.Trim('/'), StringComparer.OrdinalIgnoreCase)))
        {
            failures.Add("Auth:MultiTenant is false, so Auth:Authority must be one tenant's issuer (…/<tenant id>/v2.0), not common/organizations/consumers.");
        }

        if (options.AllAudiences().Count == 0)
        {
            failures.Add("Auth:Audience (or Auth:Audiences) is required: the API's client id or App ID URI.");
        }

        if (string.IsNullOrWhiteSpace(options.RequiredScope) || options.RequiredScope.Contains(' ', StringComparison.Ordinal))
        {
            failures.Add("Auth:RequiredScope must be one scope name, e.g. access_as_user.");
        }

        if (string.IsNullOrWhiteSpace(options.AdminRole))
        {
            failures.Add("Auth:AdminRole must not be empty.");
        }

        if (options.AllowedTenants.Any(t => !Guid.TryParse(t, out _)))
        {
            failures.Add("Auth:AllowedTenants must hold tenant ids (GUIDs).");
        }

        if (options.AllowedClientApps.Any(t => !Guid.TryParse(t, out _)))
        {
            failures.Add("Auth:AllowedClientApps must hold application (client) ids (GUIDs).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

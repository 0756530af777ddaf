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
    /// one tenant's own and tokens must carry exactly its issuer.
    /// </summary>
    public bool MultiTenant { get; set; } = true;

    /// <summary>Tenant ids (<c>tid</c>) allowed to call the API; empty means any tenant.</summary>
    public IList<string> AllowedTenants { get; set; } = [];

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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

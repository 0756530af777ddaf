using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BossTalkCalendar.Api.Auth;

/// <summary>
/// The checks the stock JwtBearer handler does not do for Entra-style tokens: the issuer is a per-tenant
/// template, and only v2 delegated access tokens (never ID tokens or app-only tokens) may call the API.
/// </summary>
internal static class TokenRules
{
    public const string TenantPlaceholder = "{tenantid}";

    /// <summary>
    /// Issuer validation the Entra way, offline: the metadata issuer (already fetched by the handler's
    /// configuration manager and handed in here) with <c>{tenantid}</c> replaced by the token's own <c>tid</c>.
    /// </summary>
    public static string ValidateIssuer(string issuer, SecurityToken token, BaseConfiguration? configuration, AuthOptions options)
    {
        var template = configuration?.Issuer;
        if (string.IsNullOrEmpty(template))
        {
            throw InvalidIssuer(issuer, "The issuer metadata has no issuer.");
        }

        var tenantId = token is JsonWebToken jwt && jwt.TryGetPayloadValue<string>(TokenClaims.TenantId, out var tid) ? tid : null;
        if (!Guid.TryParse(tenantId, out _))
        {
            throw InvalidIssuer(issuer, "The token has no tenant id.");
        }

        if (options.AllowedTenants.Count > 0
            && !options.AllowedTenants.Any(t => string.Equals(t, tenantId, StringComparison.OrdinalIgnoreCase)))
        {
            throw InvalidIssuer(issuer, "The token's tenant is not allowed to use this service.");
        }

        string expected;
        if (template.Contains(TenantPlaceholder, StringComparison.OrdinalIgnoreCase))
        {
            if (!options.MultiTenant)
            {
                throw InvalidIssuer(issuer, "The authority is multi-tenant but Auth:MultiTenant is false.");
            }

            expected = template.Replace(TenantPlaceholder, tenantId, StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            expected = template;
        }

        // Ordinal: the token's iss must be exactly the issuer of its own tenant, so a token minted for one
        // tenant cannot claim to belong to another.
        return string.Equals(issuer, expected, StringComparison.Ordinal)
            ? issuer
            : throw InvalidIssuer(issuer, "The token's issuer does not match its tenant.");
    }

    /// <summary>
    /// Null when the principal is a v2 delegated access token that one of <paramref name="acceptedClientApps"/> asked
    /// for; otherwise why it is refused.
    /// </summary>
    public static string? RejectionReason(ClaimsPrincipal principal, IReadOnlySet<string> acceptedClientApps)
    {
        if (string.IsNullOrWhiteSpace(principal.FindFirst(TokenClaims.ObjectId)?.Value))
        {
            return "The access token has no user object id (oid).";
        }

        if (string.IsNullOrWhiteSpace(principal.FindFirst(TokenClaims.TenantId)?.Value))
        {
            return "The access token has no tenant id (tid).";
        }

        // ID tokens and app-only tokens carry no delegated scopes.
        if (string.IsNullOrWhiteSpace(principal.FindFirst(TokenClaims.Scope)?.Value))
        {
            return "A delegated access token for this API is required; ID tokens and app-only tokens are not accepted.";
        }

        var version = principal.FindFirst(TokenClaims.Version)?.Value;
        if (version is not null && version != "2.0")
        {
            return "A v2.0 access token is required.";
        }

        // azp in v2 tokens, appid in v1: the app the user signed in to. Any app in the tenant can get a token for our
        // API once a user consents, so only the add-in itself and the Office clients may call it.
        var client = principal.FindFirst(TokenClaims.AuthorizedParty)?.Value ?? principal.FindFirst(TokenClaims.AppId)?.Value;
        if (string.IsNullOrWhiteSpace(client) || !acceptedClientApps.Contains(client))
        {
            return "The access token was issued to a client app this service does not accept.";
        }

        return null;
    }

    public static bool HasScope(ClaimsPrincipal principal, string scope) =>
        principal.FindAll(TokenClaims.Scope)
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Contains(scope, StringComparer.Ordinal);

    private static SecurityTokenInvalidIssuerException InvalidIssuer(string issuer, string message) =>
        new(message) { InvalidIssuer = issuer };
}

/// <summary>A token that passed signature and lifetime checks but is not an access token this API accepts.</summary>
internal sealed class AccessTokenRejectedException(string message) : Exception(message);

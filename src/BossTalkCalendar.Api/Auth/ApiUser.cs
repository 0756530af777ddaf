using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Auth;

/// <summary>
/// The caller of an authenticated endpoint: tenant (<c>tid</c>), user (<c>oid</c>) and whether they hold the
/// admin app role. Take it as a minimal-API parameter on endpoints that require authorization.
/// </summary>
public sealed record ApiUser(string TenantId, string UserId, bool IsAdmin)
{
    public static ApiUser From(ClaimsPrincipal principal, string adminRole = AuthOptions.DefaultAdminRole) =>
        TryFrom(principal, adminRole)
        ?? throw new InvalidOperationException("The request has no authenticated user; the endpoint must require authorization.");

    public static ApiUser? TryFrom(ClaimsPrincipal principal, string adminRole = AuthOptions.DefaultAdminRole)
    {
        if (principal.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var tenantId = principal.FindFirst(TokenClaims.TenantId)?.Value;
        var userId = principal.FindFirst(TokenClaims.ObjectId)?.Value;
        if (string.IsNullOrEmpty(tenantId) || string.IsNullOrEmpty(userId))
        {
            return null;
        }

        var isAdmin = principal.FindAll(TokenClaims.Roles).Any(c => string.Equals(c.Value, adminRole, StringComparison.Ordinal));
        return new ApiUser(tenantId, userId, isAdmin);
    }

    /// <summary>Minimal-API binding: reads the authenticated principal with the configured admin role.</summary>
    public static ValueTask<ApiUser?> BindAsync(HttpContext context)
    {
        var adminRole = context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.AdminRole;
        return ValueTask.FromResult<ApiUser?>(From(context.User, adminRole));
    }
}

/// <summary>Claim names of Entra ID v2 access tokens (kept raw: inbound claim mapping is off).</summary>
public static class TokenClaims
{
    public const string ObjectId = "oid";
    public const string TenantId = "tid";
    public const string Scope = "scp";
    public const string Roles = "roles";
    public const string Version = "ver";

    /// <summary>The client app that asked for the token (v2 tokens).</summary>
    public const string AuthorizedParty = "azp";

    /// <summary>The client app that asked for the token (v1 tokens).</summary>
    public const string AppId = "appid";
}

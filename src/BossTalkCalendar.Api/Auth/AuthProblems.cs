using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Net.Http.Headers;

namespace BossTalkCalendar.Api.Auth;

/// <summary>
/// 401 and 403 as RFC 9457 problem details with the RFC 6750 WWW-Authenticate header. The reasons are
/// categories chosen here, never the validator's messages, so no token content reaches the response.
/// </summary>
internal static class AuthProblems
{
    private const string UnauthorizedType = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2";
    private const string ForbiddenType = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4";

    public static async Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        string title;
        string detail;
        if (context.AuthenticateFailure is null)
        {
            title = "Sign-in required";
            detail = "Send an access token for this API in the Authorization header (Bearer).";
            response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        }
        else
        {
            title = "Access token rejected";
            detail = Describe(context.AuthenticateFailure);
            response.Headers[HeaderNames.WWWAuthenticate] = $"Bearer error=\"invalid_token\", error_description=\"{detail}\"";
        }

        await WriteProblem(context.HttpContext, StatusCodes.Status401Unauthorized, UnauthorizedType, title, detail);
    }

    public static Task Forbidden(ForbiddenContext context) =>
        WriteProblem(context.HttpContext, StatusCodes.Status403Forbidden, ForbiddenType, "Access denied", "Your account is not allowed to do this.");

    public static Task MissingScope(HttpContext context, string scope)
    {
        context.Response.Headers[HeaderNames.WWWAuthenticate] = $"Bearer error=\"insufficient_scope\", scope=\"{scope}\"";
        return WriteProblem(context, StatusCodes.Status403Forbidden, ForbiddenType, "Missing scope",
            $"The access token must grant the '{scope}' scope of this API.");
    }

    public static Task MissingAdminRole(HttpContext context) =>
        WriteProblem(context, StatusCodes.Status403Forbidden, ForbiddenType, "Administrator role required",
            "Only a BossTalkCalendar administrator of your organisation can do this.");

    private static Task WriteProblem(HttpContext context, int status, string type, string title, string detail)
    {
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Problem(detail: detail, statusCode: status, title: title, type: type).ExecuteAsync(context);
    }

    private static string Describe(Exception failure) => failure switch
    {
        AggregateException aggregate when aggregate.InnerExceptions.Count > 0 => Describe(aggregate.InnerExceptions[0]),
        SecurityTokenExpiredException => "The access token has expired.",
        SecurityTokenNotYetValidException => "The access token is not valid yet.",
        SecurityTokenInvalidAudienceException => "The access token is meant for another application.",
        SecurityTokenInvalidIssuerException => "The access token comes from an issuer or tenant this service does not accept.",
        SecurityTokenInvalidAlgorithmException => "The access token's signature algorithm is not accepted.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The access token's signature is not valid.",
        AccessTokenRejectedException rejected => rejected.Message,
        _ => "The access token is not valid.",
    };
}

/// <summary>Says which requirement failed (scope or admin role) instead of a bare 403.</summary>
internal sealed class ProblemAuthorizationResultHandler(IOptions<AuthOptions> options) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden || context.User.Identity?.IsAuthenticated != true)
        {
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }

        var failed = authorizeResult.AuthorizationFailure?.FailedRequirements ?? [];
        var scope = failed.OfType<ScopeRequirement>().FirstOrDefault();
        if (scope is not null)
        {
            return AuthProblems.MissingScope(context, scope.Scope);
        }

        var adminRole = options.Value.AdminRole;
        if (failed.OfType<RolesAuthorizationRequirement>().Any(r => r.AllowedRoles.Contains(adminRole, StringComparer.Ordinal)))
        {
            return AuthProblems.MissingAdminRole(context);
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}

/// <summary>The access token's <c>scp</c> (space-separated) contains <see cref="Scope"/>.</summary>
internal sealed class ScopeRequirement(string scope) : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    public string Scope { get; } = scope;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (TokenRules.HasScope(context.User, requirement.Scope))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

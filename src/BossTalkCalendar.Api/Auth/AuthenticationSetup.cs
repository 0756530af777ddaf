using BossTalkCalendar.Api.Hosting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace BossTalkCalendar.Api.Auth;

/// <summary>Names of the authorization policies endpoints use.</summary>
public static class AuthPolicies
{
    /// <summary>Default policy plus the admin app role (<see cref="AuthOptions.AdminRole"/>).</summary>
    public const string Admin = "Admin";
}

public static class AuthenticationSetup
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    /// <summary>
    /// OIDC JWT bearer validation of v2 access tokens (section <c>Auth</c>), the default policy (authenticated
    /// and scope <see cref="AuthOptions.RequiredScope"/>) and the <see cref="AuthPolicies.Admin"/> policy.
    /// </summary>
    public static IServiceCollection AddApiAuthentication(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .PostConfigure<IConfiguration>((auth, configuration) =>
            {
                // A tenant list left out never means "everyone": it is the one tenant this instance serves.
                if (auth.AllowedTenants.Count == 0 && ServedTenant.IdFrom(configuration) is { } served)
                {
                    auth.AllowedTenants.Add(served);
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>());

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, IConfiguration>((bearer, auth, configuration) => ConfigureBearer(
                bearer,
                auth.Value,
                auth.Value.AcceptedClientApps(configuration[$"{AddIn.AddInOptions.SectionName}:{nameof(AddIn.AddInOptions.ClientId)}"])));

        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>()
            .Configure<IOptions<AuthOptions>>((authorization, auth) => ConfigurePolicies(authorization, auth.Value));
        services.Replace(ServiceDescriptor.Singleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>());

        return services;
    }

    private static void ConfigureBearer(JwtBearerOptions bearer, AuthOptions auth, IReadOnlySet<string> acceptedClientApps)
    {
        bearer.Authority = auth.Authority;
        bearer.RequireHttpsMetadata = !(Uri.TryCreate(auth.Authority, UriKind.Absolute, out var authority) && Loopback.IsLoopbackHost(authority.Host));
        bearer.MapInboundClaims = false;
        bearer.SaveToken = false;
        bearer.IncludeErrorDetails = false;
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            IssuerValidatorUsingConfiguration = (issuer, token, _, configuration) => TokenRules.ValidateIssuer(issuer, token, configuration, auth),
            ValidateAudience = true,
            ValidAudiences = auth.AllAudiences(),
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = ClockSkew,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            NameClaimType = TokenClaims.ObjectId,
            RoleClaimType = TokenClaims.Roles,
        };
        bearer.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                if (context.Principal is not null && TokenRules.RejectionReason(context.Principal, acceptedClientApps) is { } reason)
                {
                    context.Fail(new AccessTokenRejectedException(reason));
                }

                return Task.CompletedTask;
            },
            OnChallenge = AuthProblems.Challenge,
            OnForbidden = AuthProblems.Forbidden,
        };
    }

    private static void ConfigurePolicies(AuthorizationOptions authorization, AuthOptions auth)
    {
        AuthorizationPolicyBuilder UserPolicy() => new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .AddRequirements(new ScopeRequirement(auth.RequiredScope));

        authorization.DefaultPolicy = UserPolicy().Build();
        authorization.AddPolicy(AuthPolicies.Admin, UserPolicy().RequireRole(auth.AdminRole).Build());
    }
}

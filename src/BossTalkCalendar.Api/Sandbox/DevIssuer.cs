using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using BossTalkCalendar.Api.Hosting;
using BossTalkCalendar.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BossTalkCalendar.Api.Sandbox;

/// <summary>
/// A development OIDC issuer for sandbox mode, so the preview page can sign in as a demo user and the API
/// still validates a real signed token through the normal JwtBearer pipeline. It exists only in sandbox
/// mode, answers only requests made on this machine and mints only for the demo tenant's users. It mimics a
/// single-tenant Entra issuer: metadata issuer and token iss <c>{base}/{demo tenant}/v2.0</c>, v2 claims, <c>azp</c>
/// the add-in's client id.
/// </summary>
public static class DevIssuer
{
    public const string PathBase = "/dev-issuer";

    /// <summary>
    /// Audience used in sandbox mode when neither <c>Auth:Audience</c> nor a valid <c>AddIn:ClientId</c> is set;
    /// with a client id the audience is the manifest's resource, <c>api://{host[:port]}/{client id}</c>.
    /// </summary>
    public const string SandboxAudience = "api://bosstalkcalendar-sandbox";

    /// <summary>Tenant of minted tokens when the request names none: the sandbox's demo tenant, whose team is enrolled.</summary>
    public const string DefaultTenantId = DemoTenant.TenantId;

    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    /// <summary>
    /// Registers the issuer's signing key and, in sandbox mode, points <c>Auth:Authority</c> (and a missing
    /// <c>Auth:Audience</c>) at the dev issuer. Safe to call in every mode: it does nothing outside sandbox.
    /// </summary>
    public static IServiceCollection AddDevIssuer(this IServiceCollection services)
    {
        services.TryAddSingleton<DevIssuerKey>();
        services.AddOptions<AuthOptions>().PostConfigure<IConfiguration>((auth, configuration) =>
        {
            if (!HostMode.IsSandbox(configuration))
            {
                return;
            }

            if (string.IsNullOrWhiteSpace(auth.Authority))
            {
                auth.Authority = IssuerBase(configuration) + "/v2.0";
            }

            if (auth.AllAudiences().Count == 0)
            {
                auth.Audience = SandboxAudienceFor(configuration);
            }
        });
        return services;
    }

    /// <summary>Maps discovery, JWKS and the token endpoint under <see cref="PathBase"/>, in sandbox mode only.</summary>
    public static IEndpointRouteBuilder MapDevIssuer(this IEndpointRouteBuilder endpoints)
    {
        var configuration = endpoints.ServiceProvider.GetRequiredService<IConfiguration>();
        if (!HostMode.IsSandbox(configuration))
        {
            return endpoints;
        }

        if (endpoints.ServiceProvider.GetService<DevIssuerKey>() is null)
        {
            throw new InvalidOperationException("Call services.AddDevIssuer() before endpoints.MapDevIssuer().");
        }

        var group = endpoints.MapGroup(PathBase)
            .AllowAnonymous()
            .ExcludeFromDescription()
            .AddEndpointFilter(async (context, next) => Loopback.IsLocalRequest(context.HttpContext)
                ? await next(context)
                : TypedResults.Problem(
                    statusCode: StatusCodes.Status403Forbidden,
                    title: "Local requests only",
                    detail: "The development sign-in answers only requests made on this machine."));

        group.MapGet("/v2.0/.well-known/openid-configuration", (IConfiguration config) => Discovery(IssuerBase(config)));
        group.MapGet("/discovery/v2.0/keys", (DevIssuerKey key) => TypedResults.Json(key.JsonWebKeySet()));
        group.MapPost("/token", Token);
        return endpoints;
    }

    private static JsonHttpResult<Dictionary<string, object>> Discovery(string issuerBase) => TypedResults.Json(new Dictionary<string, object>
    {
        ["issuer"] = issuerBase + "/" + DefaultTenantId + "/v2.0",
        ["jwks_uri"] = issuerBase + "/discovery/v2.0/keys",
        ["token_endpoint"] = issuerBase + "/token",
        ["response_types_supported"] = DiscoveryResponseTypes,
        ["subject_types_supported"] = DiscoverySubjectTypes,
        ["id_token_signing_alg_values_supported"] = DiscoverySigningAlgorithms,
        ["token_endpoint_auth_methods_supported"] = DiscoveryClientAuthMethods,
        ["claims_supported"] = DiscoveryClaims,
    });

    private static readonly string[] DiscoveryResponseTypes = ["token"];
    private static readonly string[] DiscoverySubjectTypes = ["pairwise"];
    private static readonly string[] DiscoverySigningAlgorithms = [SecurityAlgorithms.RsaSha256];
    private static readonly string[] DiscoveryClientAuthMethods = ["none"];
    private static readonly string[] DiscoveryClaims = ["iss", "aud", "exp", "nbf", "iat", "oid", "sub", "tid", "scp", "roles", "ver", "azp"];

    private static async Task<Results<JsonHttpResult<TokenResponse>, ValidationProblem, ProblemHttpResult>> Token(HttpContext http, DevIssuerKey key, IOptions<AuthOptions> authOptions, IConfiguration configuration, TimeProvider time)
    {
        var request = await ReadTokenRequest(http.Request, http.RequestAborted);
        if (request is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported body",
                detail: "Send a JSON or form body with userId, and optionally tenantId and admin.");
        }

        var errors = new Dictionary<string, string[]>();
        if (ReferenceEquals(request, TokenRequest.Malformed))
        {
            errors["body"] = ["The body is not valid JSON for a sign-in request."];
        }
        else if (string.IsNullOrWhiteSpace(request.UserId) || request.UserId.Length > 128 || request.UserId.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            errors["userId"] = ["A user id (1 to 128 characters, no spaces) is required."];
        }
        else if (!DemoTenant.SignInIds.Contains(request.UserId))
        {
            errors["userId"] = ["The development sign-in knows only the demo tenant's users (GET /api/v1/sandbox/users lists them)."];
        }

        var tenantId = string.IsNullOrWhiteSpace(request.TenantId) ? DefaultTenantId : request.TenantId.Trim();
        if (!Guid.TryParse(tenantId, out var tenantGuid))
        {
            errors["tenantId"] = ["The tenant id must be a GUID."];
        }
        else if (tenantGuid != Guid.Parse(DefaultTenantId))
        {
            errors["tenantId"] = ["The development sign-in mints tokens for the demo tenant only."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The sign-in request is not valid.");
        }

        var auth = authOptions.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var tid = tenantGuid.ToString("D");
        var claims = new Dictionary<string, object>
        {
            [TokenClaims.ObjectId] = request.UserId!,
            ["sub"] = request.UserId!,
            [TokenClaims.TenantId] = tid,
            [TokenClaims.Scope] = auth.RequiredScope,
            [TokenClaims.Version] = "2.0",
            // The add-in's own client id, as nested app authentication puts it in azp; the API's client-app check applies.
            [TokenClaims.AuthorizedParty] = configuration[$"{AddIn.AddInOptions.SectionName}:{nameof(AddIn.AddInOptions.ClientId)}"] ?? "",
        };
        if (request.Admin == true)
        {
            claims[TokenClaims.Roles] = new[] { auth.AdminRole };
        }

        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = IssuerBase(configuration) + "/" + tid + "/v2.0",
            Audience = auth.PrimaryAudience(),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + TokenLifetime,
            Claims = claims,
            SigningCredentials = key.Credentials,
        });

        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(new TokenResponse(token, "Bearer", (int)TokenLifetime.TotalSeconds));
    }

    private static async Task<TokenRequest?> ReadTokenRequest(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            return new TokenRequest(
                form["userId"].FirstOrDefault(),
                form["tenantId"].FirstOrDefault(),
                bool.TryParse(form["admin"].FirstOrDefault(), out var admin) && admin);
        }

        if (request.HasJsonContentType())
        {
            try
            {
                return await request.ReadFromJsonAsync<TokenRequest>(cancellationToken) ?? new TokenRequest(null, null, null);
            }
            catch (JsonException)
            {
                return TokenRequest.Malformed;
            }
        }

        return null;
    }

    internal static string IssuerBase(IConfiguration configuration) => PublicBase(configuration) + PathBase;

    /// <summary>
    /// The audience the add-in's manifest names as its resource (<c>api://{host[:port]}/{AddIn:ClientId}</c>), so
    /// the sandbox's tokens, the API's validation and the served manifest agree without any Auth settings.
    /// </summary>
    internal static string SandboxAudienceFor(IConfiguration configuration)
    {
        var clientId = configuration[$"{AddIn.AddInOptions.SectionName}:{nameof(AddIn.AddInOptions.ClientId)}"];
        return Guid.TryParseExact(clientId?.Trim(), "D", out var id) && id != Guid.Empty
            && PublicOrigin.TryParse(PublicBase(configuration), out var origin, out _)
            ? $"api://{origin.Authority}/{id:D}"
            : SandboxAudience;
    }

    private static string PublicBase(IConfiguration configuration)
    {
        var publicBase = configuration[$"{ServiceOptions.SectionName}:{nameof(ServiceOptions.PublicBaseUrl)}"];
        return (string.IsNullOrWhiteSpace(publicBase) ? ServiceOptions.DefaultPublicBaseUrl : publicBase.Trim()).TrimEnd('/');
    }

    private sealed record TokenRequest(string? UserId, string? TenantId, bool? Admin)
    {
        public static readonly TokenRequest Malformed = new(null, null, null);
    }

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("token_type")] string TokenType,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}

/// <summary>The dev issuer's RSA key, made at start-up and never stored: a restart signs users out.</summary>
internal sealed class DevIssuerKey : IDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);

    public DevIssuerKey()
    {
        var publicKey = new RsaSecurityKey(_rsa.ExportParameters(includePrivateParameters: false));
        var keyId = Base64UrlEncoder.Encode(publicKey.ComputeJwkThumbprint());
        publicKey.KeyId = keyId;
        Credentials = new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = keyId }, SecurityAlgorithms.RsaSha256);
        PublicJwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(publicKey);
    }

    public SigningCredentials Credentials { get; }

    private JsonWebKey PublicJwk { get; }

    public object JsonWebKeySet() => new
    {
        keys = new[]
        {
            new Dictionary<string, string>
            {
                ["kty"] = PublicJwk.Kty,
                ["use"] = "sig",
                ["alg"] = SecurityAlgorithms.RsaSha256,
                ["kid"] = PublicJwk.Kid,
                ["n"] = PublicJwk.N,
                ["e"] = PublicJwk.E,
            },
        },
    };

    public void Dispose() => _rsa.Dispose();
}

using System.Security.Cryptography;
using BossTalkCalendar.Api.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace BossTalkCalendar.Testing;

/// <summary>
/// A local token issuer with its own RSA key, shaped like Entra ID (per-tenant issuer, v2 access tokens).
/// <see cref="Configure"/> points the app's real JwtBearer validation at this key offline; nothing in the
/// authentication pipeline is bypassed.
/// </summary>
public sealed class TestIssuer : IDisposable
{
    public const string Authority = "https://login.bosstalk.test/organizations/v2.0";
    public const string IssuerTemplate = "https://login.bosstalk.test/{tenantid}/v2.0";
    public const string Audience = "api://bosstalkcalendar-tests";
    public const string Scope = AuthOptions.DefaultScope;
    public const string AdminRole = AuthOptions.DefaultAdminRole;

    /// <summary>The add-in's client id as src/BossTalkCalendar.Api/appsettings.json sets <c>AddIn:ClientId</c>: the <c>azp</c> of minted tokens.</summary>
    public const string AddInClientId = "b05a1c00-5a4d-4b0c-8000-00000000add1";

    /// <summary>A client app that is neither the add-in nor an Office client.</summary>
    public const string OtherClientApp = "0ff1ce00-dead-4bad-8bad-000000000bad";

    public const string TenantA = "11111111-1111-1111-1111-111111111111";
    public const string TenantB = "22222222-2222-2222-2222-222222222222";

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RSA _foreignRsa = RSA.Create(2048);
    private readonly TimeProvider _time;

    public TestIssuer(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        SigningKey = new RsaSecurityKey(_rsa) { KeyId = "test-key-1" };
    }

    public RsaSecurityKey SigningKey { get; }

    public static string IssuerFor(string tenantId) => IssuerTemplate.Replace("{tenantid}", tenantId, StringComparison.Ordinal);

    /// <summary>
    /// Makes the host validate tokens from this issuer, offline: Auth:Authority/Audience are set to this
    /// issuer's, and the JwtBearer metadata comes from a static configuration instead of HTTP. Call it after
    /// the app's own registrations (e.g. in ConfigureTestServices).
    /// </summary>
    public void Configure(IServiceCollection services)
    {
        services.PostConfigure<AuthOptions>(auth =>
        {
            // Like a multi-tenant Entra app: one metadata issuer template for every tenant, so the tests can mint for
            // other tenants. Auth:AllowedTenants (by default Graph:TenantId) still narrows who gets in.
            auth.MultiTenant = true;
            auth.Authority = Authority;
            auth.Audience = Audience;
            auth.Audiences.Clear();
        });

        var configuration = new OpenIdConnectConfiguration { Issuer = IssuerTemplate };
        configuration.SigningKeys.Add(new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = SigningKey.KeyId });
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, bearer =>
        {
            bearer.Configuration = configuration;
            bearer.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
        });
    }

    /// <summary>A v2 delegated access token as Entra issues it for our API.</summary>
    public string Mint(
        string userId,
        string tenantId,
        string? scope = Scope,
        IEnumerable<string>? roles = null,
        Action<SecurityTokenDescriptor>? tweak = null)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            ["oid"] = userId,
            ["sub"] = "pairwise-" + userId,
            ["tid"] = tenantId,
            ["ver"] = "2.0",
            ["azp"] = AddInClientId,
        };
        if (scope is not null)
        {
            claims["scp"] = scope;
        }

        var roleList = roles?.ToArray();
        if (roleList is { Length: > 0 })
        {
            claims["roles"] = roleList;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = IssuerFor(tenantId),
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            Claims = claims,
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.RsaSha256),
        };
        tweak?.Invoke(descriptor);
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    public string MintAdmin(string userId, string tenantId) => Mint(userId, tenantId, roles: [AdminRole]);

    /// <summary>
    /// A token the client app <paramref name="clientApp"/> asked for (<c>azp</c>; none when null), or with
    /// <paramref name="v1"/> the v1 claim <c>appid</c> instead.
    /// </summary>
    public string MintFromClientApp(string userId, string tenantId, string? clientApp, bool admin = false, bool v1 = false) =>
        Mint(userId, tenantId, roles: admin ? [AdminRole] : null, tweak: d =>
        {
            d.Claims.Remove("azp");
            if (clientApp is not null)
            {
                d.Claims[v1 ? "appid" : "azp"] = clientApp;
            }
        });

    public string MintExpired(string userId, string tenantId) => Mint(userId, tenantId, tweak: d =>
    {
        // Past the 2-minute clock skew by a wide margin.
        var now = _time.GetUtcNow().UtcDateTime;
        d.IssuedAt = now.AddHours(-2);
        d.NotBefore = now.AddHours(-2);
        d.Expires = now.AddMinutes(-10);
    });

    public string MintNotYetValid(string userId, string tenantId) => Mint(userId, tenantId, tweak: d =>
    {
        var now = _time.GetUtcNow().UtcDateTime;
        d.IssuedAt = now;
        d.NotBefore = now.AddMinutes(10);
        d.Expires = now.AddHours(1);
    });

    /// <summary>Same claims, but signed by an issuer the API does not trust.</summary>
    public string MintWithIssuer(string userId, string tenantId, string issuer) =>
        Mint(userId, tenantId, tweak: d => d.Issuer = issuer);

    public string MintForAudience(string userId, string tenantId, string audience) =>
        Mint(userId, tenantId, tweak: d => d.Audience = audience);

    /// <summary>Signed by another RSA key that claims the trusted key's id.</summary>
    public string MintWithForeignKey(string userId, string tenantId) => Mint(userId, tenantId, tweak: d =>
        d.SigningCredentials = new SigningCredentials(new RsaSecurityKey(_foreignRsa) { KeyId = SigningKey.KeyId }, SecurityAlgorithms.RsaSha256));

    /// <summary>An unsigned token (<c>alg: none</c>).</summary>
    public string MintUnsigned(string userId, string tenantId) => Mint(userId, tenantId, tweak: d => d.SigningCredentials = null);

    /// <summary>Signed by the trusted key, but with another algorithm than the pinned RS256.</summary>
    public string MintWithAlgorithm(string userId, string tenantId, string algorithm) => Mint(userId, tenantId, tweak: d =>
        d.SigningCredentials = new SigningCredentials(SigningKey, algorithm));

    /// <summary>HS256 keyed with the public key's modulus: the classic RSA/HMAC key-confusion attack.</summary>
    public string MintHs256(string userId, string tenantId) => Mint(userId, tenantId, tweak: d =>
        d.SigningCredentials = new SigningCredentials(
            new SymmetricSecurityKey(_rsa.ExportParameters(false).Modulus!) { KeyId = SigningKey.KeyId },
            SecurityAlgorithms.HmacSha256));

    /// <summary>Issued as tenant <paramref name="issuerTenantId"/> but claiming <c>tid</c> <paramref name="claimedTenantId"/>.</summary>
    public string MintTenantMismatch(string userId, string issuerTenantId, string claimedTenantId) =>
        Mint(userId, claimedTenantId, tweak: d => d.Issuer = IssuerFor(issuerTenantId));

    /// <summary>An ID token's shape: audience and issuer are right, but there is no <c>scp</c>.</summary>
    public string MintIdToken(string userId, string tenantId) => Mint(userId, tenantId, scope: null, tweak: d =>
        d.Claims["nonce"] = "test-nonce");

    /// <summary>An app-only token: application roles, no delegated scope, <c>idtyp</c> app.</summary>
    public string MintAppOnly(string tenantId) => Mint("app-service-principal", tenantId, scope: null, roles: ["Calendars.ReadWrite"], tweak: d =>
        d.Claims["idtyp"] = "app");

    public void Dispose()
    {
        _rsa.Dispose();
        _foreignRsa.Dispose();
    }
}

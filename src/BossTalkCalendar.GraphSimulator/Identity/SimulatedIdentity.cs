using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace BossTalkCalendar.GraphSimulator;

/// <summary>
/// A stand-in for the Microsoft identity platform (login.microsoftonline.com) for the tenant: the client credentials
/// token endpoint and OpenID Connect discovery, on the simulator's origin outside <c>/v1.0</c>. Graph itself keeps
/// accepting requests without a token (the service sends none to a loopback simulator); these endpoints exist so the
/// preflight check can prove a credential and read the roles an app token carries. Register an app with
/// <see cref="RegisterClient"/>; a client the tenant does not know is refused as Entra refuses it.
/// </summary>
public sealed class SimulatedIdentity
{
    /// <summary>The host the identity platform is reached at; its tokens' and metadata's URLs name it, not the simulator.</summary>
    public const string Authority = "https://login.microsoftonline.com";

    private readonly ConcurrentDictionary<string, Client> _clients = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _tenantId;
    private readonly Func<TimeProvider> _clock;
    private readonly RequestLog _log;

    internal SimulatedIdentity(string tenantId, Func<TimeProvider> clock, RequestLog log)
    {
        _tenantId = tenantId;
        _clock = clock;
        _log = log;
    }

    /// <summary>
    /// An app registration with a client secret, whose service principal holds <paramref name="roles"/> (application
    /// permissions already consented). Registering the same client id again replaces it.
    /// </summary>
    public void RegisterClient(string clientId, string clientSecret, params string[] roles)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientSecret);
        _clients[clientId] = new Client(clientSecret, [.. roles], Guid.NewGuid().ToString());
    }

    /// <summary>Tokens issued so far (successful answers of the token endpoint).</summary>
    public int TokensIssued => _issued;

    private int _issued;

    /// <summary>Whether this request is for the identity platform (and not Graph's <c>/v1.0</c>).</summary>
    internal static bool Handles(HttpRequest request) =>
        !request.Path.StartsWithSegments("/v1.0", StringComparison.OrdinalIgnoreCase);

    internal async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var segments = request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        (int Status, JsonObject Body) answer;
        string route;
        if (segments is [var tenant, "oauth2", "v2.0", "token"] && HttpMethods.IsPost(request.Method))
        {
            route = "/{tenant}/oauth2/v2.0/token";
            var form = request.HasFormContentType ? await request.ReadFormAsync(context.RequestAborted) : null;
            answer = Token(tenant, form);
        }
        else if (segments is [var issuerTenant, "v2.0", ".well-known", "openid-configuration"] && HttpMethods.IsGet(request.Method))
        {
            route = "/{tenant}/v2.0/.well-known/openid-configuration";
            answer = Discovery(issuerTenant);
        }
        else
        {
            route = "(unmatched)";
            answer = (404, Error("invalid_request", 900561, "The endpoint only accepts the documented requests."));
        }

        _log.Record(request.Method.ToUpperInvariant(), route, answer.Status);
        context.Response.StatusCode = answer.Status;
        // Token responses must not be cached (RFC 6749 section 5.1); Entra sends both headers.
        context.Response.Headers.CacheControl = "no-store, no-cache";
        context.Response.Headers.Pragma = "no-cache";
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(answer.Body.ToJsonString(), context.RequestAborted);
    }

    /// <summary>
    /// OpenID Connect discovery of the tenant's v2.0 issuer
    /// (https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc, "Find your app's OpenID configuration
    /// document URI"): the issuer is <c>https://login.microsoftonline.com/{tenant id}/v2.0</c>. A tenant that does not
    /// exist answers 400 with AADSTS90002 (https://learn.microsoft.com/entra/identity-platform/reference-error-codes).
    /// </summary>
    private (int, JsonObject) Discovery(string tenant)
    {
        if (!IsThisTenant(tenant))
        {
            return (400, Error("invalid_tenant", 90002, $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."));
        }

        var root = $"{Authority}/{_tenantId}";
        return (200, new JsonObject
        {
            ["token_endpoint"] = $"{root}/oauth2/v2.0/token",
            ["jwks_uri"] = $"{Authority}/{_tenantId}/discovery/v2.0/keys",
            ["issuer"] = $"{root}/v2.0",
            ["authorization_endpoint"] = $"{root}/oauth2/v2.0/authorize",
            ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "id_token token"),
            ["subject_types_supported"] = new JsonArray("pairwise"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["tenant_region_scope"] = "EU",
        });
    }

    /// <summary>
    /// The client credentials grant with a shared secret
    /// (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow, "First case: Access token
    /// request with a shared secret"): <c>client_id</c>, <c>scope</c> ending in <c>/.default</c>, <c>client_secret</c>,
    /// <c>grant_type=client_credentials</c>. The errors are the documented AADSTS codes: 90002 unknown tenant, 700016
    /// unknown app, 7000215 wrong secret, 7000218 no secret, 1002012 a scope without /.default
    /// (https://learn.microsoft.com/entra/identity-platform/reference-error-codes). A certificate (client_assertion)
    /// cannot be checked here and is refused, the stricter choice.
    /// </summary>
    private (int, JsonObject) Token(string tenant, IFormCollection? form)
    {
        if (!IsThisTenant(tenant))
        {
            return (400, Error("invalid_request", 90002, $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."));
        }

        if (form is null || form["grant_type"].ToString() != "client_credentials")
        {
            return (400, Error("unsupported_grant_type", 70003, "The app requested an unsupported grant type."));
        }

        var clientId = form["client_id"].ToString();
        if (!_clients.TryGetValue(clientId, out var client))
        {
            return (400, Error("unauthorized_client", 700016, $"Application with identifier '{clientId}' was not found in the directory '{_tenantId}'."));
        }

        var secret = form["client_secret"].ToString();
        if (secret.Length == 0)
        {
            return (401, Error("invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."));
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(client.Secret)))
        {
            return (401, Error("invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID."));
        }

        var scope = form["scope"].ToString();
        if (!scope.EndsWith("/.default", StringComparison.Ordinal))
        {
            return (400, Error("invalid_scope", 1002012, $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier."));
        }

        var resource = scope[..^"/.default".Length];
        var now = _clock().GetUtcNow().ToUnixTimeSeconds();
        Interlocked.Increment(ref _issued);
        return (200, new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = 3599,
            ["ext_expires_in"] = 3599,
            ["access_token"] = AppToken(clientId, client, resource, now),
        });
    }

    /// <summary>
    /// A v1.0 app-only access token as Graph gets them (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference):
    /// <c>aud</c> the resource, <c>iss</c> <c>https://sts.windows.net/{tid}/</c>, <c>appid</c>, <c>idtyp</c> "app", and
    /// <c>roles</c> with the application permissions granted, left out when there are none. The signature is random
    /// bytes: nothing may trust this token, and Graph's tokens are not for clients to validate anyway.
    /// </summary>
    private string AppToken(string clientId, Client client, string resource, long now)
    {
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "RS256", ["kid"] = "simulator" };
        var payload = new JsonObject
        {
            ["aud"] = resource,
            ["iss"] = $"https://sts.windows.net/{_tenantId}/",
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 3599,
            ["appid"] = clientId,
            ["appidacr"] = "1",
            ["idtyp"] = "app",
            ["oid"] = client.ServicePrincipalId,
            ["sub"] = client.ServicePrincipalId,
            ["tid"] = _tenantId,
            ["ver"] = "1.0",
        };
        if (client.Roles.Length > 0)
        {
            payload["roles"] = new JsonArray([.. client.Roles.Select(r => (JsonNode)r)]);
        }

        return Base64Url(header.ToJsonString()) + "." + Base64Url(payload.ToJsonString()) + "." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private bool IsThisTenant(string tenant) => string.Equals(tenant, _tenantId, StringComparison.OrdinalIgnoreCase);

    /// <summary>Entra's error body: error, error_description (starting with the AADSTS code), error_codes, timestamp, trace_id, correlation_id.</summary>
    private JsonObject Error(string error, int code, string message)
    {
        var now = _clock().GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var trace = Guid.NewGuid().ToString();
        var correlation = Guid.NewGuid().ToString();
        return new JsonObject
        {
            ["error"] = error,
            ["error_description"] = $"AADSTS{code.ToString(CultureInfo.InvariantCulture)}: {message} Trace ID: {trace} Correlation ID: {correlation} Timestamp: {now}",
            ["error_codes"] = new JsonArray(code),
            ["timestamp"] = now,
            ["trace_id"] = trace,
            ["correlation_id"] = correlation,
            ["error_uri"] = $"{Authority}/error?code={code.ToString(CultureInfo.InvariantCulture)}",
        };
    }

    private static string Base64Url(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record Client(string Secret, string[] Roles, string ServicePrincipalId);
}

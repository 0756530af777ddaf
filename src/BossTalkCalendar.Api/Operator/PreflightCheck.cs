using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using BossTalkCalendar.Api.AddIn;
using BossTalkCalendar.Api.Auth;
using BossTalkCalendar.Api.Health;
using BossTalkCalendar.Api.Hosting;
using BossTalkCalendar.Api.Notifications;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Graph;
using BossTalkCalendar.Graph;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BossTalkCalendar.Api.Operator;

/// <summary>
/// The preflight check (<c>dotnet BossTalkCalendar.Api.dll check</c>): tries the live configuration the way the
/// service will use it and prints one line per item, <c>PASS item</c> or <c>FAIL item: what is wrong — fix: what to
/// do</c>. Nothing is written anywhere (no Graph write, no migration, no file). Sources for each Graph and Entra
/// behaviour relied on are in docs/graph.md, "Preflight check".
/// </summary>
public sealed class PreflightCheck
{
    /// <summary>The identity platform's public-cloud host, where tokens and OpenID metadata come from.</summary>
    public static readonly Uri EntraAuthority = new("https://login.microsoftonline.com");

    /// <summary>
    /// The application permissions the service uses (README, "Connecting to a real tenant"; each Graph call's
    /// reference page lists the least-privileged one): User.Read.All for users, managers and direct reports, which only
    /// Entra grants; Calendars.ReadWrite and MailboxSettings.Read for mailboxes, which RBAC for Applications in Exchange
    /// Online may grant instead, and then they are not in the token
    /// (https://learn.microsoft.com/exchange/permissions-exo/application-rbac).
    /// </summary>
    public static readonly IReadOnlyList<string> DirectoryRoles = ["User.Read.All"];

    /// <inheritdoc cref="DirectoryRoles"/>
    public static readonly IReadOnlyList<string> MailboxRoles = ["Calendars.ReadWrite", "MailboxSettings.Read"];

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(20);

    private readonly IServiceProvider _services;
    private readonly TextWriter _output;
    private readonly HttpMessageHandler? _publicHandler;
    private string? _appToken;

    /// <param name="services">The service's own registrations (configuration, Graph gateway, database).</param>
    /// <param name="output">Where the lines go.</param>
    /// <param name="publicHandler">Tests: carries the requests for the public URL to an in-process server.</param>
    public PreflightCheck(IServiceProvider services, TextWriter output, HttpMessageHandler? publicHandler = null)
    {
        _services = services;
        _output = output;
        _publicHandler = publicHandler;
    }

    /// <summary>Runs every item; 0 when all pass, 1 otherwise.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var items = new List<(string Name, Func<CancellationToken, Task<Outcome?>> Run)>
        {
            ("credential", CredentialAsync),
            ("app-roles", AppRolesAsync),
            ("sample-user", SampleUserAsync),
            ("out-of-scope-user", OutOfScopeUserAsync),
            ("authority", AuthorityAsync),
            ("audience", AudienceAsync),
            ("public-url", PublicUrlAsync),
            ("notification-endpoint", NotificationEndpointAsync),
            ("database", DatabaseAsync),
            ("time-zones", _ => Task.FromResult<Outcome?>(TimeZonesResolve())),
        };

        var failed = 0;
        foreach (var (name, run) in items)
        {
            Outcome? outcome;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(RequestTimeout * 2);
                outcome = await run(timeout.Token);
            }
            catch (OptionsValidationException ex)
            {
                outcome = Outcome.Fail(string.Join(" ", ex.Failures), "correct the setting named above");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                outcome = Outcome.Fail("no answer in time", "check the network path and the URL");
            }

            if (outcome is null)
            {
                continue; // an optional item that was not asked for
            }

            if (outcome.Passed)
            {
                await _output.WriteLineAsync(outcome.Note is null ? $"PASS {name}" : $"PASS {name} ({outcome.Note})");
            }
            else
            {
                failed++;
                await _output.WriteLineAsync($"FAIL {name}: {outcome.Problem} — fix: {outcome.Fix}");
            }
        }

        await _output.WriteLineAsync(failed == 0 ? "All checks passed." : $"{failed} check(s) failed.");
        return failed == 0 ? 0 : 1;
    }

    private T Options<T>()
        where T : class => _services.GetRequiredService<IOptions<T>>().Value;

    // ---- Graph: credential and roles ------------------------------------------------------------------------------

    private async Task<Outcome?> CredentialAsync(CancellationToken cancellationToken)
    {
        var graph = Options<GraphOptions>();
        if (string.IsNullOrWhiteSpace(graph.TenantId) || string.IsNullOrWhiteSpace(graph.ClientId))
        {
            return Outcome.Fail("Graph:TenantId or Graph:ClientId is not set", "set both to the app registration's directory (tenant) id and application (client) id (run `setup` to create it)");
        }

        if (graph.Credential == GraphCredentialKind.ClientSecret && string.IsNullOrWhiteSpace(graph.ClientSecret))
        {
            return Outcome.Fail("Graph:Credential is ClientSecret but Graph:ClientSecret is empty", "set Graph:ClientSecret (environment variable or secret store), or use Graph:Credential=Certificate");
        }

        var (transport, problem) = IdentityTransport();
        if (problem is not null)
        {
            return problem;
        }

        var baseUrl = new Uri(graph.BaseUrl);
        // A loopback Graph:BaseUrl is a simulator standing in for Graph, so the token is asked for Graph itself.
        var scope = graph.IsLoopback ? "https://graph.microsoft.com/.default" : GraphCredentials.AppScope(baseUrl);
        try
        {
            var credential = GraphCredentials.Create(graph, transport);
            var token = await credential.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken);
            _appToken = token.Token;
            return Outcome.Pass();
        }
        catch (CredentialUnavailableException ex)
        {
            return Outcome.Fail(FirstLine(ex.Message), "this credential kind is not available here; set Graph:Credential to one that is (Certificate, ClientSecret, ManagedIdentity)");
        }
        catch (AuthenticationFailedException ex)
        {
            // Entra's answer (with its AADSTS code) is the inner MSAL exception's message.
            return CredentialFailure(ex.InnerException is { } inner ? inner.Message : ex.Message);
        }
    }

    /// <summary>The fix for the AADSTS codes an operator meets (https://learn.microsoft.com/entra/identity-platform/reference-error-codes).</summary>
    private static Outcome CredentialFailure(string message)
    {
        var fix = message switch
        {
            _ when message.Contains("AADSTS7000215", StringComparison.Ordinal) => "the client secret is wrong: set Graph:ClientSecret to the secret's value (not its id), or create a new one",
            _ when message.Contains("AADSTS7000222", StringComparison.Ordinal) => "the client secret has expired: create a new one and set Graph:ClientSecret",
            _ when message.Contains("AADSTS700016", StringComparison.Ordinal) => "Graph:ClientId is not an application of tenant Graph:TenantId: correct it, or run `setup`",
            _ when message.Contains("AADSTS90002", StringComparison.Ordinal) => "Graph:TenantId names no tenant: use the directory (tenant) id GUID",
            _ when message.Contains("AADSTS700027", StringComparison.Ordinal) => "the certificate is not the one uploaded to the app registration: upload it, or point Graph:CertificatePath at the right one",
            _ => "check Graph:TenantId, Graph:ClientId, Graph:Credential and its settings",
        };
        var code = System.Text.RegularExpressions.Regex.Match(message, "AADSTS[0-9]+[^\r\n.]*");
        return Outcome.Fail(code.Success ? "no token: " + code.Value : "no token: " + FirstLine(message), fix);
    }

    private Task<Outcome?> AppRolesAsync(CancellationToken cancellationToken)
    {
        if (_appToken is null)
        {
            return Task.FromResult<Outcome?>(Outcome.Fail("no app token to read (see the credential item)", "fix the credential first"));
        }

        var roles = TokenRoles(_appToken);
        if (roles is null)
        {
            return Task.FromResult<Outcome?>(Outcome.Fail("the app token cannot be read as a JWT", "check that Graph:BaseUrl is Microsoft Graph"));
        }

        var missingDirectory = DirectoryRoles.Where(r => !roles.Contains(r)).ToList();
        var missingMailbox = MailboxRoles.Where(r => !roles.Contains(r)).ToList();
        if (missingDirectory.Count > 0)
        {
            var all = string.Join(", ", missingDirectory.Concat(missingMailbox));
            return Task.FromResult<Outcome?>(Outcome.Fail(
                $"the app token lacks {all}",
                $"grant admin consent for the application permissions (https://login.microsoftonline.com/{Options<GraphOptions>().TenantId}/adminconsent?client_id={Options<GraphOptions>().ClientId}); `setup` declares them"));
        }

        return Task.FromResult<Outcome?>(missingMailbox.Count == 0
            ? Outcome.Pass()
            : Outcome.Pass($"{string.Join(", ", missingMailbox)} not in the token: they must come from RBAC for Applications, which the sample-user item tries"));
    }

    /// <summary>The <c>roles</c> claim of a JWT's payload, read without validating it (it came straight from the token endpoint).</summary>
    internal static HashSet<string>? TokenRoles(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var document = JsonDocument.Parse(Convert.FromBase64String(payload));
            return document.RootElement.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array
                ? roles.EnumerateArray().Select(r => r.GetString() ?? "").ToHashSet(StringComparer.Ordinal)
                : [];
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    // ---- Graph: mailbox scope -------------------------------------------------------------------------------------

    private async Task<Outcome?> SampleUserAsync(CancellationToken cancellationToken)
    {
        var user = Options<PreflightOptions>().SampleUser;
        if (string.IsNullOrWhiteSpace(user))
        {
            return Outcome.Fail("no sample user named", "pass --sample-user <address of someone in the rollout> (or set Check:SampleUser)");
        }

        var gateway = _services.GetRequiredService<ICalendarGateway>();
        var now = _services.GetRequiredService<TimeProvider>().GetUtcNow();
        try
        {
            await gateway.GetMailboxProfileAsync(user, cancellationToken);
            await gateway.GetCalendarViewAsync(user, new Interval(now, now.AddDays(1)), cancellationToken);
            return Outcome.Pass();
        }
        catch (GatewayException ex) when (ex.Failure == GatewayFailure.Forbidden)
        {
            return Outcome.Fail(
                $"Graph refused {user}'s mailbox (403)",
                "put the user in the mail-enabled group of the app's management scope (RBAC for Applications), or assign the Application Calendars.ReadWrite and Application MailboxSettings.Read roles; `setup` prints the commands");
        }
        catch (GatewayException ex) when (ex.Failure == GatewayFailure.NotFound)
        {
            return Outcome.Fail($"Graph knows no mailbox {user} (404)", "name a user of this tenant who has an Exchange Online mailbox");
        }
        catch (GatewayException ex)
        {
            return Outcome.Fail($"reading {user}'s mailbox failed ({ex.Failure}: {FirstLine(ex.Message)})", "check Graph:BaseUrl and the credential, then try again");
        }
    }

    private async Task<Outcome?> OutOfScopeUserAsync(CancellationToken cancellationToken)
    {
        var user = Options<PreflightOptions>().OutOfScopeUser;
        if (string.IsNullOrWhiteSpace(user))
        {
            return null;
        }

        var gateway = _services.GetRequiredService<ICalendarGateway>();
        try
        {
            await gateway.GetMailboxProfileAsync(user, cancellationToken);
            return Outcome.Fail(
                $"the app can read {user}'s mailbox: the mailbox scope is not active",
                "remove the tenant-wide Calendars.ReadWrite and MailboxSettings.Read consent in Entra (Entra and Exchange grants add up), and check the management scope's filter; changes can take up to an hour to apply");
        }
        catch (GatewayException ex) when (ex.Failure == GatewayFailure.Forbidden)
        {
            return Outcome.Pass();
        }
        catch (GatewayException ex)
        {
            return Outcome.Fail($"reading {user}'s mailbox failed with {ex.Failure}, not 403", "name an existing user with a mailbox outside the rollout group");
        }
    }

    // ---- Sign-in settings -----------------------------------------------------------------------------------------

    private async Task<Outcome?> AuthorityAsync(CancellationToken cancellationToken)
    {
        var auth = Options<AuthOptions>();
        // Read without the Graph validation, whose complaints belong to the credential item.
        var tenant = _services.GetRequiredService<IConfiguration>()[$"{GraphOptions.SectionName}:{nameof(GraphOptions.TenantId)}"];
        if (!Uri.TryCreate(auth.Authority, UriKind.Absolute, out var authority))
        {
            return Outcome.Fail("Auth:Authority is not set", $"set it to https://login.microsoftonline.com/{tenant ?? "<tenant id>"}/v2.0");
        }

        if (IdentityStandIn(out _) is { } problem)
        {
            return problem;
        }

        using var http = IdentityClient();
        var discovery = new Uri(authority.AbsoluteUri.TrimEnd('/') + "/.well-known/openid-configuration");
        string? issuer;
        try
        {
            using var response = await http.GetAsync(discovery, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return Outcome.Fail($"OpenID discovery at {discovery} answered {(int)response.StatusCode}", $"set Auth:Authority to https://login.microsoftonline.com/{tenant ?? "<tenant id>"}/v2.0");
            }

            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            issuer = document.RootElement.TryGetProperty("issuer", out var value) ? value.GetString() : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException)
        {
            return Outcome.Fail($"OpenID discovery at {discovery} failed ({FirstLine(ex.Message)})", "check Auth:Authority and the network path to it");
        }

        var expected = auth.MultiTenant ? "{tenantid}" : tenant;
        if (issuer is null || string.IsNullOrWhiteSpace(expected)
            || !issuer.Split('/').Contains(expected, StringComparer.OrdinalIgnoreCase))
        {
            return Outcome.Fail(
                $"the issuer '{issuer}' is not Graph:TenantId's ({tenant})",
                $"set Auth:Authority to https://login.microsoftonline.com/{tenant ?? "<tenant id>"}/v2.0 (users sign in to the tenant whose mailboxes the service reads)");
        }

        return Outcome.Pass();
    }

    /// <summary>
    /// The add-in asks for a token for its <c>webApplicationInfo</c> resource (<c>api://host/clientId</c>). The service
    /// validates v2.0 tokens (Auth:Authority ends in /v2.0), whose <c>aud</c> is always the API's client id
    /// (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference, <c>aud</c>), so
    /// Auth:Audience must accept AddIn:ClientId, and both manifests must name that id and this host.
    /// </summary>
    private Task<Outcome?> AudienceAsync(CancellationToken cancellationToken)
    {
        var addIn = Options<AddInOptions>();
        var auth = Options<AuthOptions>();
        var origin = Options<ServiceOptions>().Origin;
        var renderer = _services.GetRequiredService<ManifestRenderer>();
        var json = JsonDocument.Parse(renderer.Json).RootElement.GetProperty("webApplicationInfo");
        var jsonId = json.GetProperty("id").GetString();
        var jsonResource = json.GetProperty("resource").GetString();
        var xml = XDocument.Parse(Encoding.UTF8.GetString(renderer.Xml));
        var xmlInfo = xml.Descendants().First(e => e.Name.LocalName == "WebApplicationInfo");
        var xmlId = xmlInfo.Elements().First(e => e.Name.LocalName == "Id").Value;
        var xmlResource = xmlInfo.Elements().First(e => e.Name.LocalName == "Resource").Value;
        var resource = $"api://{origin.Authority}/{addIn.ClientId}";

        if (!Same(jsonId, addIn.ClientId) || !Same(xmlId, addIn.ClientId) || !Same(jsonResource, resource) || !Same(xmlResource, resource))
        {
            return Task.FromResult<Outcome?>(Outcome.Fail(
                $"the manifests name {jsonId}/{jsonResource} and {xmlId}/{xmlResource}, not {addIn.ClientId}/{resource}",
                "deploy the manifests this service serves (/manifest/app-package.zip, /manifest/manifest.xml)"));
        }

        var audiences = auth.AllAudiences();
        if (!audiences.Contains(addIn.ClientId, StringComparer.OrdinalIgnoreCase))
        {
            return Task.FromResult<Outcome?>(Outcome.Fail(
                $"Auth:Audience ({string.Join(", ", audiences)}) does not accept AddIn:ClientId {addIn.ClientId}, the aud of the add-in's v2.0 tokens",
                $"set Auth:Audience={addIn.ClientId} (and keep the app registration's requestedAccessTokenVersion at 2; `setup` sets it)"));
        }

        return Task.FromResult<Outcome?>(Outcome.Pass());

        static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
    }

    // ---- Public URL -----------------------------------------------------------------------------------------------

    private async Task<Outcome?> PublicUrlAsync(CancellationToken cancellationToken)
    {
        var origin = Options<ServiceOptions>().Origin;
        if (!origin.Origin.StartsWith("https://", StringComparison.Ordinal))
        {
            return Outcome.Fail($"Service:PublicBaseUrl {origin.Origin} is not https", "set it to the https origin Outlook loads the task pane from");
        }

        if (PublicClient() is not { } http)
        {
            return IngressProblem();
        }

        using (http)
        {
            var page = new Uri(origin.Origin + "/taskpane.html");
            try
            {
                using var response = await http.GetAsync(page, cancellationToken);
                if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/html")
                {
                    return Outcome.Fail($"GET {page} answered {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType}", "route the public origin to this service (reverse proxy, DNS, TLS certificate)");
                }
            }
            catch (HttpRequestException ex)
            {
                return Outcome.Fail($"GET {page} failed ({FirstLine(ex.Message)})", "route the public origin to this service (reverse proxy, DNS, TLS certificate)");
            }
        }

        return Outcome.Pass();
    }

    /// <summary>
    /// Graph's validation handshake (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks,
    /// "Notification endpoint validation"): a POST with <c>validationToken</c> in the query, answered within 10 seconds
    /// with 200, <c>text/plain</c> and the token as the body.
    /// </summary>
    private async Task<Outcome?> NotificationEndpointAsync(CancellationToken cancellationToken)
    {
        var notifications = Options<NotificationOptions>();
        var endpoint = notifications.Endpoint is null
            ? NotificationOptions.Derive(Options<ServiceOptions>())
            : notifications.Endpoint;
        if (endpoint is null || !Uri.TryCreate(endpoint, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
        {
            return Outcome.Fail("no https notification endpoint, so change notifications are off", "set Service:PublicBaseUrl to an https origin (or Notifications:Endpoint)");
        }

        if (PublicClient(url) is not { } http)
        {
            return IngressProblem();
        }

        using (http)
        {
            var token = "preflight-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
            var probe = new Uri(url.AbsoluteUri + (url.Query.Length > 0 ? "&" : "?") + "validationToken=" + Uri.EscapeDataString(token));
            try
            {
                using var content = new StringContent("", Encoding.UTF8, "text/plain");
                using var response = await http.PostAsync(probe, content, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/plain" || body != token)
                {
                    return Outcome.Fail($"POST {url}?validationToken=… answered {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} without echoing the token", "route the endpoint to this service unchanged (no sign-in page, no rewriting proxy)");
                }
            }
            catch (HttpRequestException ex)
            {
                return Outcome.Fail($"POST {url}?validationToken=… failed ({FirstLine(ex.Message)})", "make the endpoint reachable from the internet over https");
            }
        }

        return Outcome.Pass();
    }

    // ---- Database and zones ---------------------------------------------------------------------------------------

    private async Task<Outcome?> DatabaseAsync(CancellationToken cancellationToken)
    {
        var storage = Options<StorageOptions>();
        var where = storage.IsPostgreSql ? PostgreSqlTarget(storage.ConnectionString) : storage.AppDatabasePath(_services.GetRequiredService<IHostEnvironment>().ContentRootPath);
        if (!storage.IsPostgreSql && !File.Exists(where))
        {
            // Opening a SQLite file that is not there would create it; the check writes nothing.
            return Outcome.Fail($"no database at {where}", "start the service once (it creates and migrates the database at start-up), or correct Storage:DataDirectory");
        }

        try
        {
            await using var db = await _services.GetRequiredService<IDbContextFactory<BossTalkDbContext>>().CreateDbContextAsync(cancellationToken);
            if (!await db.Database.CanConnectAsync(cancellationToken))
            {
                return Outcome.Fail($"cannot connect to the database at {where}", "check ConnectionStrings:BossTalk and that the server accepts this host");
            }

            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                return Outcome.Fail($"{pending.Count} migration(s) not applied at {where} (first: {pending[0]})", "start this version of the service once: it migrates at start-up");
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
        {
            return Outcome.Fail($"the database at {where} failed ({FirstLine(ex.Message)})", "check Storage:Provider, ConnectionStrings:BossTalk and Storage:DataDirectory");
        }

        return Outcome.Pass();
    }

    private static string PostgreSqlTarget(string? connectionString)
    {
        try
        {
            // Where, never who: the password stays out of the output.
            var target = new NpgsqlConnectionStringBuilder(connectionString);
            return $"PostgreSQL {target.Host}:{target.Port.ToString(CultureInfo.InvariantCulture)}/{target.Database}";
        }
        catch (ArgumentException)
        {
            return "PostgreSQL (unreadable connection string)";
        }
    }

    /// <summary>
    /// Mailboxes carry Windows and IANA zone names; both must resolve with their offsets, as start-up checks too
    /// (<see cref="ZoneDatabaseCheck"/>). Fixed instants, so the answer does not depend on today.
    /// </summary>
    internal static Outcome TimeZonesResolve() =>
        ZoneDatabaseCheck.System.Problems() is { Count: > 0 } problems
            ? Outcome.Fail(string.Join("; ", problems), ZoneDatabaseCheck.Fix)
            : Outcome.Pass();

    // ---- HTTP plumbing --------------------------------------------------------------------------------------------

    /// <summary>The loopback stand-in for the identity platform, if one is set; a problem when it is not loopback.</summary>
    private Outcome? IdentityStandIn(out Uri? target)
    {
        target = null;
        var standIn = Options<PreflightOptions>().LoopbackIdentityHost;
        if (string.IsNullOrWhiteSpace(standIn))
        {
            return null;
        }

        if (!Uri.TryCreate(standIn, UriKind.Absolute, out target) || !LoopbackRedirectHandler.IsLoopback(target))
        {
            target = null;
            return Outcome.Fail($"Check:LoopbackIdentityHost '{standIn}' is not a loopback origin", "leave it empty (it exists for tests against the Graph simulator)");
        }

        return null;
    }

    private (HttpPipelineTransport? Transport, Outcome? Problem) IdentityTransport() =>
        IdentityStandIn(out var target) is { } problem
            ? (null, problem)
            : (target is null ? null : new HttpClientTransport(new LoopbackRedirectHandler(EntraAuthority, target, new SocketsHttpHandler())), null);

    private HttpClient IdentityClient()
    {
        IdentityStandIn(out var target);
        HttpMessageHandler handler = new SocketsHttpHandler();
        if (target is not null)
        {
            handler = new LoopbackRedirectHandler(EntraAuthority, target, handler);
        }

        return new HttpClient(handler) { Timeout = RequestTimeout };
    }

    /// <summary>A client for the public URL (and <paramref name="other"/>'s origin); null when the ingress setting is unusable.</summary>
    private HttpClient? PublicClient(Uri? other = null)
    {
        if (_publicHandler is not null)
        {
            return new HttpClient(_publicHandler, disposeHandler: false) { Timeout = RequestTimeout };
        }

        var ingress = Options<PreflightOptions>().LoopbackPublicIngress;
        HttpMessageHandler handler = new SocketsHttpHandler { AllowAutoRedirect = false };
        if (!string.IsNullOrWhiteSpace(ingress))
        {
            if (!Uri.TryCreate(ingress, UriKind.Absolute, out var target) || !LoopbackRedirectHandler.IsLoopback(target))
            {
                return null;
            }

            var origin = new Uri(Options<ServiceOptions>().Origin.Origin);
            handler = new LoopbackRedirectHandler(origin, target, handler);
            if (other is not null && !string.Equals(other.Authority, origin.Authority, StringComparison.OrdinalIgnoreCase))
            {
                handler = new LoopbackRedirectHandler(new Uri(other.GetLeftPart(UriPartial.Authority)), target, handler);
            }
        }

        return new HttpClient(handler) { Timeout = RequestTimeout };
    }

    private Outcome IngressProblem() => Outcome.Fail(
        $"Check:LoopbackPublicIngress '{Options<PreflightOptions>().LoopbackPublicIngress}' is not a loopback origin",
        "leave it empty, or name the loopback http origin the TLS proxy forwards to");

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    /// <summary>One item's result.</summary>
    internal sealed record Outcome(bool Passed, string? Problem, string? Fix, string? Note)
    {
        public static Outcome Pass(string? note = null) => new(true, null, null, note);

        public static Outcome Fail(string problem, string fix) => new(false, problem, fix, null);
    }
}

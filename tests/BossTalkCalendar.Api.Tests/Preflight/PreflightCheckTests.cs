using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Tests.Graph;

namespace BossTalkCalendar.Api.Tests.Preflight;

/// <summary>
/// <c>check</c> against a Graph simulator and the service on Kestrel: every item passes on a right configuration, and
/// each fault an operator can make turns exactly its item to FAIL with a fix, and the exit code to 1.
/// </summary>
public sealed class PreflightCheckTests
{
    private static readonly string[] Items =
    [
        "credential", "app-roles", "sample-user", "out-of-scope-user", "authority", "audience", "public-url",
        "notification-endpoint", "database", "time-zones",
    ];

    [Fact]
    public async Task EveryItemPassesOnARightConfigurationAndTheExitCodeIsZero()
    {
        await using var env = await PreflightEnvironment.StartAsync();

        var run = await env.CheckAsync();

        Assert.True(run.ExitCode == 0, run.Output);
        foreach (var item in Items)
        {
            Assert.Equal($"PASS {item}", run.Line(item));
        }

        Assert.Equal(1, env.Graph.Identity.TokensIssued);
        Assert.Equal(1, env.Graph.Tenant.RequestLog.Count("GET", "/{tenant}/v2.0/.well-known/openid-configuration", 200));
    }

    [Fact]
    public async Task AWrongSecretFailsTheCredentialWithEntrasCodeAndNoRolesCanBeRead()
    {
        await using var env = await PreflightEnvironment.StartAsync(withService: false);

        var run = await env.CheckAsync(new Dictionary<string, string?> { ["Graph:ClientSecret"] = "not-the-secret" });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("AADSTS7000215", run.Line("credential"), StringComparison.Ordinal);
        Assert.Contains("— fix: the client secret is wrong", run.Line("credential"), StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", run.Output, StringComparison.Ordinal);
        Assert.StartsWith("FAIL app-roles:", run.Line("app-roles"), StringComparison.Ordinal);
        Assert.Equal(0, env.Graph.Identity.TokensIssued);
    }

    [Fact]
    public async Task AClientIdTheTenantDoesNotKnowFailsTheCredential()
    {
        await using var env = await PreflightEnvironment.StartAsync(withService: false);

        var run = await env.CheckAsync(new Dictionary<string, string?> { ["Graph:ClientId"] = "5a1e5a1e-0000-4000-8000-0000000bad00" });

        Assert.Contains("AADSTS700016", run.Line("credential"), StringComparison.Ordinal);
        Assert.Contains("run `setup`", run.Line("credential"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATokenWithoutUserReadAllFailsAndNamesEveryMissingRole()
    {
        await using var env = await PreflightEnvironment.StartAsync(withService: false);
        env.Graph.Identity.RegisterClient(PreflightEnvironment.ClientId, PreflightEnvironment.ClientSecret, "Calendars.ReadWrite");

        var run = await env.CheckAsync();

        Assert.Equal("PASS credential", run.Line("credential"));
        var roles = run.Line("app-roles");
        Assert.StartsWith("FAIL app-roles: the app token lacks User.Read.All, MailboxSettings.Read — fix: grant admin consent", roles, StringComparison.Ordinal);
        Assert.Contains($"adminconsent?client_id={PreflightEnvironment.ClientId}", roles, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MailboxRolesLeftToRbacForApplicationsPassWithANote()
    {
        await using var env = await PreflightEnvironment.StartAsync(withService: false);
        env.Graph.Identity.RegisterClient(PreflightEnvironment.ClientId, PreflightEnvironment.ClientSecret, "User.Read.All");

        var run = await env.CheckAsync();

        Assert.Equal(
            "PASS app-roles (Calendars.ReadWrite, MailboxSettings.Read not in the token: they must come from RBAC for Applications, which the sample-user item tries)",
            run.Line("app-roles"));
    }

    [Fact]
    public async Task ASampleUserOutsideTheScopeFailsWith403AndMissingOrUnknownUsersFailToo()
    {
        await using var env = await PreflightEnvironment.StartAsync(withService: false);

        var forbidden = await env.CheckAsync(new Dictionary<string, string?> { ["Check:SampleUser"] = GraphTestTenant.CarolMail });
        var unknown = await env.CheckAsync(new Dictionary<string, string?> { ["Check:SampleUser"] = "nobody@contoso.test" });
        var missing = await env.CheckAsync(new Dictionary<string, string?> { ["Check:SampleUser"] = null });

        Assert.StartsWith($"FAIL sample-user: Graph refused {GraphTestTenant.CarolMail}'s mailbox (403) — fix: put the user in the mail-enabled group", forbidden.Line("sample-user"), StringComparison.Ordinal);
        Assert.StartsWith("FAIL sample-user: Graph knows no mailbox nobody@contoso.test (404)", unknown.Line("sample-user"), StringComparison.Ordinal);
        Assert.StartsWith("FAIL sample-user: no sample user named — fix: pass --sample-user", missing.Line("sample-user"), StringComparison.Ordinal);
        Assert.All([forbidden, unknown, missing], run => Assert.Equal(1, run.ExitCode));
    }

    [Fact]
    public async Task TheSampleUserOptionOnTheCommandLineIsTheSetting()
    {
        await using var env = await PreflightEnvironment.StartAsync(withService: false);

        var run = await env.CheckAsync(new Dictionary<string, string?> { ["Check:SampleUser"] = null }, "--sample-user", GraphTestTenant.BobMail);

        Assert.Equal("PASS sample-user", run.Line("sample-user"));
    }

    [Fact]
    public async Task AnOutOfScopeUserTheAppCanReadFailsBecauseTheScopeIsNotActive()
    {
        await using var env = await PreflightEnvironment.StartAsync(withService: false);

        var active = await env.CheckAsync();
        env.Graph.Tenant.ForbiddenMailboxes.Remove(GraphTestTenant.CarolId);
        var inactive = await env.CheckAsync();
        var notAsked = await env.CheckAsync(new Dictionary<string, string?> { ["Check:OutOfScopeUser"] = null });

        Assert.Equal("PASS out-of-scope-user", active.Line("out-of-scope-user"));
        Assert.StartsWith($"FAIL out-of-scope-user: the app can read {GraphTestTenant.CarolMail}'s mailbox: the mailbox scope is not active — fix: remove the tenant-wide", inactive.Line("out-of-scope-user"), StringComparison.Ordinal);
        Assert.DoesNotContain(notAsked.Lines, l => l.Contains("out-of-scope-user", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAuthorityOfAnotherTenantOrNoneFails()
    {
        await using var env = await PreflightEnvironment.StartAsync(withService: false);

        var other = await env.CheckAsync(new Dictionary<string, string?> { ["Auth:Authority"] = "https://login.microsoftonline.com/00000000-0000-0000-0000-0000000000bb/v2.0" });
        var none = await env.CheckAsync(new Dictionary<string, string?> { ["Auth:Authority"] = null });

        Assert.StartsWith("FAIL authority: OpenID discovery at https://login.microsoftonline.com/00000000-0000-0000-0000-0000000000bb/v2.0/.well-known/openid-configuration answered 400", other.Line("authority"), StringComparison.Ordinal);
        Assert.StartsWith($"FAIL authority: Auth:Authority is not set — fix: set it to https://login.microsoftonline.com/{env.TenantId}/v2.0", none.Line("authority"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAudienceThatIsNotTheAddInsClientIdFails()
    {
        await using var env = await PreflightEnvironment.StartAsync(withService: false);

        var uri = await env.CheckAsync(new Dictionary<string, string?> { ["Auth:Audience"] = $"api://bosstalk.test/{PreflightEnvironment.AddInClientId}" });
        var both = await env.CheckAsync(new Dictionary<string, string?> { ["Auth:Audiences:0"] = $"api://bosstalk.test/{PreflightEnvironment.AddInClientId}" });

        Assert.StartsWith($"FAIL audience: Auth:Audience (api://bosstalk.test/{PreflightEnvironment.AddInClientId}) does not accept AddIn:ClientId", uri.Line("audience"), StringComparison.Ordinal);
        Assert.Contains($"fix: set Auth:Audience={PreflightEnvironment.AddInClientId}", uri.Line("audience"), StringComparison.Ordinal);
        Assert.Equal("PASS audience", both.Line("audience"));
    }

    [Fact]
    public async Task AnHttpPublicUrlFailsThePaneAndTheNotificationEndpoint()
    {
        await using var env = await PreflightEnvironment.StartAsync();

        var run = await env.CheckAsync(new Dictionary<string, string?> { ["Service:PublicBaseUrl"] = env.ServiceAddress!.GetLeftPart(UriPartial.Authority) });

        // The service's own refusal, word for word: the check names the same setting start-up would.
        Assert.StartsWith("FAIL public-url: Service:PublicBaseUrl must be https when serving a tenant", run.Line("public-url"), StringComparison.Ordinal);
        Assert.StartsWith("FAIL notification-endpoint: Service:PublicBaseUrl must be https when serving a tenant", run.Line("notification-endpoint"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APublicUrlNobodyAnswersFailsThePaneAndTheHandshake()
    {
        await using var env = await PreflightEnvironment.StartAsync(withService: false);
        var closed = $"http://127.0.0.1:{ServiceProcess.FreePort()}";

        var run = await env.CheckAsync(new Dictionary<string, string?> { ["Check:LoopbackPublicIngress"] = closed });

        Assert.StartsWith("FAIL public-url: GET https://bosstalk.test/taskpane.html failed", run.Line("public-url"), StringComparison.Ordinal);
        Assert.StartsWith("FAIL notification-endpoint: POST https://bosstalk.test/notifications/graph?validationToken=… failed", run.Line("notification-endpoint"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANotificationEndpointThatDoesNotEchoTheTokenFails()
    {
        await using var env = await PreflightEnvironment.StartAsync();

        var run = await env.CheckAsync(new Dictionary<string, string?> { ["Notifications:Endpoint"] = "https://bosstalk.test/notifications/elsewhere" });

        Assert.Equal("PASS public-url", run.Line("public-url"));
        Assert.StartsWith("FAIL notification-endpoint: POST https://bosstalk.test/notifications/elsewhere?validationToken=… answered 404", run.Line("notification-endpoint"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnIngressThatIsNotLoopbackIsRefusedRatherThanUsed()
    {
        await using var env = await PreflightEnvironment.StartAsync(withService: false);

        var run = await env.CheckAsync(new Dictionary<string, string?>
        {
            ["Check:LoopbackPublicIngress"] = "http://example.com",
            ["Check:LoopbackIdentityHost"] = "http://example.com",
        });

        Assert.StartsWith("FAIL public-url: Check:LoopbackPublicIngress 'http://example.com' is not a loopback origin", run.Line("public-url"), StringComparison.Ordinal);
        Assert.StartsWith("FAIL credential: Check:LoopbackIdentityHost 'http://example.com' is not a loopback origin", run.Line("credential"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingOrUnmigratedSqliteDatabaseFailsWithoutTheCheckCreatingOne()
    {
        await using var env = await PreflightEnvironment.StartAsync(withService: false);

        var missing = await env.CheckAsync();
        var created = File.Exists(Path.Combine(env.DataDirectory, "bosstalk.db"));
        await File.WriteAllBytesAsync(Path.Combine(env.DataDirectory, "bosstalk.db"), []);
        var empty = await env.CheckAsync();

        Assert.StartsWith($"FAIL database: no database at {Path.Combine(env.DataDirectory, "bosstalk.db")} — fix: start the service once", missing.Line("database"), StringComparison.Ordinal);
        Assert.False(created);
        Assert.Matches(@"^FAIL database: \d+ migration\(s\) not applied at .* \(first: \d+_InitialCreate\) — fix: start this version of the service once", empty.Line("database"));
    }

    [Theory]
    [InlineData(StorageOptions.SqliteProvider)]
    [InlineData(StorageOptions.PostgreSqlProvider)]
    public async Task TheDatabaseItemPassesOnceTheServiceMigratedItOnEitherProvider(string provider)
    {
        await using var storage = await TestStorage.CreateAsync(provider);
        var settings = storage.With(new Dictionary<string, string?>());

        await using (var before = await PreflightEnvironment.StartAsync(withService: false))
        {
            var unmigrated = await before.CheckAsync(settings);
            Assert.StartsWith("FAIL database:", unmigrated.Line("database"), StringComparison.Ordinal);
        }

        await using var env = await PreflightEnvironment.StartAsync(storage: settings);
        var run = await env.CheckAsync(settings);

        Assert.Equal("PASS database", run.Line("database"));
    }

    [Fact]
    public async Task AnUnreachablePostgreSqlServerFailsWithoutShowingItsPassword()
    {
        await using var env = await PreflightEnvironment.StartAsync(withService: false);
        var port = ServiceProcess.FreePort();

        var run = await env.CheckAsync(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = StorageOptions.PostgreSqlProvider,
            ["ConnectionStrings:BossTalk"] = $"Host=127.0.0.1;Port={port};Username=bosstalk;Password=hunter2-secret;Database=bosstalk;Timeout=3",
        });

        Assert.StartsWith($"FAIL database: ", run.Line("database"), StringComparison.Ordinal);
        Assert.Contains($"PostgreSQL 127.0.0.1:{port}/bosstalk", run.Line("database"), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", run.Output, StringComparison.Ordinal);
    }
}

using BossTalkCalendar.Api.Operator;
using BossTalkCalendar.Api.Tests.Graph;
using BossTalkCalendar.GraphSimulator;
using Microsoft.Extensions.Time.Testing;

namespace BossTalkCalendar.Api.Tests.Preflight;

/// <summary>
/// What the preflight check looks at, all real and on loopback: a Graph simulator (Graph, and the identity platform's
/// token endpoint and discovery) with one registered app, and the service itself on real Kestrel, standing behind the
/// public origin <see cref="PublicOrigin"/> (the check reaches it through <c>Check:LoopbackPublicIngress</c>, as it
/// would through a TLS-terminating proxy). <see cref="Settings"/> is a configuration on which every item passes.
/// </summary>
internal sealed class PreflightEnvironment : IAsyncDisposable
{
    public const string ClientId = "5a1e5a1e-0000-4000-8000-00000000c11e";
    public const string ClientSecret = "preflight-test-secret";
    public const string AddInClientId = "5a1e5a1e-0000-4000-8000-0000000add1e";
    public const string PublicOrigin = "https://bosstalk.test";

    public static readonly string[] AllRoles = ["Calendars.ReadWrite", "MailboxSettings.Read", "User.Read.All"];

    private readonly TempDirectory _data;

    private PreflightEnvironment(GraphSimulatorHost graph, TempDirectory data, BossTalkCalendarApplication? service, Uri? serviceAddress)
    {
        Graph = graph;
        _data = data;
        Service = service;
        ServiceAddress = serviceAddress;
    }

    public static FakeTimeProvider Clock { get; } = new(GraphTestTenant.WeekStart.AddHours(8));

    public GraphSimulatorHost Graph { get; }

    public BossTalkCalendarApplication? Service { get; }

    /// <summary>Where the service listens (http on loopback), null without a service.</summary>
    public Uri? ServiceAddress { get; }

    public string DataDirectory => _data.Path;

    public string TenantId => Graph.Tenant.TenantId;

    /// <param name="withService">False: no service, so no database and nothing behind the public URL.</param>
    /// <param name="storage">Settings that put the service on another storage (PostgreSQL).</param>
    public static async Task<PreflightEnvironment> StartAsync(bool withService = true, IReadOnlyDictionary<string, string?>? storage = null)
    {
        var graph = await GraphSimulatorHost.StartAsync(GraphTestTenant.Create(), new SimulatorOptions { Port = 0, TimeProvider = Clock });
        graph.Identity.RegisterClient(ClientId, ClientSecret, AllRoles);
        // Carol is outside the app's mailbox scope: Graph refuses her mailbox with 403, as RBAC for Applications does.
        graph.Tenant.ForbiddenMailboxes.Add(GraphTestTenant.CarolId);
        var data = new TempDirectory();
        if (!withService)
        {
            return new PreflightEnvironment(graph, data, null, null);
        }

        var settings = new Dictionary<string, string?>(storage ?? new Dictionary<string, string?>(), StringComparer.OrdinalIgnoreCase)
        {
            ["Graph:TenantId"] = graph.Tenant.TenantId,
            ["Service:PublicBaseUrl"] = PublicOrigin,
            ["AddIn:ClientId"] = AddInClientId,
            // No subscriptions at start-up: the simulator cannot reach the made-up public origin, and nobody is enrolled.
            ["Notifications:MaintenanceCron"] = "0 0 31 2 *",
        };
        var port = ServiceProcess.FreePort();
        var service = new BossTalkCalendarApplication(data.Path, Clock, graph.GraphBaseUrl, settings);
        service.UseKestrel(port);
        service.StartServer();
        return new PreflightEnvironment(graph, data, service, new Uri($"http://127.0.0.1:{port}"));
    }

    /// <summary>A configuration on which every item passes (with a service).</summary>
    public Dictionary<string, string?> Settings() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["Graph:BaseUrl"] = Graph.GraphBaseUrl.ToString(),
        ["Graph:TenantId"] = TenantId,
        ["Graph:ClientId"] = ClientId,
        ["Graph:Credential"] = "ClientSecret",
        ["Graph:ClientSecret"] = ClientSecret,
        ["Auth:Authority"] = $"https://login.microsoftonline.com/{TenantId}/v2.0",
        ["Auth:Audience"] = AddInClientId,
        ["AddIn:ClientId"] = AddInClientId,
        ["Service:PublicBaseUrl"] = PublicOrigin,
        ["Storage:DataDirectory"] = DataDirectory,
        ["Check:SampleUser"] = GraphTestTenant.AliceMail,
        ["Check:OutOfScopeUser"] = GraphTestTenant.CarolMail,
        ["Check:LoopbackIdentityHost"] = Graph.BaseAddress.GetLeftPart(UriPartial.Authority),
        ["Check:LoopbackPublicIngress"] = ServiceAddress?.GetLeftPart(UriPartial.Authority),
    };

    /// <summary>Runs <c>check</c> in this process on <see cref="Settings"/> with <paramref name="changes"/> (null removes a key).</summary>
    public async Task<CheckRun> CheckAsync(IReadOnlyDictionary<string, string?>? changes = null, params string[] extraArgs)
    {
        var settings = Settings();
        foreach (var (key, value) in changes ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        string[] args = ["check", .. settings.Where(s => s.Value is not null).Select(s => $"--{s.Key}={s.Value}"), .. extraArgs];
        using var output = new StringWriter();
        var code = await OperatorCommands.RunAsync(args, Clock, output);
        return new CheckRun(code, output.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        if (Service is not null)
        {
            await Service.DisposeAsync();
        }

        await Graph.DisposeAsync();
        _data.Dispose();
    }
}

/// <summary>What one run of <c>check</c> printed and returned.</summary>
internal sealed record CheckRun(int ExitCode, string Output)
{
    public IReadOnlyList<string> Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The line of one item; fails when there is not exactly one.</summary>
    public string Line(string item) =>
        Assert.Single(Lines, l => l == $"PASS {item}" || l.StartsWith($"PASS {item} (", StringComparison.Ordinal) || l.StartsWith($"FAIL {item}:", StringComparison.Ordinal));

    public bool Passed(string item) => Line(item).StartsWith("PASS ", StringComparison.Ordinal);
}

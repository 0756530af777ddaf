using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Graph;
using BossTalkCalendar.GraphSimulator;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Sandbox;

/// <summary>
/// The in-process Graph simulator of sandbox mode. It starts in the host's "starting" phase (after the schema,
/// before Hangfire), seeds the demo tenant on the first start only (the state file under the data folder keeps
/// the tenant, including the events the service placed, across restarts) and enrolls the manager's team.
/// </summary>
public sealed class SandboxGraph(
    IOptions<SandboxOptions> options,
    IOptions<StorageOptions> storage,
    IHostEnvironment environment,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<SandboxGraph> logger) : IHostedLifecycleService, IAsyncDisposable
{
    private GraphSimulatorHost? _host;

    /// <summary>The running simulator (null before start-up).</summary>
    public GraphSimulatorHost? Host => _host;

    public string StateFile => Path.Combine(storage.Value.FullDataDirectory(environment.ContentRootPath), "sandbox-tenant.json");

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var firstStart = !File.Exists(StateFile);
        _host = await GraphSimulatorHost.StartAsync(
            DemoTenant.Build(time.GetUtcNow()),
            new SimulatorOptions { Port = options.Value.GraphPort, StateFile = StateFile, TimeProvider = time },
            cancellationToken);
        logger.SimulatorStarted(_host.GraphBaseUrl, firstStart ? "demo tenant seeded" : "demo tenant restored from " + StateFile);

        await using var scope = scopes.CreateAsyncScope();
        var graph = scope.ServiceProvider.GetRequiredService<ICalendarGateway>();
        var team = await graph.GetDirectReportsAsync(DemoTenant.Manager.Id, cancellationToken);
        var added = await scope.ServiceProvider.GetRequiredService<Enrollment>()
            .EnrollAsync(DemoTenant.TenantId, team.Select(member => member.Id), cancellationToken);
        logger.TeamEnrolled(added, team.Count);
    }

    public async Task StoppedAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _host, null) is { } host)
        {
            await host.DisposeAsync();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using BossTalkCalendar.Api.Hosting;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Rollout;
using BossTalkCalendar.GraphSimulator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Sandbox;

/// <summary>
/// The in-process Graph simulator of sandbox mode. It starts in the host's "starting" phase (after the schema,
/// before Hangfire) and seeds the demo tenant on the first start only (the state file under the data folder keeps
/// the tenant, including the events the service placed, across restarts). Of the two demo teams, Noor's is approved
/// by its manager as it is seeded (with its audit entry, like any approval), so the first sweep already places
/// reflections; Mara's waits for her approval, like any team.
/// </summary>
public sealed class SandboxGraph(
    IOptions<SandboxOptions> options,
    IOptions<StorageOptions> storage,
    IOptions<ServiceOptions> service,
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
            new SimulatorOptions
            {
                Port = options.Value.GraphPort,
                StateFile = StateFile,
                TimeProvider = time,
                // Change notifications for the sandbox's https endpoint reach this service at its own address, as a
                // TLS-terminating proxy would pass them on (Notifications:Endpoint, docs/graph.md).
                NotificationIngress = new Uri(service.Value.PublicBaseUrl),
            },
            cancellationToken);
        logger.SimulatorStarted(_host.GraphBaseUrl, firstStart ? "demo tenant seeded" : "demo tenant restored from " + StateFile);
        await ApproveSeededTeamAsync(cancellationToken);
    }

    /// <summary>
    /// Noor approves her team once, when it has no record yet: a team revoked since (from the pane) stays revoked
    /// across restarts. Before Hangfire starts, so the start-up sweep already finds her reports enrolled.
    /// </summary>
    private async Task ApproveSeededTeamAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var contexts = scope.ServiceProvider.GetRequiredService<IDbContextFactory<BossTalkDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Teams.AnyAsync(t => t.TenantId == DemoTenant.TenantId && t.ManagerId == DemoTenant.ApprovedManager.Id, cancellationToken))
            {
                return;
            }
        }

        var manager = DemoTenant.ApprovedManager.Id;
        await scope.ServiceProvider.GetRequiredService<TeamRollout>()
            .ApproveAsync(DemoTenant.TenantId, manager, manager, [.. DemoTenant.ApprovedReports.Select(u => u.Id)], cancellationToken);
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

using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.GraphSimulator;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Sandbox;

/// <summary>
/// The in-process Graph simulator of sandbox mode. It starts in the host's "starting" phase (after the schema,
/// before Hangfire) and seeds the demo tenant on the first start only (the state file under the data folder keeps
/// the tenant, including the events the service placed, across restarts). The demo team starts not enabled: like
/// any team, it is enrolled when its manager approves it.
/// </summary>
public sealed class SandboxGraph(
    IOptions<SandboxOptions> options,
    IOptions<StorageOptions> storage,
    IHostEnvironment environment,
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

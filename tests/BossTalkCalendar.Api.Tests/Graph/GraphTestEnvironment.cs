using BossTalkCalendar.Graph;
using BossTalkCalendar.GraphSimulator;

namespace BossTalkCalendar.Api.Tests.Graph;

/// <summary>
/// The simulator, a wire tap in front of it, and a gateway talking to the tap with the real SDK. Deliberately not
/// <see cref="BossTalkCalendarApplication"/> (the one host of the service): no service runs here, only the Graph layer.
/// </summary>
internal sealed class GraphTestEnvironment : IAsyncDisposable
{
    private GraphTestEnvironment(GraphSimulatorHost simulator, GraphWireTap tap, GraphCalendarGateway gateway)
    {
        Simulator = simulator;
        Tap = tap;
        Gateway = gateway;
    }

    public GraphSimulatorHost Simulator { get; }

    public GraphWireTap Tap { get; }

    public GraphCalendarGateway Gateway { get; }

    public SimulatedTenant Tenant => Simulator.Tenant;

    public static async Task<GraphTestEnvironment> StartAsync(
        Action<GraphOptions>? configure = null,
        TimeProvider? timeProvider = null,
        TenantSeed? seed = null)
    {
        var simulator = await GraphSimulatorHost.StartAsync(seed ?? GraphTestTenant.Create(), new SimulatorOptions { Port = 0 });
        var tap = await GraphWireTap.StartAsync(new Uri(simulator.GraphBaseUrl.ToString()));
        var gateway = GraphCalendarGateway.ForSimulator(tap.GraphBaseUrl, timeProvider ?? TimeProvider.System, configure);
        return new GraphTestEnvironment(simulator, tap, gateway);
    }

    public async ValueTask DisposeAsync()
    {
        Gateway.Dispose();
        await Tap.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}

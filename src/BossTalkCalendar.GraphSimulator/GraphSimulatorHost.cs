using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace BossTalkCalendar.GraphSimulator;

/// <summary>A running Graph simulator on 127.0.0.1. Dispose to stop it (and write the state file a last time).</summary>
public sealed class GraphSimulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly StatePersister? _persister;
    private int _disposed;

    private GraphSimulatorHost(WebApplication app, Uri baseAddress, SimulatedTenant tenant, SimulatorOptions options, StatePersister? persister, SubscriptionHub subscriptions, SimulatedIdentity identity)
    {
        Identity = identity;
        _app = app;
        BaseAddress = baseAddress;
        Tenant = tenant;
        Options = options;
        _persister = persister;
        Subscriptions = subscriptions;
    }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri BaseAddress { get; }

    /// <summary>http://127.0.0.1:PORT/v1.0 — what GraphServiceClient takes as its base URL.</summary>
    public Uri GraphBaseUrl => new(BaseAddress, "v1.0");

    public SimulatedTenant Tenant { get; }

    public SimulatorOptions Options { get; }

    /// <summary>The identity platform's token endpoint and discovery for this tenant, on the same origin.</summary>
    public SimulatedIdentity Identity { get; }

    /// <summary>Change-notification subscriptions and their deliveries.</summary>
    public SubscriptionHub Subscriptions { get; }

    public static async Task<GraphSimulatorHost> StartAsync(TenantSeed seed, SimulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(options);

        var saved = options.StateFile is { } file ? StatePersister.TryLoad(file) : null;
        var tenant = saved is not null
            ? SimulatedTenant.FromState(saved, () => options.TimeProvider)
            : SimulatedTenant.FromSeed(seed, () => options.TimeProvider);
        var persister = options.StateFile is { } path ? new StatePersister(tenant, path) : null;
        persister?.Flush();

        var subscriptions = new SubscriptionHub(tenant, options);
        var router = new GraphRouter(tenant, options, persister, subscriptions);
        var identity = new SimulatedIdentity(tenant.TenantId, () => options.TimeProvider, tenant.RequestLog);

        // An empty builder: no configuration sources, so a host process's appsettings cannot move our endpoint.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(GraphSimulatorHost).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.Limits.MaxRequestBodySize = 8 * 1024 * 1024;
        });
        var app = builder.Build();
        app.Run(async context =>
        {
            if (SimulatedIdentity.Handles(context.Request))
            {
                await identity.HandleAsync(context);
                return;
            }

            var request = await GraphHttp.ReadAsync(context);
            if (request is null)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return;
            }

            var response = await router.DispatchAsync(request, context.RequestAborted);
            if (router.LoseResponse(request, response))
            {
                // The change is made (and persisted); only the answer goes missing, so the client cannot know.
                tenant.RequestLog.RecordLostResponse();
                if (options.LostResponseAbortsConnection)
                {
                    context.Abort();
                    return;
                }

                response = GraphResponse.Html(504, "Gateway Timeout");
            }

            await GraphHttp.WriteAsync(context, request, response);
        });

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await subscriptions.DisposeAsync();
            await app.DisposeAsync();
            if (persister is not null)
            {
                await persister.DisposeAsync();
            }

            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        return new GraphSimulatorHost(app, new Uri($"http://127.0.0.1:{port}/"), tenant, options, persister, subscriptions, identity);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await Subscriptions.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_persister is not null)
        {
            await _persister.DisposeAsync();
        }
    }
}

using System.Net;
using System.Net.Sockets;
using BossTalkCalendar.Api.Hosting;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Notifications;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Sandbox;

public static class SandboxExtensions
{
    /// <summary>
    /// In sandbox mode, runs the Graph simulator in-process with a demo tenant and points the Graph gateway at it; the
    /// demo team waits for its manager's approval like any other. Outside sandbox mode it registers nothing, whatever <c>Graph:BaseUrl</c> points at.
    /// The decision is made once, from the host's real environment, and pinned as <c>Sandbox:Enabled</c> so every later
    /// reader agrees. A configuration that is neither a tenant nor a safe sandbox stops here.
    /// </summary>
    public static WebApplicationBuilder AddSandbox(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SandboxOptions>().BindConfiguration(SandboxOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SandboxOptions>, SandboxOptionsValidator>();

        var enabled = bool.TryParse(builder.Configuration["Sandbox:Enabled"], out var explicitly)
            ? explicitly
            : builder.Environment.IsDevelopment() && string.IsNullOrWhiteSpace(builder.Configuration["Graph:TenantId"]);
        builder.Configuration.AddInMemoryCollection([new("Sandbox:Enabled", enabled ? "true" : "false")]);
        if (SandboxOptions.RefusalReason(builder.Configuration, builder.Environment) is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        if (!enabled)
        {
            return builder;
        }

        // The gateway reads Graph:BaseUrl like any other setting, so the simulator's address must be known now.
        var port = builder.Configuration.GetSection(SandboxOptions.SectionName).GetValue(nameof(SandboxOptions.GraphPort), 5180);
        if (port == 0)
        {
            port = FreeLoopbackPort();
        }

        builder.Configuration.AddInMemoryCollection(
        [
            new("Graph:BaseUrl", $"http://127.0.0.1:{port}/v1.0"),
            new("Sandbox:GraphPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ]);

        // A change made while trying the sandbox reaches its calendar read at once, not one fold window later, unless
        // the window was set explicitly.
        if (builder.Configuration["Notifications:FoldWindow"] is null)
        {
            builder.Configuration.AddInMemoryCollection([new("Notifications:FoldWindow", "00:00:00")]);
        }

        // Other folders' settings as the sandbox wants them, unless set explicitly: the first sweep runs at once, and
        // Graph's notifications reach the simulator's own address when Service:PublicBaseUrl is not https.
        services.PostConfigure<JobsOptions>(jobs => jobs.SweepOnStartup ??= true);
        // (Derived here too, so the order of AddNotifications and AddSandbox does not matter.)
        services.AddOptions<NotificationOptions>().PostConfigure<IOptions<ServiceOptions>>((notifications, service) =>
            notifications.Endpoint ??= NotificationOptions.Derive(service.Value) ?? NotificationOptions.SandboxEndpoint);

        services.AddSingleton<SandboxGraph>();
        services.AddHostedService(provider => provider.GetRequiredService<SandboxGraph>());
        services.AddHostedService<SandboxReport>();
        return builder;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

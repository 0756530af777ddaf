using BossTalkCalendar.Api.Hosting;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Observability;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Notifications;

public static class NotificationsExtensions
{
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>();
        // The sandbox adds its own endpoint when this derives none (SandboxExtensions).
        services.AddOptions<NotificationOptions>().PostConfigure<IOptions<ServiceOptions>>((options, service) =>
            options.Endpoint ??= NotificationOptions.Derive(service.Value));
        services.AddScoped<CalendarSubscriptions>();
        services.AddScoped<NotificationReceiver>();
        services.AddSingleton<NotificationReceipts>();
        services.AddSingleton<NotificationAbuseLimit>();
        services.TryAddSingleton<NotificationMetrics>();
        services.AddSingleton<UserRescans>();
        services.Replace(ServiceDescriptor.Singleton<ISweepPolicy, NotifiedSweepPolicy>());
        services.AddHostedService<NotificationsStartup>();
        services.AddHostedService<RescanDispatcher>();
        return builder;
    }
}

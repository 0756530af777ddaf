using BossTalkCalendar.Api.Hosting;
using Hangfire;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Notifications;

/// <summary>Schedules subscription upkeep and says at start-up whether Graph will notify us or the service polls.</summary>
internal sealed class NotificationsStartup(
    IRecurringJobManager recurring,
    IBackgroundJobClient jobs,
    IOptions<NotificationOptions> options,
    IOptions<ServiceOptions> service,
    ILogger<NotificationsStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.EndpointUri is not { } endpoint)
        {
            recurring.RemoveIfExists(CalendarSubscriptions.RecurringJobId);
            logger.NotificationsOff(service.Value.PublicBaseUrl);
            return Task.CompletedTask;
        }

        recurring.AddOrUpdate<CalendarSubscriptions>(
            CalendarSubscriptions.RecurringJobId,
            job => job.RunAsync(null, CancellationToken.None),
            options.Value.MaintenanceCron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        logger.NotificationsOn(endpoint, options.Value.SafetyNetCron);
        // Subscriptions for whoever is enrolled already, now rather than at the first scheduled run.
        jobs.Enqueue<CalendarSubscriptions>(job => job.RunAsync(null, CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

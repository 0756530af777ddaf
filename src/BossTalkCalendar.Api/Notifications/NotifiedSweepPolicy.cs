using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Notifications;

/// <summary>
/// With change notifications on, the sweep is a slow safety net (<see cref="NotificationOptions.SafetyNetCron"/>): a
/// user whose subscription is live and who was scanned within <see cref="NotificationOptions.SafetyNetMaxAge"/> is left
/// out, because notifications keep their calendar in view. Without notifications it is the polling sweep.
/// </summary>
public sealed class NotifiedSweepPolicy(
    IOptions<NotificationOptions> options,
    IOptions<JobsOptions> jobs,
    TimeProvider time) : ISweepPolicy
{
    public string Cron => options.Value.EndpointUri is not null ? options.Value.SafetyNetCron : jobs.Value.SweepCron;

    public async Task<IReadOnlySet<(string TenantId, string UserId)>> SkippableAsync(BossTalkDbContext db, IReadOnlyList<EnrolledUser> users, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(users);
        var skippable = new HashSet<(string TenantId, string UserId)>();
        if (options.Value.EndpointUri is null)
        {
            return skippable;
        }

        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var live = (await db.CalendarSubscriptions.AsNoTracking()
                .Where(c => c.SubscriptionId != null && c.ExpiresAtUnixMs > nowMs)
                .Select(c => new { c.TenantId, c.UserId })
                .ToListAsync(cancellationToken))
            .Select(c => (c.TenantId, c.UserId))
            .ToHashSet();
        foreach (var user in users)
        {
            if (live.Contains((user.TenantId, user.UserId)) && user.LastScanAt is { } scanned && now - scanned < options.Value.SafetyNetMaxAge)
            {
                skippable.Add((user.TenantId, user.UserId));
            }
        }

        return skippable;
    }
}

using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Persistence;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Notifications;

/// <summary>
/// Rescans of one user asked for by notifications, debounced: the first notification schedules a scan of that user
/// <see cref="NotificationOptions.Debounce"/> later and marks the user; notifications until that scan starts only join
/// it. The mark is in the app database, so this holds across instances; a mark older than a minute past its time
/// (its job was lost) no longer holds anything back.
/// </summary>
public sealed class UserRescans(
    IDbContextFactory<BossTalkDbContext> contexts,
    IBackgroundJobClient jobs,
    IOptions<NotificationOptions> options,
    TimeProvider time)
{
    private static readonly TimeSpan Stale = TimeSpan.FromMinutes(1);

    public async Task RequestAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = (now + options.Value.Debounce).ToUnixTimeMilliseconds();
        var stale = (now - Stale).ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var marked = await db.EnrolledUsers
            .Where(u => u.TenantId == tenantId && u.UserId == userId && u.Enrolled && !u.OptedOut && !u.Paused
                && (u.RescanDueUnixMs == null || u.RescanDueUnixMs < stale))
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.RescanDueUnixMs, due), cancellationToken);
        if (marked != 1)
        {
            return;
        }

        try
        {
            string[] users = [userId];
            jobs.Schedule<ScanUsersJob>(job => job.RunAsync(tenantId, users, 0, CancellationToken.None), options.Value.Debounce);
        }
        catch
        {
            // No job, so no mark: the next notification (Graph's retry) must be able to ask again.
            await db.EnrolledUsers
                .Where(u => u.TenantId == tenantId && u.UserId == userId && u.RescanDueUnixMs == due)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.RescanDueUnixMs, (long?)null), CancellationToken.None);
            throw;
        }
    }
}

using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Rollout;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Api.Jobs;

/// <summary>
/// Recurring <c>sweep</c>: one <see cref="ScanUserJob"/> per enrolled member of an approved team who has not opted out or
/// paused, then a check that no planned nudge lost its job.
/// </summary>
[AutomaticRetry(Attempts = 0)] // the next sweep is never far away
public sealed class SweepJob(
    IDbContextFactory<BossTalkDbContext> contexts,
    IBackgroundJobClient jobs,
    PendingNudges pending,
    ILogger<SweepJob> logger)
{
    public const string RecurringJobId = "sweep";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var users = await db.EnrolledUsers.AsNoTracking()
            .Where(u => u.Enrolled && !u.OptedOut && !u.Paused
                && db.Teams.Any(t => t.TenantId == u.TenantId && t.ManagerId == u.ManagerId && t.State == TeamState.Approved))
            .Select(u => new { u.TenantId, u.UserId })
            .ToListAsync(cancellationToken);

        foreach (var user in users)
        {
            jobs.Enqueue<ScanUserJob>(job => job.RunAsync(user.TenantId, user.UserId, 0, CancellationToken.None));
        }

        var recovered = await pending.RecoverAsync(afterRestart: false, cancellationToken);
        logger.SweepQueued(users.Count, recovered);
    }
}

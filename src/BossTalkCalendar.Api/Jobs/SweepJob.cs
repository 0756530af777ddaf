using BossTalkCalendar.Api.Persistence;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Jobs;

/// <summary>
/// Recurring <c>sweep</c>: queues <see cref="ScanUsersJob"/>s, in batches of <see cref="JobsOptions.BatchSize"/>, for
/// every enrolled member of an approved team who has not opted out or paused, then checks that no planned nudge lost
/// its job.
/// </summary>
[AutomaticRetry(Attempts = 0)] // the next sweep is never far away
public sealed class SweepJob(
    IDbContextFactory<BossTalkDbContext> contexts,
    IBackgroundJobClient jobs,
    PendingNudges pending,
    ISweepPolicy policy,
    IOptions<JobsOptions> options,
    ILogger<SweepJob> logger)
{
    public const string RecurringJobId = "sweep";

    /// <summary>The users whose calendars the service watches: enrolled members of approved teams, not opted out or paused.</summary>
    public static IQueryable<EnrolledUser> Active(BossTalkDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.EnrolledUsers.AsNoTracking()
            .Where(u => u.Enrolled && !u.OptedOut && !u.Paused
                && db.Teams.Any(t => t.TenantId == u.TenantId && t.ManagerId == u.ManagerId && t.State == TeamState.Approved));
    }

    /// <summary>The recurring sweep: everyone the <see cref="ISweepPolicy"/> does not leave out.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => SweepAsync(everyone: false, cancellationToken);

    /// <summary>
    /// Everyone, whatever the policy: at start-up (what changed while the service was down is not known, beyond what
    /// Graph still delivers) and when asked for by hand.
    /// </summary>
    public Task RunForEveryoneAsync(CancellationToken cancellationToken) => SweepAsync(everyone: true, cancellationToken);

    private async Task SweepAsync(bool everyone, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var active = await Active(db).OrderBy(u => u.TenantId).ThenBy(u => u.UserId).ToListAsync(cancellationToken);
        var skippable = everyone ? new HashSet<(string, string)>() : await policy.SkippableAsync(db, active, cancellationToken);
        var users = active.Where(u => !skippable.Contains((u.TenantId, u.UserId))).ToList();

        var batches = 0;
        foreach (var tenant in users.GroupBy(u => u.TenantId))
        {
            foreach (var batch in tenant.Select(u => u.UserId).Chunk(options.Value.BatchSize))
            {
                jobs.Enqueue<ScanUsersJob>(job => job.RunAsync(tenant.Key, batch, 0, CancellationToken.None));
                batches++;
            }
        }

        var recovered = await pending.RecoverAsync(afterRestart: false, cancellationToken);
        logger.SweepQueued(users.Count, batches, recovered);
    }
}

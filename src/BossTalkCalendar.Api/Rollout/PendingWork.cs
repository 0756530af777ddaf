using BossTalkCalendar.Api.Persistence;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Api.Rollout;

/// <summary>Reason codes (stored in <c>Nudge.Reason</c>) of nudges the rollout cancelled.</summary>
public static class RolloutReasons
{
    public const string TeamRevoked = "team-revoked";
    public const string LeftTeam = "left-team";
    public const string OptedOut = "opted-out";
}

/// <summary>Cancels nudges that wait for placement and deletes their Hangfire jobs. Placed events stay: they are the users' own.</summary>
public sealed class PendingWork(IDbContextFactory<BossTalkDbContext> contexts, IBackgroundJobClient jobs, TimeProvider time)
{
    /// <summary>Every planned nudge of these users becomes cancelled with <paramref name="reason"/>; returns how many.</summary>
    public async Task<int> CancelAsync(string tenantId, IReadOnlyCollection<string> userIds, string reason, CancellationToken cancellationToken)
    {
        if (userIds.Count == 0)
        {
            return 0;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var planned = await db.Nudges.AsNoTracking()
            .Where(n => n.TenantId == tenantId && userIds.Contains(n.UserId) && n.State == NudgeState.Planned)
            .Select(n => new { n.Id, n.HangfireJobId })
            .ToListAsync(cancellationToken);
        if (planned.Count == 0)
        {
            return 0;
        }

        var ids = planned.Select(n => n.Id).ToList();
        var now = time.GetUtcNow();
        // Only while still planned: a placement that finished a moment ago keeps its result.
        var cancelled = await db.Nudges
            .Where(n => ids.Contains(n.Id) && n.State == NudgeState.Planned)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(n => n.State, NudgeState.Cancelled)
                    .SetProperty(n => n.Reason, reason)
                    .SetProperty(n => n.UpdatedAt, now),
                cancellationToken);

        // A job that escapes deletion (already running) finds its nudge no longer planned and does nothing.
        foreach (var jobId in planned.Select(n => n.HangfireJobId).OfType<string>())
        {
            jobs.Delete(jobId);
        }

        return cancelled;
    }
}

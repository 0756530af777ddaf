using BossTalkCalendar.Api.Nudges;

namespace BossTalkCalendar.Api.Rollout;

/// <summary>Reason codes (stored in <c>Nudge.Reason</c>) of nudges the rollout cancelled.</summary>
public static class RolloutReasons
{
    public const string TeamRevoked = "team-revoked";
    public const string LeftTeam = "left-team";
    public const string OptedOut = "opted-out";
}

/// <summary>Cancels nudges that wait for placement and deletes their Hangfire jobs. Placed events stay: they are the users' own.</summary>
public sealed class PendingWork(NudgeStore store, INudgeScheduler scheduler)
{
    /// <summary>Every planned nudge of these users becomes cancelled with <paramref name="reason"/>; returns how many.</summary>
    public async Task<int> CancelAsync(string tenantId, IReadOnlyCollection<string> userIds, string reason, CancellationToken cancellationToken)
    {
        var (cancelled, jobIds) = await store.CancelPlannedAsync(tenantId, userIds, reason, cancellationToken);
        // A job still running, or kept for other users' nudges of its batch, finds these no longer planned and leaves
        // them alone.
        await scheduler.DeleteUnusedAsync(jobIds, cancellationToken);
        return cancelled;
    }
}

using BossTalkCalendar.Api.Persistence;

namespace BossTalkCalendar.Api.Jobs;

/// <summary>What the jobs log: ids, counts, states and our reason codes; never calendar content.</summary>
internal static partial class JobsLog
{
    [LoggerMessage(LogLevel.Information, "Sweep queued scans of {Users} users in {Batches} batches and re-queued {Recovered} planned nudges")]
    public static partial void SweepQueued(this ILogger logger, int users, int batches, int recovered);

    [LoggerMessage(LogLevel.Information, "Scan of {Users} users planned {Count} reflection(s)")]
    public static partial void ScanPlanned(this ILogger logger, int users, int count);

    [LoggerMessage(LogLevel.Warning, "Scan of {Users} users hit {Failure}; trying them again in {Delay}")]
    public static partial void ScanRetry(this ILogger logger, int users, Core.Graph.GatewayFailure failure, TimeSpan delay);

    [LoggerMessage(LogLevel.Information, "Placing nudge {NudgeId} hit {Failure}; trying again in {Delay}")]
    public static partial void PlacementRetry(this ILogger logger, Guid nudgeId, string failure, TimeSpan delay);

    /// <summary>Only the exception's type: a database error's message can quote a statement.</summary>
    [LoggerMessage(LogLevel.Warning, "Placing for user {UserId} hit a database fault ({ExceptionType}); the nudge comes back later")]
    public static partial void PlacementDatabaseFault(this ILogger logger, string userId, string exceptionType);

    [LoggerMessage(LogLevel.Information, "Nudge {NudgeId} for user {UserId}: {State} {Reason}")]
    public static partial void NudgeSettled(this ILogger logger, Guid nudgeId, string userId, NudgeState state, string reason);

    [LoggerMessage(LogLevel.Information, "Nudge {NudgeId}: our event was already on the calendar (an earlier answer was lost); adopted it")]
    public static partial void PlacementAdopted(this ILogger logger, Guid nudgeId);

    [LoggerMessage(LogLevel.Warning, "Placing nudge {NudgeId} failed {Failures} times ({Failure}); giving up")]
    public static partial void PlacementGaveUp(this ILogger logger, Guid nudgeId, int failures, string failure);

    [LoggerMessage(LogLevel.Information, "Reconciliation checked {Checked} nudges: adopted {Adopted}, withdrew {Withdrawn}, marked {Removed} removed, moved {Moved} prep blocks")]
    public static partial void Reconciled(this ILogger logger, int @checked, int adopted, int withdrawn, int removed, int moved);

    [LoggerMessage(LogLevel.Information, "Re-queued placement of {Count} planned nudges")]
    public static partial void Recovered(this ILogger logger, int count);

    [LoggerMessage(LogLevel.Information, "First sweep queued at start-up")]
    public static partial void FirstSweepQueued(this ILogger logger);

    [LoggerMessage(LogLevel.Information, "Nudge {NudgeId} was cancelled while its event was being created; the event was deleted again")]
    public static partial void PlacementWithdrawn(this ILogger logger, Guid nudgeId);

    [LoggerMessage(LogLevel.Warning, "Reconciling nudge {NudgeId} hit {Failure}")]
    public static partial void ReconcileFailed(this ILogger logger, Guid nudgeId, Core.Graph.GatewayFailure failure);

    [LoggerMessage(LogLevel.Warning, "Scan of user {UserId} failed: {Failure}")]
    public static partial void ScanFailed(this ILogger logger, string userId, Core.Graph.GatewayFailure failure);
}

using BossTalkCalendar.Core.Graph;

namespace BossTalkCalendar.Api.Rollout;

/// <summary>What the rollout logs: ids, counts and our codes; never names.</summary>
internal static partial class RolloutLog
{
    [LoggerMessage(LogLevel.Information, "Team of manager {ManagerId} refreshed: {Joined} joined, {Left} left")]
    public static partial void TeamRefreshed(this ILogger logger, string managerId, int joined, int left);

    [LoggerMessage(LogLevel.Warning, "Team of manager {ManagerId} not refreshed: Graph answered {Failure}; the next refresh tries again")]
    public static partial void RefreshSkipped(this ILogger logger, string managerId, GatewayFailure failure);

    [LoggerMessage(LogLevel.Information, "Retention deleted the data of {Count} former member(s) after {Days} days")]
    public static partial void DataDeleted(this ILogger logger, int count, int days);

    [LoggerMessage(LogLevel.Information, "Team of manager {ManagerId} {Action} by {ActorId}")]
    public static partial void TeamChanged(this ILogger logger, string managerId, string action, string actorId);
}

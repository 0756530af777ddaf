
namespace BossTalkCalendar.Api.Notifications;

internal static partial class NotificationsLog
{
    [LoggerMessage(LogLevel.Information, "Change notifications are on at {Endpoint}; the safety-net sweep runs on {Cron}")]
    public static partial void NotificationsOn(this ILogger logger, Uri endpoint, string cron);

    [LoggerMessage(LogLevel.Warning, "Change notifications are off: Graph delivers them only to https, and Service:PublicBaseUrl is {PublicBaseUrl}. Calendars are polled on Jobs:SweepCron")]
    public static partial void NotificationsOff(this ILogger logger, string publicBaseUrl);

    [LoggerMessage(LogLevel.Debug, "Ignored notifications: {Forged} not Graph's (unknown subscription or wrong clientState), {Replays} already seen, {OwnBlocks} about a block of ours")]
    public static partial void NotificationsIgnored(this ILogger logger, int forged, int replays, int ownBlocks);

    [LoggerMessage(LogLevel.Warning, "Notifications could not be queued ({Error}); answered 503 so that Graph delivers them again")]
    public static partial void NotificationsNotQueued(this ILogger logger, string error);

    [LoggerMessage(LogLevel.Warning, "Queueing rescans failed ({Error}); the users stay marked for the next dispatch")]
    public static partial void RescanDispatchFailed(this ILogger logger, string error);

    [LoggerMessage(LogLevel.Information, "Subscriptions: {Made} made, {Renewed} renewed, {Dropped} deleted")]
    public static partial void SubscriptionsMaintained(this ILogger logger, int made, int renewed, int dropped);

    [LoggerMessage(LogLevel.Warning, "Subscription work for user {UserId} failed: {Failure}")]
    public static partial void SubscriptionFailed(this ILogger logger, string userId, BossTalkCalendar.Core.Graph.GatewayFailure failure);
}

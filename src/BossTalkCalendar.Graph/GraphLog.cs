using Microsoft.Extensions.Logging;

namespace BossTalkCalendar.Graph;

/// <summary>What the gateway logs: our codes, counts and Graph's operation names; never calendar content.</summary>
internal static partial class GraphLog
{
    [LoggerMessage(LogLevel.Warning, "Graph mailbox settings: a time zone could not be resolved; fallback {ZoneFallback}.")]
    public static partial void MailboxZoneFallback(this ILogger logger, string zoneFallback);

    [LoggerMessage(LogLevel.Warning, "Graph get schedule: {Count} working-hours time zone(s) could not be resolved; fallback {ZoneFallback}.")]
    public static partial void ScheduleZoneFallback(this ILogger logger, int count, string zoneFallback);

    [LoggerMessage(LogLevel.Warning, "Graph find our event: more than one event carries the same source value; the first is used.")]
    public static partial void OurEventFoundTwice(this ILogger logger);

    [LoggerMessage(LogLevel.Information, "Graph throttled {Operation}; retry after {RetryAfter}.")]
    public static partial void Throttled(this ILogger logger, string operation, TimeSpan? retryAfter);
}

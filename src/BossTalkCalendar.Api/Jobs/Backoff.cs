namespace BossTalkCalendar.Api.Jobs;

/// <summary>How long a job waits before it tries Graph again.</summary>
internal static class Backoff
{
    private static readonly TimeSpan Max = TimeSpan.FromMinutes(10);

    /// <summary>Graph's Retry-After when it gave one, else 15 s doubling per failed attempt, capped at 10 min.</summary>
    public static TimeSpan Delay(int failedAttempts, TimeSpan? retryAfter)
    {
        if (retryAfter is { } asked && asked > TimeSpan.Zero)
        {
            return asked < Max ? asked : Max;
        }

        var seconds = 15 * Math.Pow(2, Math.Clamp(failedAttempts - 1, 0, 10));
        return TimeSpan.FromSeconds(Math.Min(seconds, Max.TotalSeconds));
    }
}

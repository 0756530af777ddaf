namespace BossTalkCalendar.Api.Jobs;

/// <summary>How long a job waits before it tries Graph again.</summary>
internal static class Backoff
{
    private static readonly TimeSpan Max = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Graph's Retry-After when it gave one, else <paramref name="firstDelay"/> (<see cref="JobsOptions.RetryDelay"/>)
    /// doubling per failed attempt; capped at 10 min either way.
    /// </summary>
    public static TimeSpan Delay(int failedAttempts, TimeSpan? retryAfter, TimeSpan firstDelay)
    {
        if (retryAfter is { } asked && asked > TimeSpan.Zero)
        {
            return asked < Max ? asked : Max;
        }

        var seconds = firstDelay.TotalSeconds * Math.Pow(2, Math.Clamp(failedAttempts - 1, 0, 10));
        return TimeSpan.FromSeconds(Math.Min(seconds, Max.TotalSeconds));
    }
}

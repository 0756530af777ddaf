using System.Diagnostics;

namespace BossTalkCalendar.Testing;

/// <summary>Polls a condition until it holds, instead of sleeping a fixed time and hoping.</summary>
public static class Eventually
{
    /// <param name="condition">Checked every 200 ms.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="what">What is waited for, for the timeout's message.</param>
    /// <param name="lastSeen">What the condition last saw, for the timeout's message, so a flake leaves data behind.</param>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string?>? lastSeen = null)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}.{(lastSeen?.Invoke() is { } seen ? " Last seen: " + seen : "")}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>
    /// Like <see cref="TrueAsync"/>, but the condition must hold on two readings in a row. For waits on Hangfire's queues:
    /// each state is a query of its own, so one reading can miss a job moving between two of them (see
    /// <see cref="JobQueues.Busy"/>).
    /// </summary>
    public static Task StableAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string?>? lastSeen = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var before = false;
        return TrueAsync(
            async () =>
            {
                var now = await condition();
                (var stable, before) = (now && before, now);
                return stable;
            },
            timeout,
            what,
            lastSeen);
    }
}

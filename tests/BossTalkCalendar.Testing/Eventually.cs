using System.Diagnostics;

namespace BossTalkCalendar.Testing;

/// <summary>Polls a condition until it holds, instead of sleeping a fixed time and hoping.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
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
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }
}

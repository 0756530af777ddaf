using System.Diagnostics;
using System.Globalization;

namespace BossTalkCalendar.Deploy.Tests;

/// <summary>
/// The clock the containers run on: the kernel's. The service in a container runs on it whatever the test process does;
/// a test run under libfaketime (LD_PRELOAD) would otherwise build its tenant around another "now" than the container
/// sees. The offset is read once, from <c>date</c> started without the preload; on an ordinary run it is about zero.
/// The tenant, the simulator and the approving instance all use this clock.
/// </summary>
public sealed class ContainerClock : TimeProvider
{
    private readonly TimeSpan _offset;

    private ContainerClock(TimeSpan offset) => _offset = offset;

    public static async Task<ContainerClock> ReadAsync()
    {
        var start = new ProcessStartInfo("date", "+%s.%N") { RedirectStandardOutput = true, UseShellExecute = false };
        start.Environment.Remove("LD_PRELOAD");
        start.Environment.Remove("FAKETIME");
        using var date = Process.Start(start)!;
        var seconds = decimal.Parse((await date.StandardOutput.ReadToEndAsync()).Trim(), CultureInfo.InvariantCulture);
        await date.WaitForExitAsync();
        var kernel = DateTimeOffset.UnixEpoch + TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
        return new ContainerClock(kernel - System.GetUtcNow());
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _offset;
}

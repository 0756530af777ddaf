using BenchmarkDotNet.Running;

namespace BossTalkCalendar.Benchmarks;

/// <summary>
/// Entry point. <c>--describe</c> prints the benchmark inputs and what the finders return for them, without
/// measuring; <c>sweep --users N</c> runs the tenant sweep through the real service and <c>load --rps R --seconds S</c>
/// the API load run, <c>notify --users N</c> the change-notification run and <c>hour --users N --minutes M</c> the measured day (see README); anything else goes to BenchmarkDotNet (e.g. <c>--filter '*Finder*' --job short</c>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["sweep", .. var sweep])
        {
            return TenantSweep.TenantSweepRun.RunAsync(sweep).GetAwaiter().GetResult();
        }

        if (args is ["notify", .. var notify])
        {
            return TenantSweep.NotifyRun.RunAsync(notify).GetAwaiter().GetResult();
        }

        if (args is ["hour", .. var hour])
        {
            return TenantSweep.HourRun.RunAsync(hour).GetAwaiter().GetResult();
        }

        if (args is ["load", .. var load])
        {
            return TenantSweep.LoadRun.RunAsync(load).GetAwaiter().GetResult();
        }

        if (args is ["--describe"])
        {
            Console.WriteLine(ReflectionScenario.Create().Describe());
            Console.WriteLine(FollowUpScenario.Create(new DateOnly(2026, 6, 1)).Describe());
            Console.WriteLine(FollowUpScenario.Create(new DateOnly(2026, 6, 8)).Describe());
            return 0;
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}

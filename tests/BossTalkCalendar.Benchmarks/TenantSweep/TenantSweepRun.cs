using System.Diagnostics;
using System.Globalization;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Rollout;
using BossTalkCalendar.GraphSimulator;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BossTalkCalendar.Benchmarks.TenantSweep;

/// <summary>
/// <c>sweep --users N [--rate R] [--workers W]</c>: a full sweep of a simulated tenant through the real service, then
/// a steady-state sweep with nothing new due, measured by the simulator's request log.
/// </summary>
internal static class TenantSweepRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var users = Arg(args, "--users", 10_000);
        var rate = Arg(args, "--rate", 2_000);
        var workers = Arg(args, "--workers", 16);
        var timeout = TimeSpan.FromMinutes(Arg(args, "--timeout-minutes", 30));
        var now = TimeProvider.System.GetUtcNow();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Tenant sweep: {users} users, {SweepTenant.ManagerCount(users)} managers, {SweepTenant.EventsPerUser} events each; simulator: 4 concurrent per mailbox, {rate} requests/s; service: {workers} workers, Graph:MaxRequestsPerSecond {ServiceRate(rate)}"));
        var seedWatch = Stopwatch.StartNew();
        var seed = SweepTenant.Build(users, now);
        var options = new SimulatorOptions { MailboxConcurrencyLimit = 4, RequestsPerSecond = rate };
        await using var simulator = await GraphSimulatorHost.StartAsync(seed, options);
        seed = null;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Simulator seeded in {seedWatch.Elapsed.TotalSeconds:F1} s at {simulator.GraphBaseUrl}"));

        var dataDirectory = Path.Combine(Path.GetTempPath(), "bosstalk-sweep-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        try
        {
            using var service = new ServiceHost(dataDirectory, simulator.GraphBaseUrl, new Dictionary<string, string?>
            {
                ["Graph:MaxRequestsPerSecond"] = ServiceRate(rate).ToString(CultureInfo.InvariantCulture),
                ["Graph:MaxConcurrentRequestsPerMailbox"] = "4",
                ["Jobs:WorkerCount"] = workers.ToString(CultureInfo.InvariantCulture),
                ["Jobs:PollInterval"] = "00:00:01",
                ["Jobs:LookbackHours"] = "24",
            });
            service.StartServer();

            await EnrollAsync(service, users);
            var active = users;

            // First sweep: everything is new.
            simulator.Tenant.RequestLog.Reset();
            var eventsBefore = CountEvents(simulator, users);
            var first = await SweepAsync(service, simulator, active, timeout);
            var firstLog = simulator.Tenant.RequestLog.Snapshot();
            var throttledFirst = simulator.Tenant.RequestLog.ThrottledCount;
            var placedEvents = CountEvents(simulator, users) - eventsBefore;
            var (placed, states) = await NudgeStatesAsync(service);

            // Steady state: the same tenant again, nothing new due.
            simulator.Tenant.RequestLog.Reset();
            var second = await SweepAsync(service, simulator, active, timeout);
            var secondLog = simulator.Tenant.RequestLog.Snapshot();
            var throttledSecond = simulator.Tenant.RequestLog.ThrottledCount;
            var (placedAfter, _) = await NudgeStatesAsync(service);

            using var process = Process.GetCurrentProcess();
            process.Refresh();
            var peakMb = process.PeakWorkingSet64 / (1024.0 * 1024.0);

            Console.WriteLine();
            Report("First sweep", users, first, firstLog, throttledFirst, rate);
            Report("Steady-state sweep", users, second, secondLog, throttledSecond, rate);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Reflections due:            {users}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Reflections placed:         {placed} (app database), {placedEvents} new events on the simulator's calendars; nudge states: {states}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Placed by the steady sweep: {placedAfter - placed}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Peak working set:           {peakMb:F0} MB (this process: simulator with {users * SweepTenant.EventsPerUser:N0} events + service; target < 500 MB)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Peak concurrency/mailbox:   {simulator.Tenant.RequestLog.MaxPeakConcurrency} (steady sweep)"));
            return placed == users && placedEvents == users ? 0 : 1;
        }
        finally
        {
            TryDelete(dataDirectory);
        }
    }

    // Just under the simulator's limit, as an operator would set it under Graph's.
    private static int ServiceRate(int simulatorRate) => Math.Max(1, (int)(simulatorRate * 0.95));

    private static async Task EnrollAsync(ServiceHost service, int users)
    {
        var watch = Stopwatch.StartNew();
        var rollout = service.Services.GetRequiredService<TeamRollout>();
        for (var j = 0; j < SweepTenant.ManagerCount(users); j++)
        {
            var managerId = SweepTenant.ManagerId(j);
            await rollout.ApproveAsync(SweepTenant.TenantId, managerId, managerId, [.. SweepTenant.ReportsOf(j, users)], CancellationToken.None);
        }

        await using var db = await service.CreateDbContextAsync();
        var enrolled = await db.EnrolledUsers.CountAsync(u => u.Enrolled);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Approved {SweepTenant.ManagerCount(users)} teams through TeamRollout ({enrolled} enrolled) in {watch.Elapsed.TotalSeconds:F1} s"));
    }

    private sealed record SweepResult(TimeSpan Wall, TimeSpan ScansDone);

    /// <summary>Triggers the recurring sweep and waits until every active user was scanned and no nudge is still planned.</summary>
    private static async Task<SweepResult> SweepAsync(ServiceHost service, GraphSimulatorHost simulator, int active, TimeSpan timeout)
    {
        var since = TimeProvider.System.GetUtcNow();
        var watch = Stopwatch.StartNew();
        service.Services.GetRequiredService<IRecurringJobManager>().Trigger(SweepJob.RecurringJobId);
        TimeSpan? scansDone = null;
        var lastPrint = TimeSpan.Zero;
        while (true)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            await using var db = await service.CreateDbContextAsync();
            // SQLite cannot compare DateTimeOffset in SQL; the instants are compared here.
            var scans = await db.EnrolledUsers.Where(u => u.Enrolled).Select(u => u.LastScanAt).ToListAsync();
            var scanned = scans.Count(scannedAt => scannedAt >= since);
            var planned = await db.Nudges.CountAsync(n => n.State == NudgeState.Planned);
            if (scanned >= active && scansDone is null)
            {
                scansDone = watch.Elapsed;
            }

            if (scanned >= active && planned == 0)
            {
                return new SweepResult(watch.Elapsed, scansDone ?? watch.Elapsed);
            }

            if (watch.Elapsed - lastPrint >= TimeSpan.FromSeconds(10))
            {
                lastPrint = watch.Elapsed;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {watch.Elapsed.TotalSeconds,6:F0} s: scanned {scanned}/{active}, planned {planned}, Graph requests {simulator.Tenant.RequestLog.TotalCount}, 429s {simulator.Tenant.RequestLog.ThrottledCount}"));
            }

            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"Sweep not done after {timeout}: scanned {scanned}/{active}, planned {planned}."));
            }
        }
    }

    private static void Report(string title, int users, SweepResult result, IReadOnlyDictionary<RequestLogKey, long> log, long throttled, int rate)
    {
        // $batch envelopes are counted besides their sub-requests; Graph's limits count the sub-requests.
        var requests = log.Where(e => e.Key.Route != "/$batch").Sum(e => e.Value);
        var admitted = requests - throttled;
        var bound = TimeSpan.FromSeconds(admitted / (double)rate);
        Console.WriteLine(title);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  wall time                {result.Wall.TotalSeconds:F1} s (all scans done at {result.ScansDone.TotalSeconds:F1} s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  users/s                  {users / result.Wall.TotalSeconds:F1}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  Graph requests           {requests} ({requests / (double)users:F2} per user), 429s {throttled}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  rate-limit lower bound   {bound.TotalSeconds:F1} s ({admitted} requests / {rate} per s); wall/bound {result.Wall.TotalSeconds / Math.Max(bound.TotalSeconds, 0.001):F2}"));
        foreach (var (key, count) in log.GroupBy(e => (e.Key.Method, e.Key.Route, e.Key.Status)).Select(g => (g.Key, g.Sum(e => e.Value))).OrderByDescending(e => e.Item2))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {key.Method,-6} {key.Route,-40} {key.Status} {count,8} ({count / (double)users:F2}/user)"));
        }
    }

    private static long CountEvents(GraphSimulatorHost simulator, int users) =>
        Enumerable.Range(0, users).Sum(i => (long)simulator.Tenant.EventsOf(SweepTenant.ReportId(i)).Count);

    private static async Task<(int Placed, string States)> NudgeStatesAsync(ServiceHost service)
    {
        await using var db = await service.CreateDbContextAsync();
        var states = await db.Nudges.GroupBy(n => n.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        var placed = states.Where(s => s.Key == NudgeState.Placed).Sum(s => s.Count);
        return (placed, string.Join(", ", states.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Count}"))));
    }

    internal static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    internal static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file SQLite still holds; the temp folder is cleaned by the OS eventually.
        }
    }
}

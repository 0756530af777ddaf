using System.Diagnostics;
using System.Globalization;
using BossTalkCalendar.GraphSimulator;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BossTalkCalendar.Benchmarks.TenantSweep;

/// <summary>
/// What the change-notification runs (<see cref="NotifyRun"/>, <see cref="HourRun"/>) share: the enrolment phase,
/// triggering a recurring job and waiting for its run, waits with progress, and reading the simulator's request log.
/// </summary>
internal static class NotifyHarness
{
    private static readonly TimeSpan PhaseTimeout = TimeSpan.FromMinutes(8);

    /// <summary>
    /// The child service's settings for a run on change notifications: the sweep settings of
    /// <see cref="TenantSweepRun.ChildSettings"/>, plus notifications on and the safety net fired only by the run.
    /// </summary>
    internal static ServiceSettings ChildSettings(TestStorage storage, string dataDirectory, GraphSimulatorHost simulator, int rate, int workers) =>
        TenantSweepRun.ChildSettings(storage, dataDirectory, simulator, rate, workers)
            // The child keeps the service's own sweep schedule; the observer never sweeps.
            .With("Jobs:SweepCron", null)
            // Notifications on: Graph (the simulator) reaches the service at an https URL, mapped onto its loopback port.
            .With("Service:PublicBaseUrl", "https://bosstalk.test")
            // Subscriptions are made within a minute of the start rather than five.
            .With("Notifications:MaintenanceCron", "* * * * *")
            // 31 February: the safety net fires only when the run triggers it.
            .With("Notifications:SafetyNetCron", ServiceSettings.Never);

    /// <summary>
    /// Waits until the service (just started, with <c>Jobs:SweepOnStartup</c>) has subscribed and scanned every one of
    /// <paramref name="active"/> users, prints what that cost and returns the directory requests per user (cold).
    /// </summary>
    internal static async Task<double> EnrolAsync(BossTalkCalendarApplication observer, GraphSimulatorHost simulator, ServiceProcess service, Stopwatch watch, DateTimeOffset enrolStart, int active)
    {
        TimeSpan? subscribedAt = null;
        TimeSpan? scannedAt = null;
        await WaitAsync("enrol", service, watch, async () =>
        {
            if (subscribedAt is null && simulator.Subscriptions.All.Count >= active)
            {
                subscribedAt = watch.Elapsed;
            }

            if (scannedAt is null && await ScannedSinceAsync(observer, enrolStart) >= active)
            {
                scannedAt = watch.Elapsed;
            }

            return (subscribedAt is not null && scannedAt is not null,
                string.Create(CultureInfo.InvariantCulture, $"subscriptions {simulator.Subscriptions.All.Count}/{active}, validations {simulator.Subscriptions.Counters.Validations}, Graph requests {simulator.Tenant.RequestLog.TotalCount}"));
        });
        var enrolLog = simulator.Tenant.RequestLog.Snapshot();
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Enrol: every user subscribed after {subscribedAt!.Value.TotalSeconds:F1} s (from the service's start; the maintenance job runs at each minute), every user scanned after {scannedAt!.Value.TotalSeconds:F1} s; {simulator.Subscriptions.Counters.Validations} validation handshakes"));
        PrintLog(enrolLog, active);
        return Per(enrolLog, active, IsDirectory);
    }

    internal static bool IsSubscription(RequestLogKey key) => key.Route.StartsWith("/subscriptions", StringComparison.Ordinal);

    internal static bool IsDirectory(RequestLogKey key) =>
        key.Route is "/users/{id}" or "/users/{id}/manager" || key.Route.StartsWith("/users/{id}/mailboxSettings", StringComparison.Ordinal);

    /// <summary>What a scan or a placement asks of calendars (not directory, not subscriptions, not $batch envelopes).</summary>
    internal static bool IsCalendar(RequestLogKey key) => !IsSubscription(key) && !IsDirectory(key) && key.Route != "/$batch";

    internal static double Per(IReadOnlyDictionary<RequestLogKey, long> log, int count, Func<RequestLogKey, bool> which) =>
        log.Where(e => which(e.Key)).Sum(e => e.Value) / (double)Math.Max(1, count);

    internal static void PrintLog(IReadOnlyDictionary<RequestLogKey, long> log, int per)
    {
        foreach (var (key, count) in log.OrderByDescending(e => e.Value))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {key.Method,-6} {key.Route,-40} {key.Status} {count,8} ({count / (double)per:F3} each)"));
        }
    }

    internal static async Task<int> ScannedSinceAsync(BossTalkCalendarApplication observer, DateTimeOffset since)
    {
        await using var db = await observer.CreateDbContextAsync();
        // SQLite cannot compare DateTimeOffset in SQL; the instants are compared here.
        var scans = await db.EnrolledUsers.Where(u => u.Enrolled && !u.OptedOut && !u.Paused).Select(u => u.LastScanAt).ToListAsync();
        return scans.Count(s => s >= since);
    }

    internal static async Task<int> RescansPendingAsync(BossTalkCalendarApplication observer)
    {
        await using var db = await observer.CreateDbContextAsync();
        return await db.EnrolledUsers.CountAsync(u => u.RescanDueUnixMs != null);
    }

    /// <summary>Nothing in flight: every notification delivered and no rescan waiting.</summary>
    internal static async Task QuietAsync(BossTalkCalendarApplication observer, GraphSimulatorHost simulator)
    {
        for (var i = 0; i < 120; i++)
        {
            await simulator.Subscriptions.IdleAsync();
            if (await RescansPendingAsync(observer) == 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Triggers the recurring job <paramref name="jobId"/> through Hangfire's shared storage (the child's server runs it) and waits until that run succeeded.</summary>
    internal static async Task TriggerAsync(BossTalkCalendarApplication observer, ServiceProcess service, Stopwatch watch, string jobId, string phase)
    {
        var jobs = observer.Services.GetRequiredService<JobStorage>();
        string? LastJobId()
        {
            using var connection = jobs.GetConnection();
            return connection.GetRecurringJobs([jobId]).Single().LastJobId;
        }

        var previous = LastJobId();
        observer.Services.GetRequiredService<IRecurringJobManager>().Trigger(jobId);
        await WaitAsync(phase, service, watch, () =>
        {
            var id = LastJobId();
            if (id is null || id == previous)
            {
                return Task.FromResult((false, "not yet triggered"));
            }

            using var connection = jobs.GetConnection();
            var state = connection.GetStateData(id)?.Name;
            return Task.FromResult((state == "Succeeded", jobId + " job " + id + ": " + state));
        });
    }

    internal static async Task WaitAsync(string phase, ServiceProcess service, Stopwatch watch, Func<Task<(bool Done, string Progress)>> check, TimeSpan? poll = null, TimeSpan? timeout = null)
    {
        var lastPrint = watch.Elapsed;
        while (true)
        {
            await Task.Delay(poll ?? TimeSpan.FromSeconds(1));
            if (service.HasExited)
            {
                throw new InvalidOperationException($"The service process exited with {service.ExitCode} during {phase}:\n{service.Output}");
            }

            var (done, progress) = await check();
            if (done)
            {
                return;
            }

            if (watch.Elapsed - lastPrint >= TimeSpan.FromSeconds(10))
            {
                lastPrint = watch.Elapsed;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {phase} {watch.Elapsed.TotalSeconds,6:F0} s: {progress}"));
            }

            if (watch.Elapsed > (timeout ?? PhaseTimeout))
            {
                throw new TimeoutException($"{phase} not done after {timeout ?? PhaseTimeout}: {progress}. Service output:\n{service.Output}");
            }
        }
    }
}

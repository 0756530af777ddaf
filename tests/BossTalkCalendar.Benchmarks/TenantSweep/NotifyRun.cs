using System.Diagnostics;
using System.Globalization;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Nudges;
using BossTalkCalendar.GraphSimulator;
using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Benchmarks.TenantSweep;

/// <summary>
/// <c>notify --users N [--workers W] [--sample S] [--changes-per-day C] [--directory-refreshes D] [--poll SECONDS]
/// [--notification-delay-ms MS] [--provider Sqlite|PostgreSql --connection CS]</c>:
/// issue #14's targets with change notifications on. The service (child process, SQLite, <c>Service:PublicBaseUrl</c>
/// https, so notifications are on) and the simulator (this process, delivering notifications to the child's loopback
/// address) run each cost of a working day once on the real path, on the wall clock; the day is then composed from
/// the measured unit costs (printed with its formula). Phases: enrol (one subscription per user and the first full
/// scan), changes (one new event on every user's calendar), safety net (the 6-hourly sweep triggered once),
/// due (a sample of one-on-ones ending 1.5–3.5 minutes ahead: due→placed latency), renew (the service restarted with
/// settings that make every subscription due for renewal: every one renewed, none lost).
/// </summary>
internal static class NotifyRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var users = TenantSweepRun.Arg(args, "--users", 10_000);
        var workers = TenantSweepRun.Arg(args, "--workers", 4);
        var rate = TenantSweepRun.Arg(args, "--rate", 2_000);
        var sample = Math.Min(users, TenantSweepRun.Arg(args, "--sample", 1_000));
        var changesPerDay = TenantSweepRun.Arg(args, "--changes-per-day", 3);
        var directoryRefreshes = TenantSweepRun.Arg(args, "--directory-refreshes", 1);
        var pollSeconds = TenantSweepRun.Arg(args, "--poll", 0);
        var notificationDelayMs = TenantSweepRun.Arg(args, "--notification-delay-ms", 0);
        var clock = TimeProvider.System;
        var failures = new List<string>();

        // SQLite files in the data folder, or a throwaway PostgreSQL database dropped at the end (as the sweep mode).
        await using var storage = await TenantSweepRun.CreateStorageAsync(args);
        if (storage is null)
        {
            return 2;
        }

        // The one-on-ones of the seed ended three days ago, outside the 24-hour look-back: nothing is due at the start.
        var seed = SweepTenant.Build(users, clock.GetUtcNow(), TimeSpan.FromDays(3));
        var simulatorOptions = new SimulatorOptions
        {
            MailboxConcurrencyLimit = 4,
            RequestsPerSecond = rate,
            NotificationDelay = TimeSpan.FromMilliseconds(notificationDelayMs),
        };
        await using var simulator = await GraphSimulatorHost.StartAsync(seed, simulatorOptions);
        seed = null;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Notify: {users} users, {SweepTenant.ManagerCount(users)} managers, {SweepTenant.EventsPerUser} events each; simulator {rate} requests/s, 4 per mailbox, notifications sent {notificationDelayMs} ms after a change; service (child process): {workers} workers, Jobs:PollInterval {(pollSeconds > 0 ? pollSeconds + " s" : $"default ({new BossTalkCalendar.Api.Jobs.JobsOptions().PollInterval.TotalSeconds} s)")}, storage {(storage.Database is null ? "SQLite" : "PostgreSQL database " + storage.Database)}"));

        var dataDirectory = Path.Combine(Path.GetTempPath(), "bosstalk-notify-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        try
        {
            var settings = NotifyHarness.ChildSettings(storage, dataDirectory, simulator, rate, workers)
                // Every change read at once: this mode measures what one read per change costs (the unit of the day model)
                // and due→placed for one-on-ones heard of minutes before they end; with the default fold window a change
                // to an event nobody follows waits up to 80 minutes instead (Notifications/UserRescans.cs).
                .With("Notifications:FoldWindow", "00:00:00");

            if (pollSeconds > 0)
            {
                settings.With("Jobs:PollInterval", TimeSpan.FromSeconds(pollSeconds).ToString());
            }

            using var observer = TenantSweepRun.StartObserver(dataDirectory, simulator, settings);
            await TenantSweepRun.EnrolAsync(observer, users);
            int active;
            await using (var db = await observer.CreateDbContextAsync())
            {
                active = await db.EnrolledUsers.CountAsync(u => u.Enrolled && !u.OptedOut && !u.Paused);
            }

            // ---- Enrol: subscriptions made by the maintenance job, and the first full scan (Jobs:SweepOnStartup).
            var enrolStart = clock.GetUtcNow();
            var watch = Stopwatch.StartNew();
            var service = ServiceProcess.Start(new ServiceSettings().With(settings).With("Jobs:SweepOnStartup", "true"));
            double servicePeakMb;
            try
            {
                simulator.Options.NotificationIngress = service.BaseAddress;
                await service.WaitHealthyAsync(TimeSpan.FromMinutes(2));
                TenantSweepRun.RequireRecurringSweep(observer);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Service process {service.Id} healthy at {service.BaseAddress} in {watch.Elapsed.TotalSeconds:F1} s; {active} users watched"));

                var directoryCold = await NotifyHarness.EnrolAsync(observer, simulator, service, watch, enrolStart, active);

                // ---- Changes: one new busy event on every user's calendar, in chunks as a day's changes would come.
                await NotifyHarness.QuietAsync(observer, simulator);
                simulator.Tenant.RequestLog.Reset();
                var delivered = simulator.Subscriptions.Counters.Delivered;
                var changesStart = clock.GetUtcNow();
                watch.Restart();
                var origin = changesStart - TimeSpan.FromTicks(changesStart.Ticks % TimeSpan.FromMinutes(15).Ticks);
                for (var chunk = 0; chunk < users; chunk += 250)
                {
                    for (var i = chunk; i < Math.Min(users, chunk + 250); i++)
                    {
                        var start = origin + TimeSpan.FromHours(5);
                        simulator.Tenant.AddEvent(SweepTenant.ReportId(i), new SeedEvent
                        {
                            Subject = "Change",
                            Start = start,
                            End = start + TimeSpan.FromMinutes(30),
                            OrganizerMail = SweepTenant.ReportMail(i),
                        });
                    }

                    await simulator.Subscriptions.IdleAsync();
                }

                var applied = watch.Elapsed;
                await NotifyHarness.WaitAsync("changes", service, watch, async () =>
                {
                    var scanned = await NotifyHarness.ScannedSinceAsync(observer, changesStart);
                    return (scanned >= active && await NotifyHarness.RescansPendingAsync(observer) == 0,
                        string.Create(CultureInfo.InvariantCulture, $"rescanned {scanned}/{active}, Graph requests {simulator.Tenant.RequestLog.TotalCount}"));
                });
                var changesWall = watch.Elapsed;
                // Anything a late notification still sets off (a debounce, a poll interval) lands in this phase's log.
                await Task.Delay(TimeSpan.FromSeconds(20));
                await NotifyHarness.QuietAsync(observer, simulator);
                var changesLog = simulator.Tenant.RequestLog.Snapshot();
                Console.WriteLine();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Changes: {users} events added in {applied.TotalSeconds:F1} s; {simulator.Subscriptions.Counters.Delivered - delivered} notifications delivered, {simulator.Subscriptions.Counters.Failed} failed; every user rescanned {changesWall.TotalSeconds:F1} s after the first change"));
                NotifyHarness.PrintLog(changesLog, users);
                var perChange = NotifyHarness.Per(changesLog, users, NotifyHarness.IsCalendar);
                var directoryPerChange = NotifyHarness.Per(changesLog, users, NotifyHarness.IsDirectory);

                // ---- Safety net: the 6-hourly sweep, triggered once; users with a live subscription scanned within a day are skipped.
                simulator.Tenant.RequestLog.Reset();
                watch.Restart();
                await NotifyHarness.TriggerAsync(observer, service, watch, SweepJob.RecurringJobId, "safety net");
                await Task.Delay(TimeSpan.FromSeconds(20));
                var safetyLog = simulator.Tenant.RequestLog.Snapshot();
                var safetyPerUser = NotifyHarness.Per(safetyLog, active, k => !NotifyHarness.IsSubscription(k));
                Console.WriteLine();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Safety net: sweep job succeeded in {watch.Elapsed.TotalSeconds - 20:F1} s; Graph requests in the 20 s after it: {safetyLog.Where(e => !NotifyHarness.IsSubscription(e.Key)).Sum(e => e.Value)}"));
                NotifyHarness.PrintLog(safetyLog, active);

                // ---- Due: a sample of one-on-ones with the manager ending 1.5–3.5 minutes from now; placed at the end.
                await NotifyHarness.QuietAsync(observer, simulator);
                simulator.Tenant.RequestLog.Reset();
                var dueStart = clock.GetUtcNow();
                var dueBase = dueStart - TimeSpan.FromTicks(dueStart.Ticks % TimeSpan.TicksPerSecond) + TimeSpan.FromSeconds(75);
                var ends = new Dictionary<int, DateTimeOffset>();
                var step = users / sample;
                for (var k = 0; k < sample; k++)
                {
                    var i = k * step;
                    var end = dueBase + TimeSpan.FromSeconds(k % 120);
                    ends[i] = end;
                    var manager = i / SweepTenant.TeamSize;
                    simulator.Tenant.AddEvent(SweepTenant.ManagerId(manager), new SeedEvent
                    {
                        Subject = "1:1",
                        Start = end - TimeSpan.FromMinutes(30),
                        End = end,
                        OrganizerMail = SweepTenant.ManagerMail(manager),
                        Attendees = [new SeedAttendee { Mail = SweepTenant.ReportMail(i) }],
                    });
                }

                var sampleIds = ends.Keys.Select(SweepTenant.ReportId).ToList();
                watch.Restart();
                await NotifyHarness.WaitAsync("due", service, watch, async () =>
                {
                    await using var db = await observer.CreateDbContextAsync();
                    var states = await db.Nudges.Where(n => n.Kind == NudgeKind.Reflection && sampleIds.Contains(n.UserId))
                        .GroupBy(n => n.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
                    var placed = states.Where(s => s.Key == NudgeState.Placed).Sum(s => s.Count);
                    return (placed >= sample,
                        string.Create(CultureInfo.InvariantCulture, $"nudges {string.Join(", ", states.Select(s => $"{s.Key} {s.Count}"))} of {sample}, Graph requests {simulator.Tenant.RequestLog.TotalCount}"));
                });
                await Task.Delay(TimeSpan.FromSeconds(25));
                await NotifyHarness.QuietAsync(observer, simulator);
                var dueLog = simulator.Tenant.RequestLog.Snapshot();
                var latencies = new List<double>();
                var missing = 0;
                var doubled = 0;
                foreach (var (i, end) in ends)
                {
                    var blocks = simulator.Tenant.EventsOf(SweepTenant.ReportId(i))
                        .Where(e => e.CreatedDateTime >= dueStart && e.Subject is not ("1:1" or "Change")).OrderBy(e => e.CreatedDateTime).ToList();
                    if (blocks.Count == 0)
                    {
                        missing++;
                        continue;
                    }

                    doubled += blocks.Count > 1 ? 1 : 0;
                    latencies.Add((blocks[0].CreatedDateTime - end).TotalSeconds);
                }

                latencies.Sort();
                double P(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
                Console.WriteLine();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Due: {sample} one-on-ones (each with a different manager) ending {ends.Values.Min():HH:mm:ss}–{ends.Values.Max():HH:mm:ss} UTC (added at {dueStart:HH:mm:ss}); {latencies.Count} reflections placed, {missing} missing, {doubled} users with more than one"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  due→placed (simulator's created time of the block − the meeting's end), s: p50 {P(0.50):F1}, p90 {P(0.90):F1}, p99 {P(0.99):F1}, max {(latencies.Count == 0 ? double.NaN : latencies[^1]):F1}, min {(latencies.Count == 0 ? double.NaN : latencies[0]):F1}"));
                NotifyHarness.PrintLog(dueLog, sample);
                var perOneOnOne = NotifyHarness.Per(dueLog, sample, NotifyHarness.IsCalendar);
                var directoryPerOneOnOne = NotifyHarness.Per(dueLog, sample, NotifyHarness.IsDirectory);
                // Issue 20's target: placed within seconds of the end, bounded by Graph rather than by a poll.
                if (missing > 0 || latencies.Count == 0 || P(0.99) > 5)
                {
                    failures.Add("due→placed");
                }

                servicePeakMb = TenantSweepRun.PeakWorkingSetMb(service.Id);

                // ---- Day model.
                Console.WriteLine();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Directory reads in the changes phase: {directoryPerChange:F3}/change"));
                new DayModel(changesPerDay, perChange, safetyPerUser, perOneOnOne, directoryPerOneOnOne, directoryRefreshes, directoryCold)
                    .Print("Requests per user per day (model: each cost measured once above, composed over a day):", 5);
            }
            finally
            {
                // Kill only our own child (ServiceProcess.Dispose kills it if it still runs).
                service.Dispose();
            }

            // ---- Renew: the service again on the same database, with settings under which every subscription is due for renewal.
            simulator.Tenant.RequestLog.Reset();
            var before = simulator.Subscriptions.All.ToDictionary(s => s.Id, s => s.ExpirationDateTime, StringComparer.Ordinal);
            watch.Restart();
            using var renewing = ServiceProcess.Start(new Dictionary<string, string?>(settings)
            {
                ["Notifications:SubscriptionLifetime"] = "7.00:00:00",
                ["Notifications:RenewBefore"] = "6.23:00:00",
            });
            simulator.Options.NotificationIngress = renewing.BaseAddress;
            await renewing.WaitHealthyAsync(TimeSpan.FromMinutes(2));
            var minLive = int.MaxValue;
            TimeSpan? firstRenewal = null;
            var renewed = 0;
            var remade = 0;
            await NotifyHarness.WaitAsync("renew", renewing, watch, () =>
            {
                var all = simulator.Subscriptions.All;
                minLive = Math.Min(minLive, all.Count);
                renewed = all.Count(s => before.TryGetValue(s.Id, out var expiry) && s.ExpirationDateTime > expiry);
                remade = all.Count(s => !before.ContainsKey(s.Id));
                if (renewed > 0 && firstRenewal is null)
                {
                    firstRenewal = watch.Elapsed;
                }

                return Task.FromResult((renewed >= before.Count,
                    string.Create(CultureInfo.InvariantCulture, $"renewed {renewed}/{before.Count}, live {all.Count}, PATCHes {simulator.Tenant.RequestLog.Count("PATCH", "/subscriptions/{id}")}")));
            }, poll: TimeSpan.FromMilliseconds(500));
            var renewLog = simulator.Tenant.RequestLog.Snapshot();
            var renewPeakMb = TenantSweepRun.PeakWorkingSetMb(renewing.Id);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Renew (restarted with SubscriptionLifetime 7 d, RenewBefore 6 d 23 h): {renewed} of {before.Count} renewed ({100.0 * renewed / Math.Max(1, before.Count):F1} %), {remade} made anew, fewest live at any check {minLive}; first seen renewed at {firstRenewal?.TotalSeconds ?? double.NaN:F1} s, all by {watch.Elapsed.TotalSeconds:F1} s from the restart"));
            NotifyHarness.PrintLog(renewLog, before.Count);
            if (renewed < before.Count || minLive < active)
            {
                failures.Add("renew");
            }

            using var process = Process.GetCurrentProcess();
            process.Refresh();
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Peak working set, service:  {servicePeakMb:F0} MB (VmHWM of the service process through enrol, changes, safety net and due; target < 500 MB); renew run {renewPeakMb:F0} MB"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Peak working set, harness:  {process.PeakWorkingSet64 / (1024.0 * 1024.0):F0} MB (simulator + observer; not the service)"));
            if (servicePeakMb >= 500)
            {
                failures.Add("working set");
            }

            if (failures.Count > 0)
            {
                Console.WriteLine("Failed: " + string.Join(", ", failures));
            }

            return failures.Count == 0 ? 0 : 1;
        }
        finally
        {
            TenantSweepRun.TryDelete(dataDirectory);
        }
    }
}

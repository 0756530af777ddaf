using System.Diagnostics;
using System.Globalization;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Notifications;
using BossTalkCalendar.Api.Rollout;
using BossTalkCalendar.Graph;
using BossTalkCalendar.GraphSimulator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BossTalkCalendar.Benchmarks.TenantSweep;

/// <summary>
/// <c>hour --users N --minutes M [--compress K] [--workers W] [--working-hours H] [--low-changes 3] [--high-changes 30]
/// [--no-team-refresh] [--seed S] [--rate R] [--provider Sqlite|PostgreSql --connection CS]</c> (issue 20): the day
/// MEASURED rather than composed. The tenant, processes and observer of <see cref="NotifyRun"/>; after enrolment an
/// M-minute window of mixed traffic stands for M × K minutes of a working day: every user's changes (half the teams
/// at C = 3 changes/day, half at C = 30) at the same per-user ratio, one-on-ones ending (a few moved or cancelled
/// first), subscription renewals falling due, the safety-net sweep and the daily team refresh, with the service's
/// day-time windows scaled by 1/K. Every Graph request the simulator receives is counted (per cohort by the user in
/// its path), and so is every reflection placed; requests/user/day are printed per cohort next to the notify model's.
/// </summary>
internal static class HourRun
{
    private const string ChangeSubject = "Change";
    private const string OneOnOneSubject = "1:1";
    private const string BusySubject = "Busy";

    /// <summary>
    /// The notify run's measured unit costs (README, 2026-12-03, three runs alike), for the model's line: one
    /// calendarView per change read at once; per one-on-one its notification's rescan, the placement's calendar read and
    /// the create (3.00) and the mailbox settings, cold (1.00).
    /// </summary>
    private const double ModelPerChange = 1.00;
    private const double ModelPerOneOnOne = 3.00;
    private const double ModelDirectoryPerOneOnOne = 1.00;

    /// <summary>The default <c>Rollout:RefreshCron</c>, "0 0 * * *": once a day.</summary>
    private static readonly TimeSpan TeamRefreshPeriod = TimeSpan.FromDays(1);

    /// <summary>Share of the window's one-on-ones moved later, and cancelled, a little before they end.</summary>
    private const double MovedShare = 0.10;
    private const double CancelledShare = 0.05;

    public static async Task<int> RunAsync(string[] args)
    {
        var users = TenantSweepRun.Arg(args, "--users", 10_000);
        var minutes = TenantSweepRun.Arg(args, "--minutes", 30);
        var compress = TenantSweepRun.Arg(args, "--compress", 16);
        var workers = TenantSweepRun.Arg(args, "--workers", 4);
        var rate = TenantSweepRun.Arg(args, "--rate", 2_000);
        var workingHours = TenantSweepRun.Arg(args, "--working-hours", 8);
        int[] changesPerDay = [TenantSweepRun.Arg(args, "--low-changes", 3), TenantSweepRun.Arg(args, "--high-changes", 30)];
        // Issue 20's targets are stated for C = 3 (≤ 4) and C = 30 (≤ 8); a cohort at any other rate has none.
        double?[] targets = [.. changesPerDay.Select(c => c switch { 3 => 4d, 30 => 8d, _ => (double?)null })];
        var teamRefresh = !args.Contains("--no-team-refresh");
        var random = new Random(TenantSweepRun.Arg(args, "--seed", 1));
        var clock = TimeProvider.System;
        var window = TimeSpan.FromMinutes(minutes);
        var stretch = window * compress;
        var workingDay = TimeSpan.FromHours(workingHours);

        // SubscriptionLifetime / K must stay at least an hour (the service's validator; Graph has no such floor).
        if (users < 2 * SweepTenant.TeamSize || minutes < 1 || compress is < 1 or > 156 || workingHours is < 1 or > 24 || stretch > workingDay)
        {
            await Console.Error.WriteLineAsync(
                $"hour needs --users ≥ {2 * SweepTenant.TeamSize} (two cohorts of teams), --minutes ≥ 1, --compress 1–156 and a window that stands for at most the working day (M × K ≤ H × 60; got {minutes} × {compress} min against {workingHours} h).");
            return 2;
        }

        await using var storage = await TenantSweepRun.CreateStorageAsync(args);
        if (storage is null)
        {
            return 2;
        }

        // ---- What is scaled: the service's day-time windows, by 1/K (printed with the reasons below).
        var notifications = new NotificationOptions();
        var graph = new GraphOptions();
        TimeSpan Scaled(TimeSpan t) => t / compress;
        var fold = Scaled(notifications.FoldWindow);
        var lifetime = Scaled(notifications.SubscriptionLifetime);
        var renewBefore = Scaled(notifications.RenewBefore);
        var safetyEvery = Scaled(TimeSpan.FromHours(24 / DayModel.SafetyNetSweepsPerDay));
        var refreshEvery = Scaled(TeamRefreshPeriod);
        var coolDown = TimeSpan.FromMinutes(new Api.Nudges.ReflectionPolicyOptions().CoolDownMinutes);
        var coolDownScaled = Scaled(coolDown);
        var workingShare = stretch / workingDay;

        var seed = SweepTenant.Build(users, clock.GetUtcNow(), TimeSpan.FromDays(3));
        var simulatorOptions = new SimulatorOptions { MailboxConcurrencyLimit = 4, RequestsPerSecond = rate };
        await using var simulator = await GraphSimulatorHost.StartAsync(seed, simulatorOptions);
        seed = null;
        var cohortUsers = new int[2];
        for (var i = 0; i < users; i++)
        {
            cohortUsers[CohortOfReport(i)]++;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Hour: {users} users, {SweepTenant.ManagerCount(users)} managers, {SweepTenant.EventsPerUser} events each; cohorts by team (even teams C = {changesPerDay[0]}: {cohortUsers[0]} users, odd teams C = {changesPerDay[1]}: {cohortUsers[1]} users); simulator {rate} requests/s, 4 per mailbox; service (child process): {workers} workers, storage {(storage.Database is null ? "SQLite" : "PostgreSQL database " + storage.Database)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Compression K = {compress}: the {minutes}-min window stands for {stretch.TotalHours:F2} h of a {workingHours}-h working day (share {workingShare:F3}). Changes and one-on-ones happen in working hours, so each user gets C × {workingShare:F3} changes in the window; renewals, the safety net and the team refresh run around the clock."));
        Console.WriteLine("Scaled by 1/K (day-time windows that decide what a day costs):");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  Notifications:FoldWindow {notifications.FoldWindow.TotalMinutes:F0} min → {fold.TotalMinutes:F2} min: changes to events nobody follows within one window cost one read; the mechanism that keeps cost from following churn, so it must be on"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  Notifications:SafetyNetMaxAge {notifications.SafetyNetMaxAge.TotalHours:F0} h → {Scaled(notifications.SafetyNetMaxAge).TotalMinutes:F1} min: the safety net leaves out users scanned within it"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  Notifications:SubscriptionLifetime {notifications.SubscriptionLifetime.TotalDays:F1} d → {lifetime.TotalHours:F2} h, RenewBefore {notifications.RenewBefore.TotalDays:F0} d → {renewBefore.TotalHours:F2} h: renewals/day = 1/(lifetime − renew-before)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  Graph:MailboxSettingsCacheDuration {graph.MailboxSettingsCacheDuration.TotalHours:F0} h → {Scaled(graph.MailboxSettingsCacheDuration).TotalMinutes:F1} min, Graph:DirectoryCacheDuration {graph.DirectoryCacheDuration.TotalHours:F0} h → {Scaled(graph.DirectoryCacheDuration).TotalMinutes:F1} min"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  the safety net (every 6 h) and the team refresh (Rollout:RefreshCron '{new Api.Rollout.RolloutOptions().RefreshCron}', daily{(teamRefresh ? "" : "; off: --no-team-refresh")}): triggered by this run every {safetyEvery.TotalMinutes:F2} and {refreshEvery.TotalMinutes:F2} min (their crons are off in the child; cron cannot say every {safetyEvery.TotalMinutes:F2} min)"));
        Console.WriteLine("Not scaled:");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  Policy:Reflection:CoolDownMinutes {coolDown.TotalMinutes:F0}: a user's fold is at most their cool-down less UserRescans.FoldMargin ({UserRescans.FoldMargin.TotalMinutes:F0} min, the real time a dispatch, scan and placement need, which does not compress); {coolDownScaled.TotalMinutes:F2} min would leave no fold at all (FoldWindow 0). Each reflection is checked against the scaled cool-down ({coolDownScaled.TotalMinutes:F2} min after its meeting's end) instead"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  Notifications:Debounce {notifications.Debounce.TotalSeconds:F0} s, Jobs:PollInterval {new JobsOptions().PollInterval.TotalSeconds:F0} s: how fast the service hands work on (real time), not day-time windows"));
        Console.WriteLine("  Notifications:MaintenanceCron: every minute (real), as the notify run; renewals fall due RenewBefore ahead, so the cadence changes no count");
        Console.WriteLine("  Jobs:LookbackHours, Jobs:LookaheadHours: calendar ranges, not rates (events are on the real clock)");
        Console.WriteLine("  Jobs:ReconcileCron: off. It reads every placed block hourly until the block's slot ends, and slots are on the real clock (the cool-down is not compressed), so it would read each block about K times as often as a day does; its cost is not in the figures");
        Console.WriteLine("  Rollout:RetentionCron: off (daily, database only)");

        var dataDirectory = Path.Combine(Path.GetTempPath(), "bosstalk-hour-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        try
        {
            var settings = NotifyHarness.ChildSettings(storage, dataDirectory, simulator, rate, workers)
                .With("Jobs:ReconcileCron", ServiceSettings.Never)
                .With("Notifications:FoldWindow", Text(fold))
                .With("Notifications:SafetyNetMaxAge", Text(Scaled(notifications.SafetyNetMaxAge)))
                .With("Notifications:SubscriptionLifetime", Text(lifetime))
                .With("Notifications:RenewBefore", Text(renewBefore))
                .With("Graph:MailboxSettingsCacheDuration", Text(Scaled(graph.MailboxSettingsCacheDuration)))
                .With("Graph:DirectoryCacheDuration", Text(Scaled(graph.DirectoryCacheDuration)));

            using var observer = TenantSweepRun.StartObserver(dataDirectory, simulator, settings);
            await TenantSweepRun.EnrolAsync(observer, users);

            // ---- The window's one-on-ones, on the calendars before the service starts (so its first scan plans each
            // ahead, as a standing one-on-one is known long before it ends), ending spread over the planned window.
            var lead = TimeSpan.FromSeconds(60 + (users * 0.012));
            var plannedStart = clock.GetUtcNow() + lead;
            var oneOnOnes = new List<OneOnOne>();
            for (var i = 0; i < users; i++)
            {
                if (random.NextDouble() < DayModel.OneOnOnesPerDay * workingShare)
                {
                    var end = plannedStart + (window * random.NextDouble());
                    var manager = i / SweepTenant.TeamSize;
                    var managerCopy = simulator.Tenant.AddEvent(SweepTenant.ManagerId(manager), new SeedEvent
                    {
                        Subject = OneOnOneSubject,
                        Start = end - TimeSpan.FromMinutes(30),
                        End = end,
                        OrganizerMail = SweepTenant.ManagerMail(manager),
                        Attendees = [new SeedAttendee { Mail = SweepTenant.ReportMail(i) }],
                    });
                    oneOnOnes.Add(new OneOnOne(i, managerCopy, end));
                }
            }

            // ---- Enrol: as the notify run (subscriptions by the maintenance job, the first scan at start-up).
            var enrolStart = clock.GetUtcNow();
            var watch = Stopwatch.StartNew();
            using var service = ServiceProcess.Start(new ServiceSettings().With(settings).With("Jobs:SweepOnStartup", "true"));
            simulator.Options.NotificationIngress = service.BaseAddress;
            await service.WaitHealthyAsync(TimeSpan.FromMinutes(2));
            TenantSweepRun.RequireRecurringSweep(observer);
            int active;
            await using (var db = await observer.CreateDbContextAsync())
            {
                active = await SweepJob.Active(db).CountAsync();
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Service process {service.Id} healthy at {service.BaseAddress} in {watch.Elapsed.TotalSeconds:F1} s; {active} users watched"));
            var directoryCold = await NotifyHarness.EnrolAsync(observer, simulator, service, watch, enrolStart, active);
            await NotifyHarness.QuietAsync(observer, simulator);

            // ---- Renewals: every subscription was made at enrolment; in a running tenant their ages are spread over a
            // lifetime. Their recorded expiry is spread so the renewals fall due evenly over one renewal period (scaled),
            // as if made at spread times; the service's own maintenance job renews those due in the window.
            var windowStart = plannedStart > clock.GetUtcNow() ? plannedStart : clock.GetUtcNow();
            var spread = await SpreadRenewalsAsync(observer, windowStart, renewBefore, lifetime - renewBefore, random);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Renewals: {spread} recorded expiries spread so renewals fall due evenly over {(lifetime - renewBefore).TotalHours:F2} h from the window's start ({window / (lifetime - renewBefore):P1} of them inside the window)"));

            // ---- The window's schedule.
            var busy = new List<string>[users];
            for (var i = 0; i < users; i++)
            {
                busy[i] = [.. simulator.Tenant.EventsOf(SweepTenant.ReportId(i)).Where(e => e.Subject == BusySubject).Select(e => e.Id)];
            }

            var actions = new List<Step>();
            var changesPlanned = new long[2];
            for (var i = 0; i < users; i++)
            {
                var cohort = CohortOfReport(i);
                var expected = changesPerDay[cohort] * workingShare;
                var count = (int)expected + (random.NextDouble() < expected - (int)expected ? 1 : 0);
                changesPlanned[cohort] += count;
                for (var k = 0; k < count; k++)
                {
                    actions.Add(new Step(plannedStart + (window * random.NextDouble()), random.Next(2) == 0 ? Kind.NewEvent : Kind.MoveBusy, i, random.Next(busy[i].Count)));
                }
            }

            var shift = TimeSpan.FromMinutes(30) / compress;
            for (var index = 0; index < oneOnOnes.Count; index++)
            {
                var meeting = oneOnOnes[index];
                var roll = random.NextDouble();
                var room = meeting.End - plannedStart - TimeSpan.FromSeconds(30);
                if (room <= TimeSpan.FromSeconds(30) || roll >= MovedShare + CancelledShare || (roll < MovedShare && meeting.End + shift > plannedStart + window))
                {
                    continue;
                }

                meeting.Fate = roll < MovedShare ? Fate.Moved : Fate.Cancelled;
                var at = plannedStart + (room * random.NextDouble());
                actions.Add(new Step(at, meeting.Fate == Fate.Moved ? Kind.MoveOneOnOne : Kind.CancelOneOnOne, meeting.User, index));
            }

            var sweeps = new List<DateTimeOffset>();
            for (var t = safetyEvery; t < window; t += safetyEvery)
            {
                sweeps.Add(plannedStart + t);
            }

            if (sweeps.Count == 0)
            {
                sweeps.Add(plannedStart + (window / 2));
            }

            var refreshes = new List<DateTimeOffset>();
            for (var t = refreshEvery; teamRefresh && t < window; t += refreshEvery)
            {
                refreshes.Add(plannedStart + t);
            }

            if (teamRefresh && refreshes.Count == 0)
            {
                refreshes.Add(plannedStart + (window / 3));
            }

            actions.AddRange(sweeps.Select(at => new Step(at, Kind.SafetyNet, -1, 0)));
            actions.AddRange(refreshes.Select(at => new Step(at, Kind.TeamRefresh, -1, 0)));
            actions.Sort((a, b) => a.At.CompareTo(b.At));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Window: {changesPlanned[0]} + {changesPlanned[1]} changes (C = {changesPerDay[0]} and {changesPerDay[1]} cohorts; half new events, half an existing event moved), {oneOnOnes.Count} one-on-ones ending ({oneOnOnes.Count(m => m.Fate == Fate.Moved)} to be moved {shift.TotalMinutes:F2} min later, {oneOnOnes.Count(m => m.Fate == Fate.Cancelled)} cancelled first), {sweeps.Count} safety-net sweeps, {refreshes.Count} team refreshes"));

            if (clock.GetUtcNow() > plannedStart)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  Enrolment took longer than the {lead.TotalSeconds:F0} s allowed: the window starts {(clock.GetUtcNow() - plannedStart).TotalSeconds:F0} s late; what fell due before runs at once, and one-on-ones that ended before the window are left out of the count"));
            }
            else
            {
                await Task.Delay(plannedStart - clock.GetUtcNow());
            }

            // ---- The window: the log counts from here.
            windowStart = clock.GetUtcNow();
            simulator.Tenant.RequestLog.Reset();
            var subscriptionsBefore = simulator.Subscriptions.All.ToDictionary(s => s.Id, s => s.ExpirationDateTime, StringComparer.Ordinal);
            var delivered = simulator.Subscriptions.Counters.Delivered;
            var failedBefore = simulator.Subscriptions.Counters.Failed;
            var unskipped = new long[2];
            var background = new List<Task>();
            var applied = 0;
            var lastPrint = TimeSpan.Zero;
            watch.Restart();
            foreach (var action in actions)
            {
                var wait = action.At - clock.GetUtcNow();
                if (wait > TimeSpan.FromMilliseconds(5))
                {
                    await Task.Delay(wait);
                }

                if (service.HasExited)
                {
                    throw new InvalidOperationException($"The service process exited with {service.ExitCode} during the window:\n{service.Output}");
                }

                switch (action.Kind)
                {
                    case Kind.NewEvent:
                        var start = clock.GetUtcNow() + TimeSpan.FromHours(5);
                        start -= TimeSpan.FromTicks(start.Ticks % TimeSpan.FromMinutes(15).Ticks);
                        simulator.Tenant.AddEvent(SweepTenant.ReportId(action.User), new SeedEvent
                        {
                            Subject = ChangeSubject,
                            Start = start,
                            End = start + TimeSpan.FromMinutes(30),
                            OrganizerMail = SweepTenant.ReportMail(action.User),
                        });
                        break;
                    case Kind.MoveBusy:
                        var id = busy[action.User][action.Index];
                        var ev = simulator.Tenant.EventsOf(SweepTenant.ReportId(action.User)).First(e => e.Id == id);
                        var by = TimeSpan.FromMinutes(ev.Start.Minute % 30 == 0 ? 15 : -15);
                        simulator.Tenant.MoveEvent(SweepTenant.ReportId(action.User), id, ev.Start + by, ev.End + by);
                        break;
                    case Kind.MoveOneOnOne or Kind.CancelOneOnOne:
                        ChangeOneOnOne(simulator, oneOnOnes[action.Index], shift);
                        break;
                    case Kind.SafetyNet:
                        // The service's own rule (its ISweepPolicy) says whom this sweep scans: their reads are the net's.
                        var scanned = await UnskippedAsync(observer);
                        unskipped[0] += scanned[0];
                        unskipped[1] += scanned[1];
                        background.Add(NotifyHarness.TriggerAsync(observer, service, Stopwatch.StartNew(), SweepJob.RecurringJobId, "safety net"));
                        break;
                    case Kind.TeamRefresh:
                        background.Add(NotifyHarness.TriggerAsync(observer, service, Stopwatch.StartNew(), TeamRefreshJob.RecurringJobId, "team refresh"));
                        break;
                }

                applied++;
                if (watch.Elapsed - lastPrint >= TimeSpan.FromMinutes(1))
                {
                    lastPrint = watch.Elapsed;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  window {watch.Elapsed.TotalMinutes,5:F1} min: {applied}/{actions.Count} actions, notifications delivered {simulator.Subscriptions.Counters.Delivered - delivered} (failed {simulator.Subscriptions.Counters.Failed - failedBefore}), Graph requests {simulator.Tenant.RequestLog.TotalCount}, 429s {simulator.Tenant.RequestLog.ThrottledCount}"));
                }
            }

            var windowWall = watch.Elapsed;
            await Task.WhenAll(background);

            // ---- Drain: the folded reads of the window's last changes (up to a fold window later) and the placements of
            // its last one-on-ones still belong to the window's cost; nothing new is started.
            var lastEnd = oneOnOnes.Count == 0 ? windowStart : oneOnOnes.Max(m => m.End);
            watch.Restart();
            await NotifyHarness.WaitAsync("drain", service, watch, async () =>
            {
                var pending = await NotifyHarness.RescansPendingAsync(observer);
                return (pending == 0 && clock.GetUtcNow() > lastEnd + TimeSpan.FromSeconds(30),
                    string.Create(CultureInfo.InvariantCulture, $"rescans pending {pending}, Graph requests {simulator.Tenant.RequestLog.TotalCount}"));
            }, timeout: fold + TimeSpan.FromMinutes(5));
            await Task.Delay(TimeSpan.FromSeconds(20));
            await NotifyHarness.QuietAsync(observer, simulator);
            var drainWall = watch.Elapsed;

            // Renewals fall due evenly through the window and the drain alike (their due times were spread over a
            // renewal period), and the maintenance job takes them at each minute; so they are counted over both, and
            // scaled to a day by that whole span.
            var renewalSpan = clock.GetUtcNow() - windowStart;
            var renewed = new long[2];
            var remade = new long[2];
            foreach (var subscription in simulator.Subscriptions.All)
            {
                var cohort = CohortOf(subscription.UserId);
                if (cohort < 0)
                {
                    continue;
                }

                if (!subscriptionsBefore.TryGetValue(subscription.Id, out var expiry))
                {
                    remade[cohort]++;
                }
                else if (subscription.ExpirationDateTime > expiry)
                {
                    renewed[cohort]++;
                }
            }
            var servicePeakMb = TenantSweepRun.PeakWorkingSetMb(service.Id);

            // ---- Count.
            var log = simulator.Tenant.RequestLog;
            var total = log.Snapshot();
            var placement = CountPlacements(simulator, users, oneOnOnes, windowStart, coolDownScaled);

            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Window: {windowWall.TotalMinutes:F1} min of traffic, then {drainWall.TotalMinutes:F1} min of drain (folded reads up to {fold.TotalMinutes:F2} min after the last change, placements of the last one-on-ones); {simulator.Subscriptions.Counters.Delivered - delivered} notifications delivered, {simulator.Subscriptions.Counters.Failed - failedBefore} failed"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Every Graph request the simulator received: {log.TotalCount} ({log.ThrottledCount} answered 429)"));
            NotifyHarness.PrintLog(total, active);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Subscriptions: {renewed.Sum()} renewed ({renewed[0]} + {renewed[1]}) in the window and drain ({renewalSpan.TotalMinutes:F1} min, {(renewalSpan * compress).TotalHours:F2} h of day), {remade.Sum()} made anew; POST {log.Count("POST", "/subscriptions")}, PATCH {log.Count("PATCH", "/subscriptions/{id}")}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Safety net: {sweeps.Count} sweeps; users the service's rule left in (scanned): {unskipped[0]} + {unskipped[1]}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"One-on-ones: {placement.Expected} expected to get a reflection ({oneOnOnes.Count(m => m.Fate == Fate.Moved)} moved, {oneOnOnes.Count(m => m.Fate == Fate.Cancelled)} cancelled and not expected, {placement.EndedBefore} ended before the window and left out); {placement.Placed} placed, {placement.Missing} missing, {placement.Twice} placed twice, {placement.ForCancelled} placed for a cancelled one, {placement.Unexpected} on calendars with no one-on-one in the window"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  placed − meeting end (simulator's created time of the block − the meeting's end), s: p50 {placement.P(0.5):F1}, p99 {placement.P(0.99):F1}, max {placement.P(1):F1}; after the scaled cool-down ({coolDownScaled.TotalSeconds:F0} s): {placement.Late}"));

            // ---- Per cohort, per user per day.
            var workingFactor = workingDay / stretch;
            var failures = new List<string>();
            for (var cohort = 0; cohort < 2; cohort++)
            {
                var c = cohort;
                // Requests about a manager are the team refresh's (their direct reports, their own entry); the rest
                // are the members' working traffic.
                var cohortLog = log.SnapshotOfUsers(id => CohortOf(id) == c && !IsManager(id));
                var refreshLog = log.SnapshotOfUsers(id => CohortOf(id) == c && IsManager(id));
                var n = (double)cohortUsers[cohort];
                var refreshRequests = refreshLog.Sum(e => e.Value);
                var working = cohortLog.Sum(e => e.Value) - unskipped[cohort];
                var calendarViews = cohortLog.Where(e => e.Key.Route.EndsWith("/calendarView", StringComparison.Ordinal)).Sum(e => e.Value) - unskipped[cohort];
                var measuredWorking = working * workingFactor / n;
                var measuredRenewals = (renewed[cohort] + remade[cohort]) * (TimeSpan.FromDays(1) / (renewalSpan * compress)) / n;
                var measuredSafety = unskipped[cohort] / (double)sweeps.Count * DayModel.SafetyNetSweepsPerDay / n;
                // Each run reads every manager's direct reports and, as the run and the cache are both a day, their own
                // entry: counted per run, times the runs in a day.
                var measuredRefresh = refreshes.Count == 0 ? 0 : refreshRequests / (double)refreshes.Count * (TimeSpan.FromDays(1) / TeamRefreshPeriod) / n;
                // With the team refresh, members' own entries are renewed by it; without it, every member reads their
                // own once per cache duration (modelled: a window shorter than the scaled cache finds them cached).
                var directory = teamRefresh ? 0 : TimeSpan.FromDays(1) / graph.DirectoryCacheDuration * directoryCold;
                var model = new DayModel(changesPerDay[cohort], ModelPerChange, unskipped[cohort] / (double)sweeps.Count / n, ModelPerOneOnOne, ModelDirectoryPerOneOnOne, 1, directoryCold);
                var measured = measuredWorking + measuredRenewals + measuredSafety + measuredRefresh + directory;
                var modelWorking = model.Changes + model.OneOnOnes;

                Console.WriteLine();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Cohort C = {changesPerDay[cohort]} ({cohortUsers[cohort]} users): requests/user/day, measured in the window and scaled to a day, next to the notify model"));
                Console.WriteLine("  by route, working hours (× working day / window), per user per day:");
                foreach (var (key, count) in cohortLog.Where(e => e.Key.Route != "/users/{id}/directReports").OrderByDescending(e => e.Value))
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {key.Method,-6} {key.Route,-40} {key.Status} {count,8} ({count * workingFactor / n:F3})"));
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"",-40} {"measured",10} {"model",10}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"changes and one-on-ones (working hours)",-40} {measuredWorking,10:F2} {modelWorking,10:F2}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"renewals",-40} {measuredRenewals,10:F2} {DayModel.RenewalsPerDay,10:F2}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"safety net (users it scans × 1, counted)",-40} {measuredSafety,10:F2} {model.SafetyNet,10:F2}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"team refresh (directReports, manager entry)",-40} {measuredRefresh,10:F2} {0,10:F2}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"members' directory entries (below)",-40} {directory,10:F2} {model.Directory,10:F2}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"total",-40} {measured,10:F2} {model.Total,10:F2}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  difference {measured - model.Total:+0.00;-0.00;+0.00}: the model reads every change once ({changesPerDay[cohort]} × {ModelPerChange:F2}); with the fold the window's calendar reads come to {calendarViews * workingFactor / n:F2}/user/day for {changesPerDay[cohort]} changes and {DayModel.OneOnOnesPerDay} one-on-ones (changes and one-on-ones {measuredWorking - modelWorking:+0.00;-0.00;+0.00}); the one-on-ones were on the calendars before the start, so none costs the model's rescan on its notification (about -{DayModel.OneOnOnesPerDay:F1} by construction); the team refresh {measuredRefresh:+0.00;-0.00;+0.00} is not in the model, and the directory entries {directory - model.Directory:+0.00;-0.00;+0.00} (the model reads each member's own entry once a day; the refresh renews them from its managers' direct reports, on this one instance); renewals {measuredRenewals - DayModel.RenewalsPerDay:+0.00;-0.00;+0.00} are sampling in a short window; the safety net's line is the users its policy scans at one request each, the same figure in both columns, not a measurement"));
                if (targets[cohort] is not { } target)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  target: none stated for C = {changesPerDay[cohort]} (issue 20 states C = 3 and C = 30)"));
                    continue;
                }

                var ok = measured <= target;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  target: ≤ {target} requests/user/day at C = {changesPerDay[cohort]}: {measured:F2} — {(ok ? "pass" : "FAIL")}"));
                if (!ok)
                {
                    failures.Add(string.Create(CultureInfo.InvariantCulture, $"C = {changesPerDay[cohort]}"));
                }
            }

            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Directory: a window shorter than the scaled cache ({Scaled(graph.DirectoryCacheDuration).TotalMinutes:F1} min) finds every member's entry filled at enrolment: with the team refresh they are renewed by it (GraphGatewayLimitsTests) and cost 0; without it, the line is modelled at 1 per member × {directoryCold:F3} requests cold, measured at enrolment"));
            var noLate = placement.Late == 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"target: no reflection placed after the end of its cool-down (scaled: {coolDownScaled.TotalSeconds:F0} s after its meeting): {placement.Late} — {(noLate ? "pass" : "FAIL")}"));
            var allPlaced = placement.Missing == 0 && placement.Twice == 0 && placement.ForCancelled == 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"check: every expected reflection placed once, none for a cancelled one-on-one: {placement.Placed}/{placement.Expected} — {(allPlaced ? "pass" : "FAIL")}"));
            if (!noLate)
            {
                failures.Add("reflection after its cool-down");
            }

            if (!allPlaced)
            {
                failures.Add("placements");
            }

            using var process = Process.GetCurrentProcess();
            process.Refresh();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Peak working set: service {servicePeakMb:F0} MB (VmHWM of the child), harness {process.PeakWorkingSet64 / (1024.0 * 1024.0):F0} MB (simulator + observer)"));
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

    private static string Text(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    /// <summary>Even teams are the low-change cohort (0), odd teams the high one (1).</summary>
    private static int CohortOfReport(int i) => i / SweepTenant.TeamSize % 2;

    private static bool IsManager(string userId) => userId.StartsWith(SweepTenant.ManagerId(0)[..^12], StringComparison.OrdinalIgnoreCase);

    /// <summary>The cohort of a report or manager by their id (a manager's is their team's); -1 for anyone else.</summary>
    private static int CohortOf(string userId)
    {
        var report = SweepTenant.ReportId(0)[..^12];
        var manager = SweepTenant.ManagerId(0)[..^12];
        if (userId.Length != report.Length + 12)
        {
            return -1;
        }

        var isReport = userId.StartsWith(report, StringComparison.OrdinalIgnoreCase);
        if ((!isReport && !userId.StartsWith(manager, StringComparison.OrdinalIgnoreCase))
            || !long.TryParse(userId.AsSpan(report.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return -1;
        }

        return isReport ? CohortOfReport((int)number) : (int)(number % 2);
    }

    /// <summary>The organizer moves the one-on-one later, or cancels it; every copy changes, as Exchange does.</summary>
    private static void ChangeOneOnOne(GraphSimulatorHost simulator, OneOnOne meeting, TimeSpan shift)
    {
        var managerId = SweepTenant.ManagerId(meeting.User / SweepTenant.TeamSize);
        if (meeting.Fate == Fate.Cancelled)
        {
            simulator.Tenant.CancelEvent(managerId, meeting.ManagerCopyId);
            return;
        }

        var iCalUId = simulator.Tenant.EventsOf(managerId).First(e => e.Id == meeting.ManagerCopyId).ICalUId;
        var reportId = SweepTenant.ReportId(meeting.User);
        var reportCopy = simulator.Tenant.EventsOf(reportId).First(e => e.ICalUId == iCalUId);
        meeting.End += shift;
        simulator.Tenant.MoveEvent(managerId, meeting.ManagerCopyId, meeting.End - TimeSpan.FromMinutes(30), meeting.End);
        simulator.Tenant.MoveEvent(reportId, reportCopy.Id, meeting.End - TimeSpan.FromMinutes(30), meeting.End);
    }

    /// <summary>
    /// Spreads the recorded expiry of every subscription so that renewals fall due evenly over <paramref name="period"/>
    /// from <paramref name="from"/>, in 100 steps; never later than recorded (so never later than Graph's own expiry).
    /// </summary>
    private static async Task<int> SpreadRenewalsAsync(BossTalkCalendarApplication observer, DateTimeOffset from, TimeSpan renewBefore, TimeSpan period, Random random)
    {
        const int Steps = 100;
        await using var db = await observer.CreateDbContextAsync();
        var userIds = await db.CalendarSubscriptions.Where(c => c.SubscriptionId != null).Select(c => c.UserId).ToListAsync();
        var spread = 0;
        foreach (var step in userIds.GroupBy(_ => random.Next(Steps)))
        {
            var expiry = (from + renewBefore + (period * ((step.Key + 0.5) / Steps))).ToUnixTimeMilliseconds();
            var ids = step.ToList();
            spread += await db.CalendarSubscriptions
                .Where(c => ids.Contains(c.UserId) && c.ExpiresAtUnixMs > expiry)
                .ExecuteUpdateAsync(set => set.SetProperty(c => c.ExpiresAtUnixMs, expiry));
        }

        return spread;
    }

    /// <summary>Active users a safety-net sweep starting now would scan, per cohort, by the service's own <see cref="ISweepPolicy"/>.</summary>
    private static async Task<long[]> UnskippedAsync(BossTalkCalendarApplication observer)
    {
        await using var db = await observer.CreateDbContextAsync();
        var active = await SweepJob.Active(db).ToListAsync();
        var skippable = await observer.Services.GetRequiredService<ISweepPolicy>().SkippableAsync(db, active, CancellationToken.None);
        var counts = new long[2];
        foreach (var user in active.Where(u => !skippable.Contains((u.TenantId, u.UserId))))
        {
            var cohort = CohortOf(user.UserId);
            if (cohort >= 0)
            {
                counts[cohort]++;
            }
        }

        return counts;
    }

    private static PlacementCount CountPlacements(GraphSimulatorHost simulator, int users, List<OneOnOne> oneOnOnes, DateTimeOffset windowStart, TimeSpan coolDown)
    {
        var result = new PlacementCount();
        var byUser = oneOnOnes.ToDictionary(m => m.User);
        for (var i = 0; i < users; i++)
        {
            var blocks = simulator.Tenant.EventsOf(SweepTenant.ReportId(i))
                .Where(e => e.CreatedDateTime >= windowStart && e.Subject is not (OneOnOneSubject or ChangeSubject or BusySubject))
                .OrderBy(e => e.CreatedDateTime)
                .ToList();
            if (!byUser.TryGetValue(i, out var meeting))
            {
                result.Unexpected += blocks.Count;
                continue;
            }

            if (meeting.End < windowStart)
            {
                result.EndedBefore++;
                continue;
            }

            if (meeting.Fate == Fate.Cancelled)
            {
                result.ForCancelled += blocks.Count;
                continue;
            }

            result.Expected++;
            if (blocks.Count == 0)
            {
                result.Missing++;
                continue;
            }

            result.Placed++;
            result.Twice += blocks.Count > 1 ? 1 : 0;
            var after = blocks[0].CreatedDateTime - meeting.End;
            result.Latencies.Add(after.TotalSeconds);
            result.Late += after > coolDown ? 1 : 0;
        }

        result.Latencies.Sort();
        return result;
    }

    private enum Kind
    {
        NewEvent,
        MoveBusy,
        MoveOneOnOne,
        CancelOneOnOne,
        SafetyNet,
        TeamRefresh,
    }

    private enum Fate
    {
        Kept,
        Moved,
        Cancelled,
    }

    /// <summary>One thing the window does at <see cref="At"/>: to report <see cref="User"/> (an index into their busy events or the one-on-ones).</summary>
    private readonly record struct Step(DateTimeOffset At, Kind Kind, int User, int Index);

    private sealed class OneOnOne(int user, string managerCopyId, DateTimeOffset end)
    {
        public int User { get; } = user;

        public string ManagerCopyId { get; } = managerCopyId;

        public DateTimeOffset End { get; set; } = end;

        public Fate Fate { get; set; } = Fate.Kept;
    }

    private sealed class PlacementCount
    {
        public int Expected { get; set; }

        public int Placed { get; set; }

        public int Missing { get; set; }

        public int Twice { get; set; }

        public int ForCancelled { get; set; }

        public int Unexpected { get; set; }

        public int EndedBefore { get; set; }

        public int Late { get; set; }

        public List<double> Latencies { get; } = [];

        public double P(double q) => Latencies.Count == 0 ? double.NaN : Latencies[Math.Clamp((int)Math.Ceiling(q * Latencies.Count) - 1, 0, Latencies.Count - 1)];
    }
}

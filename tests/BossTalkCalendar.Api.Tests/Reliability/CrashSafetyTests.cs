using System.Diagnostics;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Rollout;
using BossTalkCalendar.GraphSimulator;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace BossTalkCalendar.Api.Tests.Reliability;

/// <summary>
/// Crash safety: the service runs as a real child process on the real clock against the Graph simulator in this
/// process. It is killed with SIGKILL in the middle of the sweep several times, stopped once with SIGTERM, and
/// restarted on the same database each time; the simulator's calendars must end with exactly one reflection per
/// due member. Fast: 60 members and 2 kills; <c>BOSSTALK_LONG=1</c>: 500 members and 6 kills.
/// </summary>
/// <remarks>
/// Enrolment: teams are approved through the real <see cref="TeamRollout"/> of an in-process instance on the same
/// database that runs no Hangfire server (a web-only instance); the child process cannot take the test issuer's
/// key, and the database is where approval lives anyway. The same instance reads the database and Hangfire's
/// queues to know when the work has settled. Each start of the child sweeps on startup (<c>Jobs:SweepOnStartup</c>),
/// as an operator would configure a restarted instance.
/// </remarks>
[Collection(AppCollection.Name)]
public sealed class CrashSafetyTests(ITestOutputHelper output)
{
    // The host's shutdown timeout (set below podman's and Docker's 10 s grace) plus the time to start tearing down.
    private static readonly TimeSpan GracefulExit = JobsExtensions.HostShutdownTimeout + TimeSpan.FromSeconds(2);

    [Theory]
    [InlineData(StorageOptions.SqliteProvider)]
    [InlineData(StorageOptions.PostgreSqlProvider)]
    public async Task KillingTheServiceMidSweepAndStoppingItGracefullyStillPlacesEveryDueReflectionExactlyOnce(string provider)
    {
        var memberCount = LongRun.Pick(60, 500);
        var kills = LongRun.Pick(2, 6);
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var watch = Stopwatch.StartNew();

        using var data = new TempDirectory();
        await using var storage = await TestStorage.CreateAsync(provider);
        var (tenantSeed, managerIds, members) = ReliabilityTenant.Build(TimeProvider.System.GetUtcNow(), memberCount, 5);
        // Graph's usual latency: a sweep then takes seconds, so every kill lands while it is under way (without it,
        // batched jobs can place everything between two looks at the calendars).
        var options = new SimulatorOptions { Port = 0, MailboxConcurrencyLimit = 4, AddedLatency = TimeSpan.FromMilliseconds(150) };
        await using var graph = await GraphSimulatorHost.StartAsync(tenantSeed, options);
        var due = members.Where(m => m.Due).ToList();

        var settings = storage.With(ServiceSettings.Tenant(data.Path, graph.GraphBaseUrl)
            // A short poll: a placement queued by a scan starts at once instead of waiting out a worker's sleep.
            .With("Jobs:PollInterval", "00:00:00.25")
            .With("Jobs:WorkerCount", "4")
            // Required at startup; no request in this test carries a token, so the authority is never contacted.
            .With("Auth:Authority", $"https://login.microsoftonline.com/{TestTeam.TenantId}/v2.0")
            .With("Auth:Audience", "api://bosstalkcalendar-reliability")
            // Change notifications on: each start subscribes (or renews), and Graph tells it about every block it places.
            .With("Service:PublicBaseUrl", "https://bosstalk.test")
            .With("Notifications:Debounce", "00:00:01")
            // Every change read at once, our own blocks too, so those rescans race the placements as the test intends.
            .With("Notifications:FoldWindow", "00:00:00")
            .With("Notifications:SafetyNetCron", ServiceSettings.Never));

        await using var observer = new BossTalkCalendarApplication(
            data.Path,
            TimeProvider.System,
            graph.GraphBaseUrl,
            new Dictionary<string, string?>(settings) { ["Jobs:RunServer"] = "false", ["Jobs:SweepOnStartup"] = "false" });
        var rollout = observer.Services.GetRequiredService<TeamRollout>();
        foreach (var team in members.GroupBy(m => m.ManagerId))
        {
            await rollout.ApproveAsync(TestTeam.TenantId, team.Key, team.Key, [.. team.Select(m => m.Member.Id)], CancellationToken.None);
        }

        var childSettings = new Dictionary<string, string?>(settings) { ["Jobs:SweepOnStartup"] = "true" };
        int Placed() => members.Sum(m => CalendarAssert.ReflectionsOf(graph, m.Member.Id).Count);

        // Graph's notifications for https://bosstalk.test reach whichever process is running now.
        ServiceProcess Start(IReadOnlyDictionary<string, string?> values)
        {
            var started = ServiceProcess.Start(values);
            graph.Options.NotificationIngress = started.BaseAddress;
            return started;
        }

        // SIGKILL at a random point of the sweep: after a random share (up to half) of what is still to place.
        var killedAt = new List<int>();
        var phases = new List<string> { $"teams approved at {watch.Elapsed.TotalSeconds:0.0} s" };
        for (var k = 0; k < kills; k++)
        {
            using var service = Start(childSettings);
            await service.WaitHealthyAsync(TimeSpan.FromSeconds(60));
            var before = Placed();
            var target = before + 1 + random.Next(Math.Max(1, (due.Count - before) / 2));
            await Eventually.TrueAsync(() => Task.FromResult(Placed() >= target), TimeSpan.FromSeconds(90), $"{target} reflections before kill {k + 1}");
            service.Kill();
            killedAt.Add(Placed());
            phases.Add($"kill {k + 1} at {watch.Elapsed.TotalSeconds:0.0} s");
        }

        // SIGTERM while jobs run: the host stops within its shutdown timeout, and cleanly.
        TimeSpan terminatedIn;
        var placedBeforeTerm = Placed();
        using (var service = Start(childSettings))
        {
            await service.WaitHealthyAsync(TimeSpan.FromSeconds(60));
            var before = Placed();
            await Eventually.TrueAsync(() => Task.FromResult(Placed() > before || Placed() == due.Count), TimeSpan.FromSeconds(90), "placements to run before SIGTERM");
            terminatedIn = await service.TerminateAsync(GracefulExit);
            phases.Add($"SIGTERM done at {watch.Elapsed.TotalSeconds:0.0} s");
            Assert.True(service.ExitCode == 0, $"The service exited with {service.ExitCode} after SIGTERM:\n{service.Output}");
        }

        // The last start finishes the work.
        var finalStart = TimeProvider.System.GetUtcNow();
        using (var service = Start(childSettings))
        {
            await service.WaitHealthyAsync(TimeSpan.FromSeconds(60));
            await UntilSettledAsync(observer, finalStart, TimeSpan.FromSeconds(LongRun.Pick(90, 240)), service);
            service.Kill();
        }

        watch.Stop();
        var perMember = members.Select(m => (m, Count: CalendarAssert.ReflectionsOf(graph, m.Member.Id).Count)).ToList();
        var placed = perMember.Sum(p => p.Count);
        var duplicates = perMember.Sum(p => Math.Max(0, p.Count - 1));
        output.WriteLine(
            $"{provider}: {memberCount} members ({due.Count} due), random seed {seed}; {kills} SIGKILLs with {string.Join(", ", killedAt)} "
            + $"reflections placed at each; SIGTERM at {placedBeforeTerm}+ exited in {terminatedIn.TotalSeconds:0.0} s; "
            + $"at the end {placed} placed, {duplicates} duplicates; {graph.Tenant.RequestLog.TotalCount} Graph requests; "
            + $"{watch.Elapsed.TotalSeconds:0.0} s in all ({string.Join("; ", phases)}).");

        Assert.Equal(kills, killedAt.Count);
        Assert.All(killedAt, at => Assert.True(at < due.Count, "Each kill should land before the sweep has placed everything."));
        Assert.Equal(0, duplicates);
        Assert.All(perMember, p => Assert.Equal(p.m.Due ? 1 : 0, p.Count));
        Assert.All(managerIds, id => Assert.Empty(CalendarAssert.ReflectionsOf(graph, id)));

        // The database agrees with the calendars: one placed nudge per due member, pointing at the event that exists.
        var settledAt = TimeProvider.System.GetUtcNow();
        var nudges = (await observer.NudgesAsync()).Where(n => n.MeetingEnd <= settledAt).ToList();
        Assert.Equal(due.Count, nudges.Count);
        foreach (var member in due)
        {
            var nudge = Assert.Single(nudges, n => n.UserId == member.Member.Id);
            Assert.Equal(NudgeState.Placed, nudge.State);
            Assert.Equal(Assert.Single(CalendarAssert.ReflectionsOf(graph, member.Member.Id)).Id, nudge.CreatedEventId);
        }
    }

    /// <summary>
    /// Every active member scanned since the last start and no nudge still planned; then two more seconds in which
    /// no reflection may appear (a straggling job would show up as a late duplicate).
    /// </summary>
    private static async Task UntilSettledAsync(BossTalkCalendarApplication observer, DateTimeOffset since, TimeSpan timeout, ServiceProcess service)
    {
        var monitoring = observer.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var last = "";
        try
        {
            await Eventually.TrueAsync(
                async () =>
                {
                    await using var db = await observer.CreateDbContextAsync();
                    var scans = await db.EnrolledUsers.Where(u => u.Enrolled && !u.OptedOut && !u.Paused).Select(u => u.LastScanAt).ToListAsync();
                    // A nudge planned ahead for a one-on-one still to come waits for its end: not work to wait for.
                    var now = TimeProvider.System.GetUtcNow();
                    var plannedJobs = (await db.Nudges.Where(n => n.State == NudgeState.Planned).Select(n => new { n.HangfireJobId, n.MeetingEnd }).ToListAsync())
                        .Where(n => n.MeetingEnd <= now).Select(n => n.HangfireJobId).ToList();
                    var planned = plannedJobs.Count;
                    var stuck = string.Join(", ", plannedJobs.Select(id => id is null ? "no job" : $"job {id}: " + string.Join(" <- ", monitoring.JobDetails(id)?.History.Select(h => $"{h.StateName} {h.CreatedAt:HH:mm:ss.fff} {h.Reason}") ?? [])));
                    var notScanned = scans.Count(scanned => scanned is null || scanned < since);
                    last = $"{notScanned} not scanned since the start, {planned} planned; Hangfire: {monitoring.EnqueuedCount("default")} enqueued, "
                        + $"{monitoring.ScheduledCount()} scheduled, {monitoring.ProcessingCount()} processing, {monitoring.FailedCount()} failed. Planned: {stuck}";
                    return notScanned == 0 && planned == 0;
                },
                timeout,
                "the restarted service to finish the sweep");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message} {last}\n{service.Output}", ex);
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
    }
}

using System.Diagnostics;
using System.Net;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Rollout;
using BossTalkCalendar.GraphSimulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace BossTalkCalendar.Api.Tests.Reliability;

/// <summary>
/// Graph misbehaving while the service sweeps: 503s, 429 bursts, slow answers, a deleted user, a mailbox outside
/// the access policy, and a calendar that changes between scan and placement. The judge is the simulator's calendars.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class GraphFaultTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CoolDown = TimeSpan.FromMinutes(90);

    [Theory]
    [InlineData(StorageOptions.SqliteProvider)]
    [InlineData(StorageOptions.PostgreSqlProvider)]
    public async Task UnderFailuresThrottlingAndSlowAnswersEveryDueReflectionIsPlacedOnceAndTheServiceKeepsAnswering(string provider)
    {
        var memberCount = LongRun.Pick(60, 500);
        var watch = Stopwatch.StartNew();
        using var data = new TempDirectory();
        await using var storage = await TestStorage.CreateAsync(provider);
        var (seed, managerIds, members) = ReliabilityTenant.Build(TimeProvider.System.GetUtcNow(), memberCount, 5);
        await using var graph = await GraphSimulatorHost.StartAsync(seed, new SimulatorOptions { Port = 0, MailboxConcurrencyLimit = 4 });

        // Bounded, with room: every 503 a job meets (and every 429 a scan meets) counts as an attempt, and under these
        // faults a job makes two to four Graph calls, each failing one time in five outside the bursts.
        var settings = storage.With(new Dictionary<string, string?>
        {
            ["Graph:TenantId"] = TestTeam.TenantId,
            ["Jobs:MaxAttempts"] = "40",
            ["Jobs:WorkerCount"] = "4",
            ["Jobs:PollInterval"] = "00:00:00.25",
            // With change notifications on: every placement is a change Graph tells the service about, and a user's
            // notification may arrive while their placement runs.
            ["Service:PublicBaseUrl"] = "https://bosstalk.test",
            ["Notifications:Debounce"] = "00:00:01",
            // Every change read at once, our own blocks too, so those rescans race the placements as the test intends.
            ["Notifications:FoldWindow"] = "00:00:00",
        });
        await using var app = new BossTalkCalendarApplication(data.Path, TimeProvider.System, graph.GraphBaseUrl, settings);
        graph.Options.NotificationHandler = app.Server.CreateHandler();
        var rollout = app.Services.GetRequiredService<TeamRollout>();
        foreach (var team in members.GroupBy(m => m.ManagerId))
        {
            await rollout.ApproveAsync(TestTeam.TenantId, team.Key, team.Key, [.. team.Select(m => m.Member.Id)], CancellationToken.None);
        }

        await app.MaintainSubscriptionsAsync();
        await Eventually.TrueAsync(() => Task.FromResult(graph.Subscriptions.All.Count == memberCount), TimeSpan.FromSeconds(30), "a subscription per member");

        // A user deleted from the tenant and a mailbox outside the application access policy, both due.
        var dueMembers = members.Where(m => m.Due).ToList();
        var deleted = dueMembers[0].Member;
        var forbidden = dueMembers[1].Member;
        graph.Tenant.RemoveUser(deleted.Id);
        graph.Tenant.ForbiddenMailboxes.Add(forbidden.Id);
        var expected = dueMembers.Skip(2).ToList();

        graph.Options.FailureRate = 0.2;
        graph.Options.LatencySpikeRate = 0.05;
        graph.Options.LatencySpike = TimeSpan.FromSeconds(2);

        using var stop = new CancellationTokenSource();
        var bursts = ThrottleBurstsAsync(graph, stop.Token);
        var probe = ProbeAsync(app, expected[0].Member.Id, stop.Token);
        try
        {
            await app.RunSweepAsync(TimeSpan.FromSeconds(LongRun.Pick(150, 400)));
            await app.UntilQueuesDrainAsync(TimeSpan.FromSeconds(120));
        }
        finally
        {
            await stop.CancelAsync();
        }

        var burstCount = await bursts;
        var probes = await probe;
        graph.Options.FailureRate = 0;
        graph.Options.LatencySpikeRate = 0;
        graph.Options.RequestsPerSecond = 0;
        watch.Stop();

        var log = graph.Tenant.RequestLog;
        var perMember = members.Select(m => (m, Count: CalendarAssert.ReflectionsOf(graph, m.Member.Id).Count)).ToList();
        var duplicates = perMember.Sum(p => Math.Max(0, p.Count - 1));
        output.WriteLine(
            $"{provider}: {memberCount} members ({dueMembers.Count} due, 2 of them broken): {perMember.Sum(p => p.Count)} reflections placed, "
            + $"{duplicates} duplicates; Graph answered {log.CountStatus(503)} × 503, {log.CountStatus(429)} × 429 ({burstCount} bursts), "
            + $"{log.TotalCount} requests in all; probes (count, slowest): /healthz {probes.Count[0]}, {probes.Slowest[0].TotalMilliseconds:0} ms; "
            + $"nudge lookup {probes.Count[1]}, {probes.Slowest[1].TotalMilliseconds:0} ms; /me {probes.Count[2]}, {probes.Slowest[2].TotalMilliseconds:0} ms; "
            + $"{watch.Elapsed.TotalSeconds:0.0} s.");

        Assert.True(log.CountStatus(503) > 0, "The simulator should have answered 503s.");
        Assert.True(log.CountStatus(429) > 0, "The simulator should have answered 429s.");
        Assert.Equal(0, duplicates);
        await using (var check = await app.CreateDbContextAsync())
        {
            var missing = perMember.Where(p => p.Count != (expected.Contains(p.m) ? 1 : 0)).Select(p => p.m.Member.Id).ToList();
            var why = check.EnrolledUsers.Where(u => missing.Contains(u.UserId)).Select(u => u.UserId + " scan " + (u.LastScanFailure ?? "ok")).ToList()
                .Concat(check.Nudges.Where(n => missing.Contains(n.UserId)).Select(n => $"{n.UserId} nudge {n.State} {n.Reason} after {n.Attempts}").ToList());
            Assert.True(missing.Count == 0, $"Wrong reflection count for {missing.Count} members: {string.Join("; ", why)}");
        }

        Assert.All(managerIds, id => Assert.Empty(CalendarAssert.ReflectionsOf(graph, id)));

        // Responsive throughout: health and a database-backed API call always answered, within a second.
        Assert.True(probes.Count[0] >= 10 && probes.Count[1] >= 2, "Too few probes ran.");
        Assert.True(probes.Slowest[0] < TimeSpan.FromSeconds(1), $"The slowest /healthz took {probes.Slowest[0].TotalMilliseconds:0} ms.");
        Assert.True(probes.Slowest[1] < TimeSpan.FromSeconds(1), $"The slowest nudge lookup took {probes.Slowest[1].TotalMilliseconds:0} ms.");
        Assert.All(probes.Statuses, p => Assert.Equal(p.Kind switch { 0 => HttpStatusCode.OK, 1 => HttpStatusCode.NotFound, _ => HttpStatusCode.OK }, p.Status));

        // The two broken users end with a recorded reason; nothing is left queued or scheduled for them.
        await using var db = await app.CreateDbContextAsync();
        Assert.Equal("graph-not-found", db.EnrolledUsers.Single(u => u.UserId == deleted.Id).LastScanFailure);
        Assert.Equal("graph-forbidden", db.EnrolledUsers.Single(u => u.UserId == forbidden.Id).LastScanFailure);
        Assert.DoesNotContain(db.Nudges, n => n.UserId == deleted.Id || n.UserId == forbidden.Id);
        // Due ones placed; one-on-ones still to come are planned ahead, their jobs waiting for the meetings' ends.
        var now = TimeProvider.System.GetUtcNow();
        Assert.All(db.Nudges, n => Assert.Equal(n.MeetingEnd <= now ? NudgeState.Placed : NudgeState.Planned, n.State));
        Assert.All(db.Nudges, n => Assert.InRange(n.Attempts, 0, 40));
    }

    /// <summary>
    /// The slot the finder picks is taken between scan and placement (a meeting was booked there meanwhile): the
    /// placement reads the calendar again and lands on another free slot. A twin simulator with the same tenant
    /// shows which slot would have been chosen.
    /// </summary>
    [Fact]
    public async Task WhenTheChosenSlotIsBookedBetweenScanAndPlacementTheReflectionGoesToAnotherFreeSlot()
    {
        var clock = new FakeTimeProvider(TestTeam.Now);
        var chosen = await PlaceOnceAsync(clock, busy: null);
        var moved = await PlaceOnceAsync(clock, busy: chosen);

        output.WriteLine($"First choice {chosen.Start:O}–{chosen.End:O}; with it booked: {moved.Start:O}–{moved.End:O}.");
        Assert.NotEqual(chosen.Start, moved.Start);
        Assert.True(moved.End <= chosen.Start || moved.Start >= chosen.End, "The new slot overlaps the booked one.");
        Assert.True(moved.Start >= TestTeam.At(12, 20) + CoolDown);
    }

    /// <summary>Scans Berlin with no Hangfire server, optionally books <paramref name="busy"/> on their calendar, then runs the placement.</summary>
    private static async Task<SimEvent> PlaceOnceAsync(FakeTimeProvider clock, SimEvent? busy)
    {
        using var data = new TempDirectory();
        await using var graph = await GraphSimulatorHost.StartAsync(TestTeam.Build(), new SimulatorOptions { Port = 0, TimeProvider = clock });
        await using var app = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, new Dictionary<string, string?> { ["Jobs:RunServer"] = "false" });
        await app.Services.GetRequiredService<TeamRollout>()
            .ApproveAsync(TestTeam.TenantId, TestTeam.Manager.Id, TestTeam.Manager.Id, [TestTeam.Berlin.Id], CancellationToken.None);

        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ScanUsersJob>().RunAsync(TestTeam.TenantId, [TestTeam.Berlin.Id], 0, CancellationToken.None);
        var nudge = Assert.Single(await app.NudgesAsync());
        Assert.Equal(NudgeState.Planned, nudge.State);

        if (busy is not null)
        {
            graph.Tenant.AddEvent(TestTeam.Berlin.Id, new SeedEvent
            {
                Subject = "Booked meanwhile",
                Start = busy.Start,
                End = busy.End,
                OrganizerMail = TestTeam.Berlin.Mail,
                ShowAs = "busy",
            });
        }

        await scope.ServiceProvider.GetRequiredService<PlaceNudgesJob>().RunAsync([nudge.Id], CancellationToken.None);
        var placed = Assert.Single(await app.NudgesAsync());
        Assert.Equal(NudgeState.Placed, placed.State);
        var member = TestTeam.Berlin;
        return CalendarAssert.SingleReflectionInWorkingTime(graph, member.Id, member.Zone, member.Days, member.Start, member.End, TestTeam.At(12, 20) + CoolDown);
    }

    /// <summary>Every six seconds, the app-wide limit drops to 5 requests/s for two seconds: bursts of 429 with Retry-After.</summary>
    private static async Task<int> ThrottleBurstsAsync(GraphSimulatorHost graph, CancellationToken stop)
    {
        var bursts = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(4), stop);
                graph.Options.RequestsPerSecond = 5;
                bursts++;
                await Task.Delay(TimeSpan.FromSeconds(2), stop);
                graph.Options.RequestsPerSecond = 0;
            }
        }
        catch (OperationCanceledException)
        {
        }

        graph.Options.RequestsPerSecond = 0;
        return bursts;
    }

    /// <summary>
    /// /healthz every 200 ms; every fifth time instead an authenticated API call with a member's token (once a second
    /// keeps under the API's per-user rate limit), alternating GET /api/v1/nudges/{id} (database only) and
    /// GET /api/v1/me (which also asks Graph for directory details, so it is measured and reported, not held to 1 s).
    /// </summary>
    private static async Task<Probes> ProbeAsync(BossTalkCalendarApplication app, string userId, CancellationToken stop)
    {
        using var health = app.CreateClient();
        using var api = app.CreateClientFor(userId, TestTeam.TenantId);
        var probes = new Probes();
        for (var tick = 0; !stop.IsCancellationRequested; tick++)
        {
            var kind = tick % 5 != 4 ? 0 : tick % 10 == 4 ? 1 : 2;
            var path = kind switch { 0 => "healthz", 1 => $"api/v1/nudges/{Guid.NewGuid()}", _ => "api/v1/me" };
            var watch = Stopwatch.StartNew();
            using (var response = await (kind == 0 ? health : api).GetAsync(new Uri(path, UriKind.Relative), CancellationToken.None))
            {
                probes.Record(kind, watch.Elapsed, response.StatusCode);
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), stop);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return probes;
    }

    /// <summary>Answers and slowest times per probe kind: 0 /healthz, 1 a nudge lookup, 2 /me.</summary>
    private sealed class Probes
    {
        public int[] Count { get; } = new int[3];

        public TimeSpan[] Slowest { get; } = new TimeSpan[3];

        public List<(int Kind, HttpStatusCode Status)> Statuses { get; } = [];

        public void Record(int kind, TimeSpan took, HttpStatusCode status)
        {
            Count[kind]++;
            Slowest[kind] = took > Slowest[kind] ? took : Slowest[kind];
            Statuses.Add((kind, status));
        }
    }
}

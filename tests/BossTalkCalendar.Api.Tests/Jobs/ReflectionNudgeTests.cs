using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Rollout;
using BossTalkCalendar.GraphSimulator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BossTalkCalendar.Api.Tests.Jobs;

/// <summary>
/// End to end: sweep → scan-users → place-reflection through real Hangfire and EF Core (each test on SQLite and on
/// PostgreSQL), the real Graph SDK over HTTP and the Graph simulator, which the service reaches as "any Graph
/// server" (sandbox mode off).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ReflectionNudgeTests
{
    private static readonly TimeSpan CoolDown = TimeSpan.FromMinutes(90);

    [Theory]
    [InlineData(StorageOptions.SqliteProvider)]
    [InlineData(StorageOptions.PostgreSqlProvider)]
    public async Task ASweepPlacesOnePrivateReflectionPerEndedOneOnOneAndRepeatingItOrRestartingAddsNone(string provider)
    {
        using var data = new TempDirectory();
        await using var storage = await TestStorage.CreateAsync(provider);
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await StartGraphAsync(clock);
        graph.Tenant.ForbiddenMailboxes.Add(TestTeam.Forbidden.Id);
        var settings = storage.With(new Dictionary<string, string?>());

        await using (var app = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, settings))
        {
            await ApproveTeamAsync(app, TestTeam.Reports);
            await app.RunSweepAsync();

            var berlin = SingleReflection(graph, TestTeam.Berlin, TestTeam.At(12, 20) + CoolDown);
            var newYork = SingleReflection(graph, TestTeam.NewYork, TestTeam.At(13, 0) + CoolDown);
            Assert.Empty(CalendarAssert.ReflectionsOf(graph, TestTeam.Declined.Id));
            Assert.Empty(CalendarAssert.ReflectionsOf(graph, TestTeam.NotEnded.Id));
            Assert.Empty(CalendarAssert.ReflectionsOf(graph, TestTeam.Forbidden.Id));
            Assert.Empty(CalendarAssert.ReflectionsOf(graph, TestTeam.Manager.Id));

            // The one-on-one still running is planned ahead: its placement job waits for its end.
            var nudges = await app.NudgesAsync();
            Assert.Equal(3, nudges.Count);
            AssertPlaced(nudges, TestTeam.Berlin, berlin);
            AssertPlaced(nudges, TestTeam.NewYork, newYork);
            var ahead = nudges.Single(n => n.UserId == TestTeam.NotEnded.Id);
            Assert.Equal(NudgeState.Planned, ahead.State);
            Assert.Equal(Hangfire.States.ScheduledState.StateName, app.JobState(ahead.HangfireJobId!));

            await using var db = await app.CreateDbContextAsync();
            var forbidden = db.EnrolledUsers.Single(u => u.UserId == TestTeam.Forbidden.Id);
            Assert.Equal("graph-forbidden", forbidden.LastScanFailure);
            Assert.Null(db.EnrolledUsers.Single(u => u.UserId == TestTeam.Berlin.Id).LastScanFailure);

            // A minute on, not more: the one-on-one that ends at 14:15 must stay in the future.
            clock.Advance(TimeSpan.FromMinutes(1));
            await app.RunSweepAsync();
            Assert.Equal(3, (await app.NudgesAsync()).Count);
        }

        clock.Advance(TimeSpan.FromMinutes(1));
        await using (var restarted = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, settings))
        {
            await restarted.RunSweepAsync();
            Assert.Equal(3, (await restarted.NudgesAsync()).Count);
        }

        Assert.Single(CalendarAssert.ReflectionsOf(graph, TestTeam.Berlin.Id));
        Assert.Single(CalendarAssert.ReflectionsOf(graph, TestTeam.NewYork.Id));
        Assert.Empty(CalendarAssert.ReflectionsOf(graph, TestTeam.NotEnded.Id));
        await AssertNoCalendarContentInAsync(storage, data.Path);
    }

    [Theory]
    [InlineData(StorageOptions.SqliteProvider)]
    [InlineData(StorageOptions.PostgreSqlProvider)]
    public async Task AMeetingCancelledOrAMailboxClosedBetweenScanAndPlacementGetsNoReflection(string provider)
    {
        using var data = new TempDirectory();
        await using var storage = await TestStorage.CreateAsync(provider);
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await StartGraphAsync(clock);
        var settings = storage.With(new Dictionary<string, string?>());

        // An instance that only serves HTTP: the scan queues placements that nobody runs yet.
        await using (var scanner = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, new Dictionary<string, string?>(settings) { ["Jobs:RunServer"] = "false" }))
        {
            await ApproveTeamAsync(scanner, [TestTeam.Berlin, TestTeam.NewYork]);
            await ScanAsync(scanner, TestTeam.Berlin, TestTeam.NewYork);

            var planned = await scanner.NudgesAsync();
            Assert.Equal(2, planned.Count);
            Assert.All(planned, nudge => Assert.Equal(NudgeState.Planned, nudge.State));
            Assert.All(planned, nudge => Assert.NotNull(nudge.HangfireJobId));
        }

        var oneOnOne = graph.Tenant.EventsOf(TestTeam.Manager.Id).Single(e => e.Subject == TestTeam.OneOnOneSubject(TestTeam.Berlin));
        graph.Tenant.CancelEvent(TestTeam.Manager.Id, oneOnOne.Id);
        graph.Tenant.ForbiddenMailboxes.Add(TestTeam.NewYork.Id);

        await using var worker = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, settings);
        await Eventually.TrueAsync(
            async () => (await worker.NudgesAsync()).All(n => n.State != NudgeState.Planned),
            TimeSpan.FromSeconds(60),
            "the queued placements to run");

        var nudges = await worker.NudgesAsync();
        var cancelled = nudges.Single(n => n.UserId == TestTeam.Berlin.Id);
        Assert.Equal(NudgeState.Cancelled, cancelled.State);
        Assert.Equal("meeting-cancelled", cancelled.Reason);
        var failed = nudges.Single(n => n.UserId == TestTeam.NewYork.Id);
        Assert.Equal(NudgeState.Failed, failed.State);
        Assert.Equal("graph-forbidden", failed.Reason);
        Assert.Empty(CalendarAssert.ReflectionsOf(graph, TestTeam.Berlin.Id));
        Assert.Empty(CalendarAssert.ReflectionsOf(graph, TestTeam.NewYork.Id));
    }

    [Theory]
    [InlineData(StorageOptions.SqliteProvider)]
    [InlineData(StorageOptions.PostgreSqlProvider)]
    public async Task PlacingTheSameNudgeTwiceConcurrentlyCreatesOneEvent(string provider)
    {
        using var data = new TempDirectory();
        await using var storage = await TestStorage.CreateAsync(provider);
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await StartGraphAsync(clock);
        var settings = new Dictionary<string, string?>(storage.With(new Dictionary<string, string?>())) { ["Jobs:RunServer"] = "false" };

        await using var app = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, settings);
        await ApproveTeamAsync(app, [TestTeam.Berlin]);
        await ScanAsync(app, TestTeam.Berlin);

        var nudge = Assert.Single(await app.NudgesAsync());
        await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<PlaceNudgesJob>().RunAsync([nudge.Id], CancellationToken.None);
        }));

        var reflection = SingleReflection(graph, TestTeam.Berlin, TestTeam.At(12, 20) + CoolDown);
        AssertPlaced(await app.NudgesAsync(), TestTeam.Berlin, reflection);
    }

    [Theory]
    [InlineData(StorageOptions.SqliteProvider)]
    [InlineData(StorageOptions.PostgreSqlProvider)]
    public async Task UnderRandomGraphOutagesEachDueUserStillEndsWithExactlyOneReflection(string provider)
    {
        using var data = new TempDirectory();
        await using var storage = await TestStorage.CreateAsync(provider);
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await StartGraphAsync(clock);
        var settings = new Dictionary<string, string?>(storage.With(new Dictionary<string, string?>())) { ["Jobs:MaxAttempts"] = "40" };

        await using var app = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, settings);
        await ApproveTeamAsync(app, [TestTeam.Berlin, TestTeam.NewYork]);
        // One request in five answers 503 with Retry-After: 1, so scans and placements fail part-way and come back.
        graph.Options.FailureRate = 0.2;
        await app.RunSweepAsync(TimeSpan.FromSeconds(120));
        graph.Options.FailureRate = 0;

        Assert.True(graph.Tenant.RequestLog.CountStatus(503) > 0, "The simulator should have failed some requests.");
        var berlin = SingleReflection(graph, TestTeam.Berlin, TestTeam.At(12, 20) + CoolDown);
        var newYork = SingleReflection(graph, TestTeam.NewYork, TestTeam.At(13, 0) + CoolDown);
        var nudges = await app.NudgesAsync();
        AssertPlaced(nudges, TestTeam.Berlin, berlin);
        AssertPlaced(nudges, TestTeam.NewYork, newYork);
    }

    [Theory]
    [InlineData(StorageOptions.SqliteProvider)]
    [InlineData(StorageOptions.PostgreSqlProvider)]
    public async Task APlacementThatHitsAnOutageTriesAgainLaterAndGivesUpAfterMaxAttempts(string provider)
    {
        using var data = new TempDirectory();
        await using var storage = await TestStorage.CreateAsync(provider);
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await StartGraphAsync(clock);
        var settings = new Dictionary<string, string?>(storage.With(new Dictionary<string, string?>())) { ["Jobs:MaxAttempts"] = "3" };

        await using (var scanner = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, new Dictionary<string, string?>(settings) { ["Jobs:RunServer"] = "false" }))
        {
            var (berlin, newYork) = await ScanBerlinAndNewYorkAsync(scanner);
            await using var scope = scanner.Services.CreateAsyncScope();

            // Every request answers 503 (Retry-After: 1).
            graph.Options.FailureRate = 1;
            var place = scope.ServiceProvider.GetRequiredService<PlaceNudgesJob>();
            await place.RunAsync([berlin.Id], CancellationToken.None);
            for (var run = 0; run < 3; run++)
            {
                await place.RunAsync([newYork.Id], CancellationToken.None);
            }

            var afterOutage = await scanner.NudgesAsync();
            var retrying = afterOutage.Single(n => n.Id == berlin.Id);
            Assert.Equal(NudgeState.Planned, retrying.State);
            Assert.Equal(1, retrying.Attempts);
            Assert.NotEqual(berlin.HangfireJobId, retrying.HangfireJobId);
            var exhausted = afterOutage.Single(n => n.Id == newYork.Id);
            Assert.Equal(NudgeState.Failed, exhausted.State);
            Assert.Equal("graph-retries-exhausted", exhausted.Reason);
            Assert.Equal(3, exhausted.Attempts);
        }

        graph.Options.FailureRate = 0;
        await using var worker = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, settings);
        await Eventually.TrueAsync(
            async () => (await worker.NudgesAsync()).All(n => n.State != NudgeState.Planned),
            TimeSpan.FromSeconds(60),
            "the rescheduled placement to run");

        var reflection = SingleReflection(graph, TestTeam.Berlin, TestTeam.At(12, 20) + CoolDown);
        var nudges = await worker.NudgesAsync();
        AssertPlaced(nudges, TestTeam.Berlin, reflection);
        Assert.Equal(1, nudges.Single(n => n.UserId == TestTeam.Berlin.Id).Attempts);
        Assert.Empty(CalendarAssert.ReflectionsOf(graph, TestTeam.NewYork.Id));
    }

    /// <summary>
    /// A fault of our own database (here a real SQLite error, raised by a trigger) is retried by the placement itself,
    /// counting an attempt and recording a reason when they run out, instead of escaping to Hangfire's own retry, which
    /// comes back at a random later time without either (seen in a CI run: a reflection asked for "now" still planned
    /// a minute later).
    /// </summary>
    [Fact]
    public async Task APlacementWhoseDatabaseFailsTriesAgainLaterAndGivesUpWithAReason()
    {
        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await StartGraphAsync(clock);
        var settings = new Dictionary<string, string?> { ["Jobs:RunServer"] = "false", ["Jobs:MaxAttempts"] = "3" };
        await using var app = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, settings);
        var (berlin, newYork) = await ScanBerlinAndNewYorkAsync(app);
        await using var scope = app.Services.CreateAsyncScope();
        var place = scope.ServiceProvider.GetRequiredService<PlaceNudgesJob>();
        graph.Tenant.RequestLog.Reset();

        // The user's lease cannot be taken, then the mark written before the create cannot be saved.
        await SqlAsync(app, """CREATE TRIGGER "NoLease" BEFORE INSERT ON "UserLeases" BEGIN SELECT RAISE(ABORT, 'test fault'); END""");
        await place.RunAsync([berlin.Id], CancellationToken.None);
        await SqlAsync(app, """DROP TRIGGER "NoLease" """);
        await SqlAsync(app, """CREATE TRIGGER "NoMark" BEFORE UPDATE OF "CreateSentAt" ON "Nudges" WHEN NEW."CreateSentAt" IS NOT NULL BEGIN SELECT RAISE(ABORT, 'test fault'); END""");
        await place.RunAsync([berlin.Id], CancellationToken.None);
        for (var run = 0; run < 3; run++)
        {
            await place.RunAsync([newYork.Id], CancellationToken.None);
        }

        var afterFaults = await app.NudgesAsync();
        var retrying = afterFaults.Single(n => n.Id == berlin.Id);
        Assert.Equal(NudgeState.Planned, retrying.State);
        Assert.Equal(2, retrying.Attempts);
        Assert.NotEqual(berlin.HangfireJobId, retrying.HangfireJobId);
        var exhausted = afterFaults.Single(n => n.Id == newYork.Id);
        Assert.Equal(NudgeState.Failed, exhausted.State);
        Assert.Equal("database-retries-exhausted", exhausted.Reason);
        Assert.Equal(3, exhausted.Attempts);
        Assert.DoesNotContain(graph.Tenant.RequestLog.Snapshot().Keys, request => request.Method == "POST");

        await SqlAsync(app, """DROP TRIGGER "NoMark" """);
        await place.RunAsync([berlin.Id], CancellationToken.None);
        var reflection = SingleReflection(graph, TestTeam.Berlin, TestTeam.At(12, 20) + CoolDown);
        AssertPlaced(await app.NudgesAsync(), TestTeam.Berlin, reflection);
        Assert.Empty(CalendarAssert.ReflectionsOf(graph, TestTeam.NewYork.Id));
    }

    [Fact]
    public async Task AThrottledPlacementWaitsForGraphWithoutUsingUpItsAttempts()
    {
        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await StartGraphAsync(clock);
        var settings = new Dictionary<string, string?> { ["Jobs:RunServer"] = "false", ["Jobs:MaxAttempts"] = "2" };
        await using var app = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, settings);
        await ApproveTeamAsync(app, [TestTeam.Berlin]);
        await ScanAsync(app, TestTeam.Berlin);
        await using var scope = app.Services.CreateAsyncScope();
        var nudge = Assert.Single(await app.NudgesAsync());

        // One request a second on a clock that stands still: after the first, Graph answers 429 to everything.
        graph.Options.RequestsPerSecond = 1;
        var place = scope.ServiceProvider.GetRequiredService<PlaceNudgesJob>();
        var jobIds = new HashSet<string?>();
        for (var run = 0; run < 4; run++)
        {
            await place.RunAsync([nudge.Id], CancellationToken.None);
            var waiting = Assert.Single(await app.NudgesAsync());
            Assert.Equal(NudgeState.Planned, waiting.State);
            Assert.Equal(0, waiting.Attempts);
            Assert.True(jobIds.Add(waiting.HangfireJobId), "Each throttled run should schedule a new job.");
        }

        Assert.True(graph.Tenant.RequestLog.CountStatus(429) >= 4);
        graph.Options.RequestsPerSecond = 0;
        await place.RunAsync([nudge.Id], CancellationToken.None);
        var reflection = SingleReflection(graph, TestTeam.Berlin, TestTeam.At(12, 20) + CoolDown);
        AssertPlaced(await app.NudgesAsync(), TestTeam.Berlin, reflection);
    }

    /// <summary>
    /// A placement re-checks the meeting from its own calendar read; a meeting moved out of that window since the scan
    /// is read on its own, and the reflection counts from its new end.
    /// </summary>
    [Fact]
    public async Task AMeetingMovedEarlierAfterTheScanIsReadAgainAndTheReflectionFollowsItsNewEnd()
    {
        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await StartGraphAsync(clock);
        await using var app = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, new Dictionary<string, string?> { ["Jobs:RunServer"] = "false" });
        await ApproveTeamAsync(app, [TestTeam.Berlin]);
        await ScanAsync(app, TestTeam.Berlin);
        await using var scope = app.Services.CreateAsyncScope();
        var nudge = Assert.Single(await app.NudgesAsync());

        var copy = graph.Tenant.EventsOf(TestTeam.Berlin.Id).Single(e => e.Subject == TestTeam.OneOnOneSubject(TestTeam.Berlin));
        graph.Tenant.MoveEvent(TestTeam.Berlin.Id, copy.Id, TestTeam.At(10, 0), TestTeam.At(10, 30));
        graph.Tenant.RequestLog.Reset();
        await scope.ServiceProvider.GetRequiredService<PlaceNudgesJob>().RunAsync([nudge.Id], CancellationToken.None);

        var reads = graph.Tenant.RequestLog.Snapshot();
        Assert.Equal(1, reads.Where(e => e.Key.Method == "GET" && e.Key.Route == "/users/{id}/events/{eventId}").Sum(e => e.Value));
        Assert.Equal(2, reads.Where(e => e.Key.Method == "GET" && e.Key.Route == "/users/{id}/calendarView").Sum(e => e.Value));
        var reflection = SingleReflection(graph, TestTeam.Berlin, TestTeam.At(10, 30) + CoolDown);
        AssertPlaced(await app.NudgesAsync(), TestTeam.Berlin, reflection);
    }

    /// <summary>Berlin and New York, approved and scanned: each has one planned reflection, returned as scanned.</summary>
    private static async Task<(Nudge Berlin, Nudge NewYork)> ScanBerlinAndNewYorkAsync(BossTalkCalendarApplication app)
    {
        await ApproveTeamAsync(app, [TestTeam.Berlin, TestTeam.NewYork]);
        await ScanAsync(app, TestTeam.Berlin, TestTeam.NewYork);
        var scanned = await app.NudgesAsync();
        return (scanned.Single(n => n.UserId == TestTeam.Berlin.Id), scanned.Single(n => n.UserId == TestTeam.NewYork.Id));
    }

    /// <summary>A statement of the test's own on the service's database: a fault to inject, or its removal.</summary>
    private static async Task SqlAsync(BossTalkCalendarApplication app, string sql)
    {
        await using var db = await app.CreateDbContextAsync();
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    /// <summary>One scan job over <paramref name="members"/>, run directly (the instance may have no Hangfire server).</summary>
    private static async Task ScanAsync(BossTalkCalendarApplication app, params Member[] members)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ScanUsersJob>().RunAsync(TestTeam.TenantId, [.. members.Select(m => m.Id)], 0, CancellationToken.None);
    }

    private static Task<GraphSimulatorHost> StartGraphAsync(TimeProvider clock) =>
        GraphSimulatorHost.StartAsync(TestTeam.Build(), new SimulatorOptions { Port = 0, TimeProvider = clock });

    /// <summary>
    /// The manager's team approved with just <paramref name="members"/> enrolled (as if Graph listed only them), so
    /// each test sees exactly the members it is about. The app database keeps it across restarts.
    /// </summary>
    private static async Task ApproveTeamAsync(BossTalkCalendarApplication app, IReadOnlyList<Member> members) =>
        await app.Services.GetRequiredService<TeamRollout>()
            .ApproveAsync(TestTeam.TenantId, TestTeam.Manager.Id, TestTeam.Manager.Id, [.. members.Select(m => m.Id)], CancellationToken.None);

    private static SimEvent SingleReflection(GraphSimulatorHost graph, Member member, DateTimeOffset notBefore) =>
        CalendarAssert.SingleReflectionInWorkingTime(graph, member.Id, member.Zone, member.Days, member.Start, member.End, notBefore);

    private static void AssertPlaced(IEnumerable<Nudge> nudges, Member member, SimEvent reflection)
    {
        var nudge = Assert.Single(nudges, n => n.UserId == member.Id);
        Assert.Equal(NudgeState.Placed, nudge.State);
        Assert.Equal(reflection.Id, nudge.CreatedEventId);
        Assert.Equal(reflection.Start, nudge.SlotStart);
        Assert.Equal(reflection.End, nudge.SlotEnd);
        Assert.Equal(reflection.TransactionId, nudge.TransactionId);
        Assert.Null(nudge.Reason);
    }

    /// <summary>What the service stored (app database and Hangfire's) never holds subjects, bodies or addresses from calendars.</summary>
    private static async Task AssertNoCalendarContentInAsync(TestStorage storage, string dataDirectory)
    {
        var (texts, appData) = await storage.StoredTextAsync(dataDirectory);
        Assert.Contains(appData, texts.Keys);
        // Not a vacuous check: the stored ids are readable as text.
        Assert.Contains(texts.Values, text => text.Contains(TestTeam.Berlin.Id, StringComparison.Ordinal));
        foreach (var text in texts.Values)
        {
            Assert.DoesNotContain(TestTeam.Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain("@team.test", text, StringComparison.Ordinal);
        }
    }
}

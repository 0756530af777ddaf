using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.GraphSimulator;
using BossTalkCalendar.Api.Tests.Builders;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BossTalkCalendar.Api.Tests.Notifications;

/// <summary>
/// Change notifications end to end: the simulator keeps subscriptions, validates the notification URL and posts
/// change and lifecycle notifications over HTTP to the service (in process here), as Graph does (docs/graph.md,
/// "Change notifications"). The service runs with an https public URL, which is what turns notifications on.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ChangeNotificationTests
{
    private static readonly TimeSpan Debounce = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task SubscriptionsAreMadeOnEnrolmentRenewedBeforeExpiryDeletedOnOptOutAndMadeAgainWhenGraphRemovesThem()
    {
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var app = await StartAsync(clock);
        await app.ApproveTeamAsync(TestTeam.TenantId, TestTeam.Manager, [TestTeam.Berlin, TestTeam.NewYork]);
        await app.MaintainSubscriptionsAsync();
        await Eventually.TrueAsync(() => Task.FromResult(app.Graph.Subscriptions.All.Count == 2), TimeSpan.FromSeconds(30), "both subscriptions");

        var made = app.Graph.Subscriptions.All.OrderBy(s => s.UserId, StringComparer.Ordinal).ToList();
        Assert.Equal([TestTeam.Berlin.Id, TestTeam.NewYork.Id], made.Select(s => s.UserId));
        Assert.All(made, s => Assert.Equal("https://bosstalk.test/notifications/graph", s.NotificationUrl.ToString()));
        Assert.Equal(2, app.Graph.Subscriptions.Counters.Validations);
        var rows = await RowsAsync(app);
        Assert.All(made, s => Assert.Equal(s.ClientState, rows[s.UserId].ClientState));
        Assert.Equal(2, rows.Values.Select(r => r.ClientState).Distinct().Count());

        // Nothing to do a minute later: no request at all.
        clock.Advance(TimeSpan.FromMinutes(1));
        var requests = app.Graph.Tenant.RequestLog.TotalCount;
        await app.MaintainSubscriptionsAsync();
        Assert.Equal(requests, app.Graph.Tenant.RequestLog.TotalCount);

        // Five days on, more than a day is left: still nothing. Half a day later, under a day is left: renewed in
        // place, same ids, for another six and a half days.
        clock.Advance(TimeSpan.FromDays(5));
        await app.MaintainSubscriptionsAsync();
        Assert.Equal(requests, app.Graph.Tenant.RequestLog.TotalCount);
        clock.Advance(TimeSpan.FromDays(0.5));
        await app.MaintainSubscriptionsAsync();
        var renewed = app.Graph.Subscriptions.All.ToDictionary(s => s.UserId);
        Assert.All(made, s => Assert.Equal(s.Id, renewed[s.UserId].Id));
        Assert.All(renewed.Values, s => Assert.Equal(clock.GetUtcNow() + TimeSpan.FromDays(6.5), s.ExpirationDateTime));
        Assert.Equal(2, app.Graph.Tenant.RequestLog.Count("PATCH", "/subscriptions/{id}", 200));

        // Berlin opts out: their subscription goes, at Graph and here.
        using (var berlin = app.ClientFor(TestTeam.Berlin))
        {
            Assert.Equal(HttpStatusCode.OK, (await berlin.PostAsync(new Uri("/api/v1/me/opt-out", UriKind.Relative), null)).StatusCode);
        }

        await app.MaintainSubscriptionsAsync();
        Assert.Equal([TestTeam.NewYork.Id], app.Graph.Subscriptions.All.Select(s => s.UserId));
        Assert.False((await RowsAsync(app)).ContainsKey(TestTeam.Berlin.Id));

        // Graph removes New York's subscription and says so: a new one is made with a new secret.
        var removed = renewed[TestTeam.NewYork.Id];
        await app.Graph.Subscriptions.RemoveAsync(removed.Id);
        await Eventually.TrueAsync(
            () => Task.FromResult(app.Graph.Subscriptions.All.Any(s => s.UserId == TestTeam.NewYork.Id && s.Id != removed.Id)),
            TimeSpan.FromSeconds(30),
            "a new subscription after subscriptionRemoved");
        var again = app.Graph.Subscriptions.All.Single();
        Assert.NotEqual(removed.ClientState, again.ClientState);
        Assert.Equal(again.Id, (await RowsAsync(app))[TestTeam.NewYork.Id].SubscriptionId);
    }

    [Fact]
    public async Task ForgedAndReplayedNotificationsCostNoGraphRequestAndAGenuineOneRescansOnlyItsUser()
    {
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var app = await StartAsync(clock);
        await app.ApproveTeamAsync(TestTeam.TenantId, TestTeam.Manager, [TestTeam.Berlin, TestTeam.NewYork]);
        await app.MaintainSubscriptionsAsync();
        var berlin = app.Graph.Subscriptions.All.Single(s => s.UserId == TestTeam.Berlin.Id);
        using var client = app.CreateClient();
        var requests = app.Graph.Tenant.RequestLog.TotalCount;

        // Graph's validation handshake is answered with the token as plain text.
        using (var validation = await client.PostAsync(new Uri("/notifications/graph?validationToken=abc%3Cb%3E", UriKind.Relative), new StringContent("", Encoding.UTF8, "text/plain")))
        {
            Assert.Equal(HttpStatusCode.OK, validation.StatusCode);
            Assert.Equal("text/plain", validation.Content.Headers.ContentType?.MediaType);
            Assert.Equal("abc<b>", await validation.Content.ReadAsStringAsync());
        }

        // Forged: the right subscription with a wrong secret, a secret of one length shorter, an unknown subscription.
        foreach (var (subscriptionId, clientState) in new[] { (berlin.Id, "wrong"), (berlin.Id, berlin.ClientState![..^1]), (Guid.NewGuid().ToString(), berlin.ClientState) })
        {
            using var forged = await PostAsync(client, Change(subscriptionId, clientState, "forged-event", "W/\"1\""));
            Assert.Equal(HttpStatusCode.Accepted, forged.StatusCode);
        }

        using (var garbage = await client.PostAsync(new Uri("/notifications/graph", UriKind.Relative), new StringContent("{\"value\":", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        }

        await Task.Delay(Debounce * 3);
        Assert.Equal(requests, app.Graph.Tenant.RequestLog.TotalCount);
        Assert.All(await app.UsersAsync(), u => Assert.Null(u.LastScanAt));
        Assert.Equal(0, app.Services.GetRequiredService<JobStorage>().GetMonitoringApi().ScheduledCount());

        // Genuine: Berlin is rescanned (and their reflection placed), New York is not.
        var genuine = Change(berlin.Id, berlin.ClientState, "some-event", "W/\"2\"");
        using (var accepted = await PostAsync(client, genuine))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        await Eventually.TrueAsync(
            async () => (await app.UsersAsync()).Single(u => u.UserId == TestTeam.Berlin.Id).LastScanAt is not null,
            TimeSpan.FromSeconds(30),
            "Berlin's rescan");
        await app.UntilQueuesDrainAsync(TimeSpan.FromSeconds(30));
        Assert.Null((await app.UsersAsync()).Single(u => u.UserId == TestTeam.NewYork.Id).LastScanAt);
        Assert.Single(CalendarAssert.ReflectionsOf(app.Graph, TestTeam.Berlin.Id));
        Assert.Empty(CalendarAssert.ReflectionsOf(app.Graph, TestTeam.NewYork.Id));

        // Replayed: the same notification again starts nothing.
        requests = app.Graph.Tenant.RequestLog.TotalCount;
        using (var replayed = await PostAsync(client, genuine))
        {
            Assert.Equal(HttpStatusCode.Accepted, replayed.StatusCode);
        }

        await Task.Delay(Debounce * 3);
        Assert.Equal(requests, app.Graph.Tenant.RequestLog.TotalCount);
    }

    [Fact]
    public async Task ARescanThatCannotBeQueuedIsTriedAgainAtTheNextDispatch()
    {
        var clock = new FakeTimeProvider(TestTeam.Now);
        using var data = new TempDirectory();
        var seed = TestTeam.Build();
        await using var graph = await GraphSimulatorHost.StartAsync(seed, new SimulatorOptions { Port = 0, TimeProvider = clock });
        var jobs = new FlakyJobClient();
        await using var app = new BossTalkCalendarApplication(
            data.Path,
            clock,
            graph.GraphBaseUrl,
            Settings(new Dictionary<string, string?> { ["Graph:TenantId"] = seed.TenantId }),
            services: services => services.AddSingleton<IBackgroundJobClient>(provider => jobs.Over(provider.GetRequiredService<JobStorage>())));
        graph.Options.NotificationHandler = app.Server.CreateHandler();
        await app.ApproveTeamAsync(TestTeam.TenantId, TestTeam.Manager, [TestTeam.Berlin]);
        await app.MaintainSubscriptionsAsync();
        var berlin = Assert.Single(graph.Subscriptions.All);
        using var client = app.CreateClient();

        // The job store refuses the first dispatch's scan job (as an exhausted connection pool does); the user stays
        // marked and the next dispatch queues it.
        jobs.FailScans = 1;
        using (var accepted = await PostAsync(client, Change(berlin.Id, berlin.ClientState, "some-event", "W/\"1\"")))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        await Eventually.TrueAsync(
            async () => (await app.UsersAsync()).Single(u => u.UserId == TestTeam.Berlin.Id).LastScanAt is not null,
            TimeSpan.FromSeconds(30),
            "Berlin's rescan at the next dispatch");
        Assert.Equal(0, jobs.FailScans);
    }

    [Fact]
    public async Task ABlockTheUserDeletesIsRecordedAsRemovedSoonWhileOurOwnCreateCostsNoRead()
    {
        var clock = new FakeTimeProvider(TestTeam.Now);
        // Reconciliation off: it would read the block too, and this counts the reads.
        await using var app = await StartAsync(clock, new() { ["Notifications:OwnBlockCheckDelay"] = "00:00:01", ["Jobs:ReconcileCron"] = ServiceSettings.Never });
        await app.ApproveTeamAsync(TestTeam.TenantId, TestTeam.Manager, [TestTeam.Berlin]);
        await app.MaintainSubscriptionsAsync();
        var berlin = Assert.Single(app.Graph.Subscriptions.All);
        long BlockReads() => app.Graph.Tenant.RequestLog.Count("GET", "/users/{id}/events/{eventId}");

        // Berlin's reflection is placed; Graph notifies its create as created and then updated, and neither is read.
        var delivered = app.Graph.Subscriptions.Counters.Delivered;
        await app.Graph.Subscriptions.SendLifecycleAsync(berlin.Id, "missed");
        await Eventually.TrueAsync(
            async () => (await app.NudgesAsync()).Any(n => n.UserId == TestTeam.Berlin.Id && n.State == NudgeState.Placed),
            TimeSpan.FromSeconds(30),
            "Berlin's reflection");
        await Eventually.TrueAsync(
            () => Task.FromResult(app.Graph.Subscriptions.Counters.Delivered >= delivered + 3),
            TimeSpan.FromSeconds(30),
            "the lifecycle notification and the two about the new block");
        await app.UntilQueuesDrainAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, BlockReads());

        // Berlin deletes the block: Graph says so, and the nudge is removed without waiting for reconciliation.
        var nudge = (await app.NudgesAsync()).Single(n => n.UserId == TestTeam.Berlin.Id && n.State == NudgeState.Placed);
        app.Graph.Tenant.RemoveEvent(TestTeam.Berlin.Id, nudge.CreatedEventId!);
        await Eventually.TrueAsync(
            async () => (await app.NudgeAsync(nudge.Id)).State == NudgeState.Removed,
            TimeSpan.FromSeconds(30),
            "the deleted block's nudge to be removed");
        Assert.Equal(NudgeReasons.EventDeleted, (await app.NudgeAsync(nudge.Id)).Reason);
        Assert.Equal(1, BlockReads());
    }

    [Fact]
    public async Task ANotificationAboutOurNewBlockThatOvertookTheCreatesAnswerCostsNoRescan()
    {
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var app = await StartAsync(clock);
        await app.ApproveTeamAsync(TestTeam.TenantId, TestTeam.Manager, [TestTeam.Berlin]);
        await app.MaintainSubscriptionsAsync();
        var berlin = Assert.Single(app.Graph.Subscriptions.All);
        using var client = app.CreateClient();

        // Berlin's reflection is placed, and everything its own notifications set off has settled.
        await app.Graph.Subscriptions.SendLifecycleAsync(berlin.Id, "missed");
        await Eventually.TrueAsync(
            async () => (await app.NudgesAsync()).Any(n => n.UserId == TestTeam.Berlin.Id && n.State == NudgeState.Placed),
            TimeSpan.FromSeconds(30),
            "Berlin's reflection");
        await app.UntilQueuesDrainAsync(TimeSpan.FromSeconds(30));
        var block = (await app.NudgesAsync()).Single(n => n.UserId == TestTeam.Berlin.Id && n.State == NudgeState.Placed);
        var blockId = block.CreatedEventId!;
        long Scans() => app.Graph.Tenant.RequestLog.Count("GET", "/users/{id}/calendarView", 200);
        var scans = Scans();

        // Graph's notification about the new block comes before the create's answer was recorded, so the endpoint
        // cannot tell it is ours; by the dispatch the id is recorded, and the rescan is dropped.
        await RecordCreatedEventAsync(app, block.Id, null);
        using (var early = await PostAsync(client, Change(berlin.Id, berlin.ClientState, blockId, "W/\"early\"")))
        {
            Assert.Equal(HttpStatusCode.Accepted, early.StatusCode);
        }

        await RecordCreatedEventAsync(app, block.Id, blockId);
        await app.UntilQueuesDrainAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(scans, Scans());

        // The same, but another event of Berlin's changed within the debounce too: that one is rescanned.
        await RecordCreatedEventAsync(app, block.Id, null);
        using (var early = await PostAsync(client, Change(berlin.Id, berlin.ClientState, blockId, "W/\"early-2\"")))
        using (var other = await PostAsync(client, Change(berlin.Id, berlin.ClientState, "someone-elses-event", "W/\"1\"")))
        {
            Assert.Equal(HttpStatusCode.Accepted, early.StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
        }

        await RecordCreatedEventAsync(app, block.Id, blockId);
        await Eventually.TrueAsync(() => Task.FromResult(Scans() == scans + 1), TimeSpan.FromSeconds(30), "Berlin's rescan for the other event");
        await app.UntilQueuesDrainAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(scans + 1, Scans());
    }

    [Fact]
    public async Task AMissedNotificationRescansThatUser()
    {
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var app = await StartAsync(clock);
        await app.ApproveTeamAsync(TestTeam.TenantId, TestTeam.Manager, [TestTeam.Berlin, TestTeam.NewYork]);
        await app.MaintainSubscriptionsAsync();

        await app.Graph.Subscriptions.SendLifecycleAsync(app.Graph.Subscriptions.All.Single(s => s.UserId == TestTeam.NewYork.Id).Id, "missed");

        await Eventually.TrueAsync(
            async () => (await app.NudgesAsync()).Any(n => n.UserId == TestTeam.NewYork.Id && n.State == NudgeState.Placed),
            TimeSpan.FromSeconds(30),
            "New York's rescan to place the reflection it missed");
        Assert.Null((await app.UsersAsync()).Single(u => u.UserId == TestTeam.Berlin.Id).LastScanAt);
    }

    [Fact]
    public async Task AOneOnOneAheadIsPlannedForItsEndAndFollowedWhenItMovesOrIsCancelled()
    {
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var app = await StartAsync(clock);
        await app.ApproveTeamAsync(TestTeam.TenantId, TestTeam.Manager, [TestTeam.NotEnded]);
        await app.MaintainSubscriptionsAsync();
        await app.RunSweepAsync();

        // Ends at 14:15: a job scheduled for then (the block itself goes after the cool-down).
        var planned = Assert.Single(await app.NudgesAsync());
        Assert.Equal(NudgeState.Planned, planned.State);
        AssertScheduledFor(app, planned.HangfireJobId!, TestTeam.At(14, 15) - clock.GetUtcNow());

        // The organizer moves it to 14:30–15:00: the attendee's copy changes, Graph notifies, the nudge follows.
        var copy = app.Graph.Tenant.EventsOf(TestTeam.NotEnded.Id).Single(e => e.Subject == TestTeam.OneOnOneSubject(TestTeam.NotEnded));
        app.Graph.Tenant.MoveEvent(TestTeam.NotEnded.Id, copy.Id, TestTeam.At(14, 30), TestTeam.At(15, 0));
        // The scan writes the new times, then deletes the job it replaced: wait for both.
        await Eventually.TrueAsync(
            async () => (await app.NudgeAsync(planned.Id)).MeetingEnd == TestTeam.At(15, 0) && app.JobState(planned.HangfireJobId!) == DeletedState.StateName,
            TimeSpan.FromSeconds(30),
            "the nudge to follow the moved meeting, and its first job to be deleted");
        var followed = await app.NudgeAsync(planned.Id);
        Assert.Equal(TestTeam.At(14, 30), followed.OccurrenceStart);
        Assert.NotEqual(planned.HangfireJobId, followed.HangfireJobId);
        AssertScheduledFor(app, followed.HangfireJobId!, TestTeam.At(15, 0) - clock.GetUtcNow());

        // The organizer cancels it: withdrawn, its job gone, nothing on the calendar.
        var organizerCopy = app.Graph.Tenant.EventsOf(TestTeam.Manager.Id).Single(e => e.Subject == TestTeam.OneOnOneSubject(TestTeam.NotEnded));
        app.Graph.Tenant.CancelEvent(TestTeam.Manager.Id, organizerCopy.Id);
        await Eventually.TrueAsync(
            async () => (await app.NudgeAsync(planned.Id)).State == NudgeState.Cancelled && app.JobState(followed.HangfireJobId!) == DeletedState.StateName,
            TimeSpan.FromSeconds(30),
            "the nudge to be withdrawn and its job deleted");
        Assert.StartsWith("not-one-on-one", (await app.NudgeAsync(planned.Id)).Reason, StringComparison.Ordinal);
        Assert.Empty(CalendarAssert.ReflectionsOf(app.Graph, TestTeam.NotEnded.Id));
    }

    [Fact]
    public async Task AfterAnHourDownEveryDueReflectionIsPlacedOnceOnRestart()
    {
        var clock = new FakeTimeProvider(TestTeam.Now);
        using var data = new TempDirectory();
        var seed = TestTeam.Build();
        await using var graph = await GraphSimulatorHost.StartAsync(seed, new SimulatorOptions { Port = 0, TimeProvider = clock });
        var settings = Settings(new Dictionary<string, string?> { ["Graph:TenantId"] = seed.TenantId });

        await using (var before = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, settings))
        {
            graph.Options.NotificationHandler = before.Server.CreateHandler();
            await before.ApproveTeamAsync(TestTeam.TenantId, TestTeam.Manager, [TestTeam.Berlin, TestTeam.NotEnded]);
            await before.MaintainSubscriptionsAsync();
            await Eventually.TrueAsync(() => Task.FromResult(graph.Subscriptions.All.Count == 2), TimeSpan.FromSeconds(30), "both subscriptions");
            await before.RunSweepAsync();
            Assert.Single(CalendarAssert.ReflectionsOf(graph, TestTeam.Berlin.Id));
            Assert.Equal(NudgeState.Planned, (await before.NudgesAsync()).Single(n => n.UserId == TestTeam.NotEnded.Id).State);
        }

        // Down: the planned one-on-one ends, and a new one is held and ends; Graph's notification of it finds nobody and
        // is tried again (as Graph does for up to 4 hours).
        graph.Options.NotificationHandler = new RefusingHandler();
        var late = TestTeam.Builder().Meeting("late-1on1", TestTeam.Manager, TestTeam.At(14, 20), TestTeam.At(14, 40), [TestTeam.Berlin]);
        graph.Tenant.AddEvent(TestTeam.Manager.Id, late);
        clock.Advance(TimeSpan.FromHours(1));

        await using var after = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, settings);
        graph.Options.NotificationHandler = after.Server.CreateHandler();
        await Eventually.TrueAsync(
            () => Task.FromResult(CalendarAssert.ReflectionsOf(graph, TestTeam.Berlin.Id).Count == 2 && CalendarAssert.ReflectionsOf(graph, TestTeam.NotEnded.Id).Count == 1),
            TimeSpan.FromSeconds(60),
            "both reflections due while the service was down");
        await Task.Delay(Debounce * 3);
        Assert.Equal(2, CalendarAssert.ReflectionsOf(graph, TestTeam.Berlin.Id).Count);
        Assert.Single(CalendarAssert.ReflectionsOf(graph, TestTeam.NotEnded.Id));
        Assert.All(await after.NudgesAsync(), n => Assert.Equal(NudgeState.Placed, n.State));
    }

    private static async Task<BossTalkCalendarApplication> StartAsync(FakeTimeProvider clock, Dictionary<string, string?>? settings = null)
    {
        var app = await BossTalkCalendarApplication.StartAsync(TestTeam.Build(), clock, Settings(settings ?? []));
        // Graph reaches the service's public URL; here the test server stands behind it.
        app.Graph.Options.NotificationHandler = app.Server.CreateHandler();
        return app;
    }

    private static Dictionary<string, string?> Settings(Dictionary<string, string?> extra)
    {
        var settings = new Dictionary<string, string?>(extra)
        {
            ["Service:PublicBaseUrl"] = "https://bosstalk.test",
            ["Notifications:Debounce"] = Debounce.ToString("c", CultureInfo.InvariantCulture),
            // Every change read at once: these tests are about delivery; FoldedRescanTests is about when a change is read.
            ["Notifications:FoldWindow"] = "00:00:00",
            ["Notifications:SafetyNetCron"] = "0 0 31 2 *",
            ["Notifications:MaintenanceCron"] = "0 0 31 2 *",
        };
        return settings;
    }

    /// <summary>Hangfire's client, refusing to create the next <see cref="FailScans"/> scan jobs.</summary>
    private sealed class FlakyJobClient : IBackgroundJobClient
    {
        private BackgroundJobClient? _inner;

        public int FailScans { get; set; }

        public FlakyJobClient Over(JobStorage storage)
        {
            _inner = new BackgroundJobClient(storage);
            return this;
        }

        public string Create(Hangfire.Common.Job job, IState state)
        {
            if (job.Type == typeof(BossTalkCalendar.Api.Jobs.ScanUsersJob) && FailScans > 0)
            {
                FailScans--;
                throw new InvalidOperationException("The connection pool has been exhausted.");
            }

            return _inner!.Create(job, state);
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => _inner!.ChangeState(jobId, state, expectedState);
    }

    /// <summary>Nobody answers at the public URL: the service is down.</summary>
    private sealed class RefusingHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromException<HttpResponseMessage>(new HttpRequestException("Connection refused"));
    }

    private static async Task RecordCreatedEventAsync(BossTalkCalendarApplication app, Guid nudgeId, string? eventId)
    {
        await using var db = await app.CreateDbContextAsync();
        await Rows.RecordCreatedEventAsync(db, nudgeId, eventId);
    }


    private static async Task<Dictionary<string, CalendarSubscription>> RowsAsync(BossTalkCalendarApplication app)
    {
        await using var db = await app.CreateDbContextAsync();
        return await db.CalendarSubscriptions.AsNoTracking().ToDictionaryAsync(c => c.UserId);
    }

    /// <summary>A change notification's body as Graph posts it, for one event of one subscription.</summary>
    internal static JsonObject Change(string subscriptionId, string? clientState, string eventId, string etag) => new()
    {
        ["value"] = new JsonArray(new JsonObject
        {
            ["subscriptionId"] = subscriptionId,
            ["clientState"] = clientState,
            ["changeType"] = "updated",
            ["resource"] = $"Users/x/Events/{eventId}",
            ["resourceData"] = new JsonObject { ["@odata.type"] = "#Microsoft.Graph.Event", ["id"] = eventId, ["@odata.etag"] = etag },
        }),
    };

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, JsonObject body) =>
        client.PostAsync(new Uri("/notifications/graph", UriKind.Relative), new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

    /// <summary>The job is scheduled (Hangfire's clock is the wall clock) the given time from now, within a few seconds.</summary>
    private static void AssertScheduledFor(BossTalkCalendarApplication app, string jobId, TimeSpan fromNow)
    {
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        var state = connection.GetStateData(jobId);
        Assert.Equal(ScheduledState.StateName, state.Name);
        var enqueueAt = Hangfire.Common.JobHelper.DeserializeDateTime(state.Data["EnqueueAt"]);
#pragma warning disable RS0030 // Hangfire schedules on the wall clock; this compares with it
        var actual = enqueueAt - DateTime.UtcNow;
#pragma warning restore RS0030
        Assert.InRange(actual, fromNow - TimeSpan.FromSeconds(30), fromNow + TimeSpan.FromSeconds(5));
    }
}

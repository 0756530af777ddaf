using System.Net;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Outcomes;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Tests.Endpoints;
using BossTalkCalendar.Core.Graph;
using BossTalkCalendar.Core.Nudges;
using BossTalkCalendar.Core.Texts;
using BossTalkCalendar.GraphSimulator;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BossTalkCalendar.Api.Tests.Outcomes;

/// <summary>
/// "How did it go?" over the real service and the simulator: Fine takes back exactly the block that has not started;
/// Rough places one prep block before the next one-on-one, which follows that meeting when it moves and goes when it
/// is cancelled; "only when I flag it" places nothing until the user says rough; the answer is erased once acted on.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class OutcomeTests
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    /// <summary>Berlin's one-on-one today, 11:50–12:20 UTC, and the next one a week later.</summary>
    private static readonly DateTimeOffset NextStart = TestTeam.At(11, 50) + Week;

    [Fact]
    public async Task FineRemovesExactlyTheFutureReflectionBlockAndKeepsTheScanFromPlacingAnother()
    {
        await using var app = await StartAsync(TestTeam.Build());
        await app.ApproveTeamAsync(TestTeam.TenantId, TestTeam.Manager, [TestTeam.Berlin, TestTeam.NewYork]);
        await app.RunSweepAsync();
        var before = EventIds(app.Graph, TestTeam.Berlin.Id);
        var reflection = Assert.Single(CalendarAssert.ReflectionsOf(app.Graph, TestTeam.Berlin.Id));
        Assert.True(reflection.Start > app.Clock.GetUtcNow(), "The test needs a block that has not started.");
        var newYorkBefore = EventIds(app.Graph, TestTeam.NewYork.Id);

        using var client = app.ClientFor(TestTeam.Berlin);
        var answer = await PutOutcomeAsync(client, OneOnOneOf(app.Graph, TestTeam.Berlin, TestTeam.At(11, 50)), "fine");

        Assert.Equal("fine", answer.GetProperty("outcome").GetString());
        var changed = Assert.Single(answer.GetProperty("changed").EnumerateArray());
        Assert.Equal(("reflection", "dismissed"), (changed.GetProperty("kind").GetString(), changed.GetProperty("state").GetString()));
        before.Remove(reflection.Id);
        Assert.Equal(before, EventIds(app.Graph, TestTeam.Berlin.Id));
        Assert.Equal(newYorkBefore, EventIds(app.Graph, TestTeam.NewYork.Id));

        // The next sweep sees the dismissed nudge and plans nothing more for that meeting.
        await app.RunSweepAsync();
        Assert.Empty(CalendarAssert.ReflectionsOf(app.Graph, TestTeam.Berlin.Id));
        var nudge = Assert.Single(await app.NudgesAsync(), n => n.UserId == TestTeam.Berlin.Id);
        Assert.Equal((NudgeState.Dismissed, NudgeReasons.WentFine), (nudge.State, nudge.Reason));
    }

    [Fact]
    public async Task RoughPlacesOnePrepBlockBeforeTheNextOneOnOneThatFollowsItWhenItMovesAndGoesWhenItIsCancelled()
    {
        var tenant = TestTeam.Builder().OneOnOne(TestTeam.Manager, TestTeam.Berlin, NextStart, NextStart + TimeSpan.FromMinutes(30));
        await using var app = await StartAsync(tenant.Build());
        await app.ApproveTeamAsync(TestTeam.TenantId, TestTeam.Manager, [TestTeam.Berlin]);
        await app.RunSweepAsync();
        var reflection = Assert.Single(CalendarAssert.ReflectionsOf(app.Graph, TestTeam.Berlin.Id));

        using var client = app.ClientFor(TestTeam.Berlin);
        var answer = await PutOutcomeAsync(client, OneOnOneOf(app.Graph, TestTeam.Berlin, TestTeam.At(11, 50)), "rough");
        var prepDto = Assert.Single(answer.GetProperty("changed").EnumerateArray());
        Assert.Equal("prep", prepDto.GetProperty("kind").GetString());
        var prepId = prepDto.GetProperty("id").GetGuid();
        var prep = await app.SettledAsync(prepId);

        Assert.Equal(NudgeState.Placed, prep.State);
        var block = Assert.Single(PrepBlocks(app.Graph, TestTeam.Berlin.Id));
        Assert.Equal(prep.CreatedEventId, block.Id);
        AssertBefore(block, NextStart);
        Assert.Contains(WebLinkInBody(reflection), block.Body, StringComparison.Ordinal);
        Assert.Equal("private", block.Sensitivity);
        Assert.Single(CalendarAssert.ReflectionsOf(app.Graph, TestTeam.Berlin.Id), e => e.Id == reflection.Id);
        await using (var db = await app.CreateDbContextAsync())
        {
            Assert.Empty(await db.MeetingOutcomes.ToListAsync());
        }

        // Asking again changes nothing: one prep block.
        var again = await PutOutcomeAsync(client, OneOnOneOf(app.Graph, TestTeam.Berlin, TestTeam.At(11, 50)), "rough");
        Assert.Empty(again.GetProperty("changed").EnumerateArray());
        Assert.Single(PrepBlocks(app.Graph, TestTeam.Berlin.Id));

        // The next one-on-one moves a day later: reconciliation takes the block back and places it before the new time.
        var next = OneOnOneOf(app.Graph, TestTeam.Berlin, NextStart);
        var moved = NextStart + TimeSpan.FromDays(1);
        app.Graph.Tenant.MoveEvent(TestTeam.Berlin.Id, next, moved, moved + TimeSpan.FromMinutes(30));
        await app.RunAsync<ReconcileJob>(job => job.RunAsync(CancellationToken.None));
        var replanned = await app.SettledAsync(prepId);
        Assert.True(replanned.State == NudgeState.Placed, $"The prep block ended {replanned.State} ({replanned.Reason}) after the meeting moved.");
        var followed = Assert.Single(PrepBlocks(app.Graph, TestTeam.Berlin.Id));
        Assert.NotEqual(block.Id, followed.Id);
        AssertBefore(followed, moved);
        Assert.True(followed.Start >= NextStart, "It moved with the meeting.");
        Assert.Equal((NudgeState.Placed, followed.Id), ((await app.NudgeAsync(prepId)).State, (await app.NudgeAsync(prepId)).CreatedEventId));

        // The manager cancels it: the block goes, and the nudge says why.
        // (The simulator moved only Berlin's copy; cancelling reaches every copy of the meeting.)
        var managerCopy = Assert.Single(app.Graph.Tenant.EventsOf(TestTeam.Manager.Id), e => e.Start == NextStart);
        app.Graph.Tenant.CancelEvent(TestTeam.Manager.Id, managerCopy.Id);
        await app.RunAsync<ReconcileJob>(job => job.RunAsync(CancellationToken.None));
        Assert.Empty(PrepBlocks(app.Graph, TestTeam.Berlin.Id));
        var gone = await app.NudgeAsync(prepId);
        Assert.Equal((NudgeState.Removed, NudgeReasons.NextMeetingGone), (gone.State, gone.Reason));
    }

    [Fact]
    public async Task WhenIFlagPlacesNothingUntilTheUserSaysRoughThenTheReflectionComesAtOnce()
    {
        await using var app = await StartAsync(TestTeam.Build());
        using var client = app.ClientFor(TestTeam.Berlin);
        var preferences = await ApiAssert.JsonAsync(
            await client.PutAsync(new Uri("/api/v1/me/preferences", UriKind.Relative), ApiAssert.Body(new { mode = "whenIFlag", relationship = "formal" })),
            HttpStatusCode.OK);
        Assert.Equal("whenIFlag", preferences.GetProperty("mode").GetString());
        await app.ApproveTeamAsync(TestTeam.TenantId, TestTeam.Manager, [TestTeam.Berlin, TestTeam.NewYork]);

        // New York is placed as always; Berlin is not even scanned.
        var since = app.Clock.GetUtcNow();
        app.Services.GetRequiredService<IRecurringJobManager>().Trigger(SweepJob.RecurringJobId);
        await Eventually.TrueAsync(
            async () => (await app.UsersAsync()).Single(u => u.UserId == TestTeam.NewYork.Id).LastScanAt >= since
                && (await app.NudgesAsync()).Count(n => n.State == NudgeState.Placed) == 1,
            TimeSpan.FromSeconds(60),
            "New York's reflection");
        await app.UntilQueuesDrainAsync(TimeSpan.FromSeconds(60));
        Assert.Empty(CalendarAssert.ReflectionsOf(app.Graph, TestTeam.Berlin.Id));
        Assert.DoesNotContain(await app.NudgesAsync(), n => n.UserId == TestTeam.Berlin.Id);

        // Rough: the cool-down has passed (the meeting ended 12:20, it is 14:00), so the reflection is placed now; the
        // formal relationship suggests a formal follow-up; there is no next one-on-one to prepare for.
        var answer = await PutOutcomeAsync(client, OneOnOneOf(app.Graph, TestTeam.Berlin, TestTeam.At(11, 50)), "rough");
        Assert.Equal("formal", answer.GetProperty("suggestedTone").GetString());
        var ids = answer.GetProperty("changed").EnumerateArray().Select(n => n.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(2, ids.Count);
        var settled = new List<Nudge>();
        foreach (var id in ids)
        {
            settled.Add(await app.SettledAsync(id));
        }

        var reflection = Assert.Single(settled, n => n.Kind == NudgeKind.Reflection);
        Assert.Equal(NudgeState.Placed, reflection.State);
        Assert.Single(CalendarAssert.ReflectionsOf(app.Graph, TestTeam.Berlin.Id));
        var prep = Assert.Single(settled, n => n.Kind == NudgeKind.Prep);
        Assert.Equal((NudgeState.NoSlot, NudgeReasons.NoNextOneOnOne), (prep.State, prep.Reason));
    }

    [Fact]
    public async Task RoughBeforeTheReflectionIsPlacedWaitsForItSoThePrepBlockAlwaysLinksToIt()
    {
        // Berlin places reflections only when they flag a one-on-one, so there is none when they say rough.
        var tenant = TestTeam.Builder().OneOnOne(TestTeam.Manager, TestTeam.Berlin, NextStart, NextStart + TimeSpan.FromMinutes(30));
        await using var app = await StartAsync(tenant.Build());
        using var client = app.ClientFor(TestTeam.Berlin);
        using (var mode = await client.PutAsync(new Uri("/api/v1/me/preferences", UriKind.Relative), ApiAssert.Body(new { mode = "whenIFlag" })))
        {
            Assert.Equal(HttpStatusCode.OK, mode.StatusCode);
        }

        await app.ApproveTeamAsync(TestTeam.TenantId, TestTeam.Manager, [TestTeam.Berlin]);

        // A reflection for the meeting is planned and its placement held back (as when it waits out a Graph outage):
        // the order in which the two jobs run is not left to chance.
        var eventId = OneOnOneOf(app.Graph, TestTeam.Berlin, TestTeam.At(11, 50));
        await using var scope = app.Services.CreateAsyncScope();
        var meeting = await scope.ServiceProvider.GetRequiredService<ICalendarGateway>().GetEventAsync(TestTeam.Berlin.Id, eventId, CancellationToken.None);
        var store = scope.ServiceProvider.GetRequiredService<NudgeStore>();
        var reflection = Assert.Single(await store.PlanAsync([store.New(TestTeam.TenantId, TestTeam.Berlin.Id, meeting!, NudgeKind.Reflection)], CancellationToken.None));
        var heldBack = scope.ServiceProvider.GetRequiredService<INudgeScheduler>().Schedule(reflection.Id, TimeSpan.FromHours(1));
        await store.AttachJobAsync([reflection.Id], heldBack, CancellationToken.None);

        var answer = await PutOutcomeAsync(client, eventId, "rough");
        var prepId = Assert.Single(answer.GetProperty("changed").EnumerateArray(), n => n.GetProperty("kind").GetString() == "prep").GetProperty("id").GetGuid();
        var queued = (await app.NudgeAsync(prepId)).HangfireJobId;

        // The prep's placement ran and chose to wait: still planned, a new job, nothing on the calendar.
        await Eventually.TrueAsync(async () => (await app.NudgeAsync(prepId)).HangfireJobId != queued, TimeSpan.FromSeconds(30), "the prep placement to run once");
        Assert.Equal(NudgeState.Planned, (await app.NudgeAsync(prepId)).State);
        Assert.Empty(PrepBlocks(app.Graph, TestTeam.Berlin.Id));

        // The reflection goes on the calendar; the prep block follows within its wait and links to it.
        await app.RunAsync<PlaceNudgesJob>(job => job.RunAsync([reflection.Id], CancellationToken.None));
        var placedReflection = Assert.Single(CalendarAssert.ReflectionsOf(app.Graph, TestTeam.Berlin.Id));
        var prep = await app.SettledAsync(prepId);
        Assert.Equal(NudgeState.Placed, prep.State);
        var block = Assert.Single(PrepBlocks(app.Graph, TestTeam.Berlin.Id));
        Assert.Contains(WebLinkInBody(placedReflection), block.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APlacedPrepBlockAndItsErasedAnswerCommitTogetherOrNotAtAll()
    {
        await using var app = await StartAsync(TestTeam.Build());
        await using var scope = app.Services.CreateAsyncScope();
        var eventId = OneOnOneOf(app.Graph, TestTeam.Berlin, TestTeam.At(11, 50));
        var meeting = (await scope.ServiceProvider.GetRequiredService<ICalendarGateway>().GetEventAsync(TestTeam.Berlin.Id, eventId, CancellationToken.None))!;
        var store = scope.ServiceProvider.GetRequiredService<NudgeStore>();
        await scope.ServiceProvider.GetRequiredService<MeetingOutcomes>()
            .RecordAsync(TestTeam.TenantId, TestTeam.Berlin.Id, meeting.ICalUId, meeting.Start, TalkOutcome.Rough, CancellationToken.None);
        var prep = Assert.Single(await store.PlanAsync([store.New(TestTeam.TenantId, TestTeam.Berlin.Id, meeting, NudgeKind.Prep)], CancellationToken.None));
        var placed = PlacementOutcome.Placed("AAMkAGprep=", new(TestTeam.At(15, 0), TestTeam.At(15, 15)), "Europe/Berlin");
        Func<BossTalkDbContext, CancellationToken, Task> erase = (db, ct) =>
            MeetingOutcomes.EraseAsync(db, TestTeam.TenantId, TestTeam.Berlin.Id, meeting.ICalUId, meeting.Start, ct);

        // The erasure fails after the settle's update: neither is kept.
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.SettleAsync(
            prep.Id, placed, null, async (db, ct) => { await erase(db, ct); throw new InvalidOperationException("lost"); }, CancellationToken.None));
        Assert.Equal(NudgeState.Planned, (await app.NudgeAsync(prep.Id)).State);
        await using (var db = await app.CreateDbContextAsync())
        {
            Assert.Single(await db.MeetingOutcomes.ToListAsync());
        }

        // Both, together.
        Assert.True(await store.SettleAsync(prep.Id, placed, null, erase, CancellationToken.None));
        Assert.Equal(NudgeState.Placed, (await app.NudgeAsync(prep.Id)).State);
        await using (var db = await app.CreateDbContextAsync())
        {
            Assert.Empty(await db.MeetingOutcomes.ToListAsync());
        }

        // A settle that loses (the nudge is no longer planned) erases nothing either.
        await scope.ServiceProvider.GetRequiredService<MeetingOutcomes>()
            .RecordAsync(TestTeam.TenantId, TestTeam.Berlin.Id, meeting.ICalUId, meeting.Start, TalkOutcome.Rough, CancellationToken.None);
        Assert.False(await store.SettleAsync(prep.Id, placed, null, erase, CancellationToken.None));
        await using (var db = await app.CreateDbContextAsync())
        {
            Assert.Single(await db.MeetingOutcomes.ToListAsync());
        }
    }

    [Fact]
    public async Task APlacementJobSharedByABatchIsDeletedOnlyWhenNoPlannedNudgeWaitsOnItAnyMore()
    {
        await using var app = await StartAsync(TestTeam.Build());
        await using var scope = app.Services.CreateAsyncScope();
        var graph = scope.ServiceProvider.GetRequiredService<ICalendarGateway>();
        var store = scope.ServiceProvider.GetRequiredService<NudgeStore>();
        var scheduler = scope.ServiceProvider.GetRequiredService<INudgeScheduler>();
        var berlin = (await graph.GetEventAsync(TestTeam.Berlin.Id, OneOnOneOf(app.Graph, TestTeam.Berlin, TestTeam.At(11, 50)), CancellationToken.None))!;
        var newYork = (await graph.GetEventAsync(TestTeam.NewYork.Id, OneOnOneOf(app.Graph, TestTeam.NewYork, TestTeam.At(12, 30)), CancellationToken.None))!;
        var nudges = await store.PlanAsync(
            [store.New(TestTeam.TenantId, TestTeam.Berlin.Id, berlin, NudgeKind.Reflection), store.New(TestTeam.TenantId, TestTeam.NewYork.Id, newYork, NudgeKind.Reflection)],
            CancellationToken.None);
        // One job for the batch, held back so that it stays where the test can see it.
        var batchJob = scheduler.Schedule(nudges[0].Id, TimeSpan.FromHours(1));
        await store.AttachJobAsync([.. nudges.Select(n => n.Id)], batchJob, CancellationToken.None);
        string? State()
        {
            using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
            return connection.GetJobData(batchJob)?.State;
        }

        // Berlin's nudge moves on (dismissed): New York's still waits on the job, so it stays.
        Assert.True(await store.DismissAsync(nudges[0].Id, NudgeState.Planned, CancellationToken.None));
        await scheduler.DeleteUnusedAsync([batchJob], CancellationToken.None);
        Assert.Equal("Scheduled", State());

        // The last one moves on: now it goes.
        Assert.True(await store.DismissAsync(nudges[1].Id, NudgeState.Planned, CancellationToken.None));
        await scheduler.DeleteUnusedAsync([batchJob], CancellationToken.None);
        Assert.Equal("Deleted", State());
    }

    [Fact]
    public async Task ABadAnswerOrAMeetingNotOverYetChangesNothing()
    {
        await using var app = await StartAsync(TestTeam.Build());
        await app.ApproveTeamAsync(TestTeam.TenantId, TestTeam.Manager, [TestTeam.Berlin, TestTeam.NotEnded]);
        using var berlin = app.ClientFor(TestTeam.Berlin);
        var meeting = OneOnOneOf(app.Graph, TestTeam.Berlin, TestTeam.At(11, 50));

        foreach (var body in new object[] { new { outcome = "great" }, new { outcome = (string?)null }, new { result = "fine" } })
        {
            using var response = await berlin.PutAsync(Outcome(meeting), ApiAssert.Body(body));
            await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        }

        using var notEnded = app.ClientFor(TestTeam.NotEnded);
        using (var early = await notEnded.PutAsync(Outcome(OneOnOneOf(app.Graph, TestTeam.NotEnded, TestTeam.At(13, 45))), ApiAssert.Body(new { outcome = "rough" })))
        {
            await ApiAssert.ProblemAsync(early, HttpStatusCode.Conflict);
        }

        using (var missing = await berlin.PutAsync(Outcome("AAMkAGI2TG93AAA="), ApiAssert.Body(new { outcome = "fine" })))
        {
            await ApiAssert.ProblemAsync(missing, HttpStatusCode.NotFound);
        }

        Assert.Empty(await app.NudgesAsync());
        await using var db = await app.CreateDbContextAsync();
        Assert.Empty(await db.MeetingOutcomes.ToListAsync());
    }

    private static Task<BossTalkCalendarApplication> StartAsync(TenantSeed seed) =>
        BossTalkCalendarApplication.StartAsync(seed, new FakeTimeProvider(TestTeam.Now), new Dictionary<string, string?> { ["Jobs:PollInterval"] = "00:00:00.25" });

    private static async Task<System.Text.Json.JsonElement> PutOutcomeAsync(HttpClient client, string eventId, string outcome)
    {
        using var response = await client.PutAsync(Outcome(eventId), ApiAssert.Body(new { outcome }));
        return await ApiAssert.JsonAsync(response, HttpStatusCode.OK);
    }

    private static Uri Outcome(string eventId) => new($"/api/v1/meetings/{Uri.EscapeDataString(eventId)}/outcome", UriKind.Relative);

    /// <summary>The member's own copy of the one-on-one with the manager that starts at <paramref name="start"/>.</summary>
    private static string OneOnOneOf(GraphSimulatorHost graph, Member member, DateTimeOffset start) =>
        Assert.Single(graph.Tenant.EventsOf(member.Id), e => !e.IsOrganizer && e.Start == start).Id;

    private static HashSet<string> EventIds(GraphSimulatorHost graph, string userId) =>
        graph.Tenant.EventsOf(userId).Where(e => !e.IsCancelled).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);

    private static List<SimEvent> PrepBlocks(GraphSimulatorHost graph, string userId) =>
        [.. graph.Tenant.EventsOf(userId).Where(e => !e.IsCancelled && e.Subject == PrepText.Subject)];

    /// <summary>The reflection's link for today's Outlook on the web (docs/graph.md, "webLink"), as it appears in the prep block's body.</summary>
    private static string WebLinkInBody(SimEvent reflection) =>
        "href=\"" + System.Net.WebUtility.HtmlEncode("https://outlook.office365.com/calendar/item/" + Uri.EscapeDataString(reflection.Id)) + "\"";

    /// <summary>Ends at least 30 minutes before the meeting, starts no earlier than the previous working day (Berlin, Monday–Friday).</summary>
    private static void AssertBefore(SimEvent block, DateTimeOffset meetingStart)
    {
        Assert.True(block.End <= meetingStart - TimeSpan.FromMinutes(30), $"Prep {block.Start:O}–{block.End:O} ends too late for {meetingStart:O}.");
        Assert.True(meetingStart - block.Start <= TimeSpan.FromDays(4), $"Prep {block.Start:O} is too early for {meetingStart:O}.");
        Assert.Equal(TimeSpan.FromMinutes(15), block.End - block.Start);
    }
}

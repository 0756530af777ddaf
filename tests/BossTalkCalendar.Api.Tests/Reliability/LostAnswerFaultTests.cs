using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Rollout;
using BossTalkCalendar.GraphSimulator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace BossTalkCalendar.Api.Tests.Reliability;

/// <summary>
/// Graph as it fails in the field (docs/graph.md): 503s, HTML 502 bodies, and answers lost after the write (the
/// event exists, the service hears 504), with latency on every request. Users have several due one-on-ones, so a
/// retried placement that re-read its calendar would see its own block as busy and move — which real Graph refuses
/// with ErrorDuplicateTransactionId. The judge is the simulator's calendars and the app database together.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class LostAnswerFaultTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(StorageOptions.SqliteProvider)]
    [InlineData(StorageOptions.PostgreSqlProvider)]
    public async Task WithLostAnswersAndHtmlErrorsEveryDueReflectionIsPlacedOnceAndEveryRecordMatchesTheCalendar(string provider)
    {
        using var data = new TempDirectory();
        await using var storage = await TestStorage.CreateAsync(provider);
        var clock = new FakeTimeProvider(TestTeam.Now);
        var tenant = RandomTenant.Build(new Random(2026), TestTeam.Now, LongRun.Pick(100, 400), minOneOnOnes: 1, maxOneOnOnes: 3);
        await using var graph = await GraphSimulatorHost.StartAsync(tenant.Seed, new SimulatorOptions { Port = 0, TimeProvider = clock, RandomSeed = 11 });
        var settings = storage.With(new Dictionary<string, string?>
        {
            ["Jobs:MaxAttempts"] = "40",
            // Faults without Retry-After back off from here, doubling: 15 s (the default) would make a nudge unlucky
            // five times in a row wait eight minutes, and this test is about correctness, not patience.
            ["Jobs:RetryDelay"] = "00:00:01",
            ["Jobs:WorkerCount"] = "4",
            ["Jobs:PollInterval"] = "00:00:00.25",
        });
        await using var app = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, settings);
        await app.Services.GetRequiredService<TeamRollout>()
            .ApproveAsync(TestTeam.TenantId, tenant.ManagerId, tenant.ManagerId, [.. tenant.Members.Select(m => m.Member.Id)], CancellationToken.None);

        graph.Options.FailureRate = 0.2;
        graph.Options.HtmlErrorRate = 0.05;
        graph.Options.LostResponseRate = 0.15;
        graph.Options.AddedLatency = TimeSpan.FromMilliseconds(50);
        // Generous: the whole suite shares two cores.
        await app.RunSweepAsync(TimeSpan.FromSeconds(LongRun.Pick(600, 900)));
        await app.UntilQueuesDrainAsync(TimeSpan.FromSeconds(120));
        graph.Options.FailureRate = 0;
        graph.Options.HtmlErrorRate = 0;
        graph.Options.LostResponseRate = 0;

        var log = graph.Tenant.RequestLog;
        var blocks = CalendarAssert.EachDueReflectionOnceOverlappingNothing(graph, tenant);
        output.WriteLine(
            $"{provider}: {tenant.Members.Count} users, {blocks} blocks placed exactly once, none overlapping; Graph answered "
            + $"{log.CountStatus(503)} × 503, {log.CountStatus(502)} × 502, lost {log.LostResponseCount} answers after the write, "
            + $"{log.TotalCount} requests in all.");
        Assert.True(log.LostResponseCount > 0, "The simulator should have lost answers.");
        Assert.True(log.CountStatus(502) > 0, "The simulator should have answered HTML 502s.");

        // The records match the calendars both ways: every nudge placed, on an event that exists; every event of
        // ours is some placed nudge's; no failed nudge anywhere (so none whose event exists).
        await using var db = await app.CreateDbContextAsync();
        var nudges = await db.Nudges.AsNoTracking().ToListAsync();
        Assert.Equal(blocks, nudges.Count);
        Assert.All(nudges, n => Assert.True(n.State == NudgeState.Placed, $"Nudge {n.Id} ended {n.State} {n.Reason} after {n.Attempts} attempts."));
        var ours = tenant.Members.SelectMany(m => CalendarAssert.ReflectionsOf(graph, m.Member.Id)).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(ours, nudges.Select(n => n.CreatedEventId!).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>
    /// An invitation carries nothing of ours, so after a lost answer it is found by the slot recorded before the create
    /// and its one invitee: the manager gets one invitation, not two.
    /// </summary>
    [Fact]
    public async Task AnInvitationWhoseAnswerWasLostIsFoundByItsSlotAndSentOnce()
    {
        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(TestTeam.Now);
        var tenant = RandomTenant.Build(new Random(5), TestTeam.Now, memberCount: 1, minOneOnOnes: 1, maxOneOnOnes: 1);
        var member = tenant.Members[0].Member;
        await using var graph = await GraphSimulatorHost.StartAsync(tenant.Seed, new SimulatorOptions { Port = 0, TimeProvider = clock });
        await using var app = new BossTalkCalendarApplication(
            data.Path, clock, graph.GraphBaseUrl, new Dictionary<string, string?> { ["Jobs:PollInterval"] = "00:00:00.25", ["Graph:TenantId"] = TestTeam.TenantId });
        await app.Services.GetRequiredService<TeamRollout>().ApproveAsync(TestTeam.TenantId, tenant.ManagerId, tenant.ManagerId, [member.Id], CancellationToken.None);
        var oneOnOne = Assert.Single(graph.Tenant.EventsOf(member.Id), e => !e.IsOrganizer);
        var eventsBefore = graph.Tenant.EventsOf(member.Id).Count;
        var managerMessages = graph.Tenant.MessagesOf(tenant.ManagerId).Count;

        // Every write is made and its answer lost, until the invitation is on the calendar.
        graph.Options.LostResponseRate = 1;
        using var client = app.CreateClientFor(member.Id, TestTeam.TenantId);
        using var response = await client.PostAsync(
            new Uri($"/api/v1/meetings/{oneOnOne.Id}/follow-up", UriKind.Relative), Endpoints.ApiAssert.Body(new { tone = "formal", invite = true }));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.TrueAsync(() => Task.FromResult(graph.Tenant.EventsOf(member.Id).Count == eventsBefore + 1), TimeSpan.FromSeconds(30), "the invitation to be made");
        graph.Options.LostResponseRate = 0;
        Nudge? nudge = null;
        await Eventually.TrueAsync(
            async () => (nudge = (await app.NudgesAsync()).Single(n => n.Kind == Core.Nudges.NudgeKind.FollowUp)).State != NudgeState.Planned,
            TimeSpan.FromSeconds(60),
            "the follow-up to settle");

        Assert.True(graph.Tenant.RequestLog.LostResponseCount >= 1);
        Assert.True(nudge!.State == NudgeState.Placed, $"The follow-up ended {nudge.State} ({nudge.Reason}).");
        var invitation = Assert.Single(graph.Tenant.EventsOf(member.Id), e => e.IsOrganizer && e.Attendees.Count == 1);
        Assert.Equal(invitation.Id, nudge.CreatedEventId);
        Assert.Equal(managerMessages + 1, graph.Tenant.MessagesOf(tenant.ManagerId).Count);
    }
}

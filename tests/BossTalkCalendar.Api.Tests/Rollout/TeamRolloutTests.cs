using System.Net;
using System.Text.Json.Nodes;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Rollout;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BossTalkCalendar.Api.Tests.Rollout;

/// <summary>
/// The rollout end to end: the real service over HTTP with real tokens, real Hangfire and SQLite, the real Graph SDK
/// against the simulator.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class TeamRolloutTests
{
    private static readonly string[] DueMembers = [TestTeam.Berlin.Id, TestTeam.NewYork.Id];

    [Fact]
    public async Task NothingHappensBeforeApprovalThenTheManagerApprovesAndTheSweepNudgesTheirMembersOnly()
    {
        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await RolloutTenant.StartGraphAsync(clock);
        await using var host = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, RolloutTenant.Settings());
        using var manager = host.UserClient(RolloutTenant.TenantId, TestTeam.Manager.Id);

        var before = await ReadJsonAsync(await manager.GetAsync("/api/v1/teams/mine"), HttpStatusCode.OK);
        Assert.Equal("notEnabled", (string?)before["state"]);
        Assert.True(Withheld(before, "enrolled"));
        await host.SweepAsync();
        Assert.Empty(await host.NudgesAsync());
        Assert.All(graph.Tenant.Users, user => Assert.Empty(CalendarAssert.ReflectionsOf(graph, user.Id)));

        var approved = await ReadJsonAsync(await manager.PostAsync("/api/v1/teams/mine/approve", null), HttpStatusCode.OK);
        Assert.Equal("approved", (string?)approved["state"]);
        Assert.Equal(TestTeam.Reports.Count, Count(approved, "enrolled"));
        Assert.True(Withheld(approved, "optedOut"));
        Assert.True(Withheld(approved, "activeThisMonth"));

        await host.SweepAsync();
        // The one-on-one still running is planned ahead for its end; the ended ones are placed.
        var nudges = await host.NudgesAsync();
        var ahead = Assert.Single(nudges, n => n.UserId == TestTeam.NotEnded.Id);
        Assert.Equal(NudgeState.Planned, ahead.State);
        nudges.Remove(ahead);
        Assert.Equal(DueMembers.Order(), nudges.Select(n => n.UserId).Order());
        Assert.All(nudges, n => Assert.Equal(NudgeState.Placed, n.State));
        foreach (var member in DueMembers)
        {
            Assert.Single(CalendarAssert.ReflectionsOf(graph, member));
        }

        // The other team's member had a one-on-one too, but their manager approved nothing.
        Assert.Empty(CalendarAssert.ReflectionsOf(graph, RolloutTenant.OtherMember.Id));
        Assert.Empty(CalendarAssert.ReflectionsOf(graph, TestTeam.Manager.Id));

        var after = await ReadJsonAsync(await manager.GetAsync("/api/v1/teams/mine"), HttpStatusCode.OK);
        // Two of five used it: too few to show, and the day's figures would not move anyway.
        Assert.True(Withheld(after, "activeThisMonth"));
        AssertAggregateOnly(after);

        var audit = Assert.Single(await host.AuditAsync());
        Assert.Equal((AuditActions.TeamApproved, TestTeam.Manager.Id, TestTeam.Manager.Id, RolloutTenant.TenantId), (audit.Action, audit.ActorId, audit.SubjectId, audit.TenantId));
    }

    [Fact]
    public async Task AMemberWhoOptsOutLosesTheirPendingReflectionAndNoEventAppears()
    {
        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await RolloutTenant.StartGraphAsync(clock);
        var settings = RolloutTenant.Settings();

        string berlinJob;
        await using (var scanner = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, new Dictionary<string, string?>(settings) { ["Jobs:RunServer"] = "false" }))
        {
            using var manager = scanner.UserClient(RolloutTenant.TenantId, TestTeam.Manager.Id);
            await ReadJsonAsync(await manager.PostAsync("/api/v1/teams/mine/approve", null), HttpStatusCode.OK);
            await ScanAsync(scanner, DueMembers);
            var planned = await scanner.NudgesAsync();
            Assert.Equal(2, planned.Count);
            berlinJob = planned.Single(n => n.UserId == TestTeam.Berlin.Id).HangfireJobId!;

            using var berlin = scanner.UserClient(RolloutTenant.TenantId, TestTeam.Berlin.Id);
            var optedOut = await ReadJsonAsync(await berlin.PostAsync("/api/v1/me/opt-out", null), HttpStatusCode.OK);
            Assert.True((bool?)optedOut["optedOut"]);
            Assert.Equal(1, (int?)optedOut["cancelledNudges"]);

            var nudges = await scanner.NudgesAsync();
            Assert.Equal(NudgeState.Cancelled, nudges.Single(n => n.UserId == TestTeam.Berlin.Id).State);
            Assert.Equal(NudgeState.Planned, nudges.Single(n => n.UserId == TestTeam.NewYork.Id).State);
            Assert.Equal(Hangfire.States.DeletedState.StateName, scanner.JobState(berlinJob));

            // One opted out: enrolled still counts them, and neither opted out nor activity can point at anyone.
            var team = await ReadJsonAsync(await manager.GetAsync("/api/v1/teams/mine"), HttpStatusCode.OK);
            Assert.Equal(TestTeam.Reports.Count, Count(team, "enrolled"));
            Assert.True(Withheld(team, "optedOut"));
            Assert.True(Withheld(team, "activeThisMonth"));
        }

        await using (var worker = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, settings))
        {
            await worker.SweepAsync();
            Assert.Empty(CalendarAssert.ReflectionsOf(graph, TestTeam.Berlin.Id));
            Assert.Single(CalendarAssert.ReflectionsOf(graph, TestTeam.NewYork.Id));
            var nudges = await worker.NudgesAsync();
            Assert.Single(nudges, n => n.UserId == TestTeam.Berlin.Id);

            using var berlin = worker.UserClient(RolloutTenant.TenantId, TestTeam.Berlin.Id);
            var optedIn = await ReadJsonAsync(await berlin.PostAsync("/api/v1/me/opt-in", null), HttpStatusCode.OK);
            Assert.False((bool?)optedIn["optedOut"]);

            var trail = (await worker.AuditAsync()).Select(e => (e.Action, e.ActorId, e.SubjectId)).ToList();
            Assert.Equal(
                [
                    (AuditActions.TeamApproved, TestTeam.Manager.Id, TestTeam.Manager.Id),
                    (AuditActions.OptedOut, TestTeam.Berlin.Id, TestTeam.Berlin.Id),
                    (AuditActions.OptedIn, TestTeam.Berlin.Id, TestTeam.Berlin.Id),
                ],
                trail);
        }
    }

    [Fact]
    public async Task RevokingCancelsPendingNudgesKeepsPlacedEventsAndTheNextSweepDoesNothing()
    {
        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await RolloutTenant.StartGraphAsync(clock);
        var settings = RolloutTenant.Settings();

        await using (var scanner = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, new Dictionary<string, string?>(settings) { ["Jobs:RunServer"] = "false" }))
        {
            using var manager = scanner.UserClient(RolloutTenant.TenantId, TestTeam.Manager.Id);
            await ReadJsonAsync(await manager.PostAsync("/api/v1/teams/mine/approve", null), HttpStatusCode.OK);
            await ScanAsync(scanner, DueMembers);
            var planned = await scanner.NudgesAsync();
            var berlin = planned.Single(n => n.UserId == TestTeam.Berlin.Id);
            var newYork = planned.Single(n => n.UserId == TestTeam.NewYork.Id);
            await scanner.RunAsync<PlaceNudgesJob>(job => job.RunAsync(new[] { berlin.Id }, CancellationToken.None));
            var placed = Assert.Single(CalendarAssert.ReflectionsOf(graph, TestTeam.Berlin.Id));

            using var admin = scanner.AdminClient(RolloutTenant.TenantId, RolloutTenant.Admin.Id);
            var revoked = await ReadJsonAsync(await admin.PostAsync($"/api/v1/admin/teams/{TestTeam.Manager.Id}/revoke", null), HttpStatusCode.OK);
            Assert.Equal("revoked", (string?)revoked["state"]);
            // The day's figures stand until the next UTC day, even for a revoked team.
            Assert.Equal(TestTeam.Reports.Count, Count(revoked, "enrolled"));

            var after = await scanner.NudgesAsync();
            Assert.Equal(NudgeState.Placed, after.Single(n => n.Id == berlin.Id).State);
            var cancelled = after.Single(n => n.Id == newYork.Id);
            Assert.Equal(NudgeState.Cancelled, cancelled.State);
            Assert.Equal(RolloutReasons.TeamRevoked, cancelled.Reason);
            Assert.Equal(Hangfire.States.DeletedState.StateName, scanner.JobState(newYork.HangfireJobId!));
            Assert.Equal(placed.Id, Assert.Single(CalendarAssert.ReflectionsOf(graph, TestTeam.Berlin.Id)).Id);
            Assert.All(await scanner.UsersAsync(), user => Assert.False(user.Enrolled));

            // Revoking again changes nothing and writes nothing.
            await ReadJsonAsync(await manager.PostAsync("/api/v1/teams/mine/revoke", null), HttpStatusCode.OK);
            Assert.Single(await scanner.AuditAsync(), e => e.Action == AuditActions.TeamRevoked);
        }

        clock.Advance(TimeSpan.FromMinutes(5));
        await using (var worker = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, settings))
        {
            await worker.SweepAsync();
            // Let any job that escaped the revoke run: nothing may come of it.
            await Eventually.TrueAsync(
                () => Task.FromResult(worker.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi().EnqueuedCount("default") == 0),
                TimeSpan.FromSeconds(30),
                "the queue to drain");

            Assert.Equal(2, (await worker.NudgesAsync()).Count);
            Assert.Empty(CalendarAssert.ReflectionsOf(graph, TestTeam.NewYork.Id));
            Assert.Single(CalendarAssert.ReflectionsOf(graph, TestTeam.Berlin.Id));
            Assert.All(await worker.UsersAsync(), user => Assert.True(user.LastScanAt is null || user.LastScanAt < clock.GetUtcNow()));

            var trail = (await worker.AuditAsync()).Select(e => (e.Action, e.ActorId, e.SubjectId)).ToList();
            Assert.Equal(
                [
                    (AuditActions.TeamApproved, TestTeam.Manager.Id, TestTeam.Manager.Id),
                    (AuditActions.TeamRevoked, RolloutTenant.Admin.Id, TestTeam.Manager.Id),
                ],
                trail);
        }
    }

    [Fact]
    public async Task TheRefreshEnrolsANewcomerAndDropsLeaversWithTheirPendingWork()
    {
        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await RolloutTenant.StartGraphAsync(clock);
        await using var host = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, RolloutTenant.Settings(("Jobs:RunServer", "false")));
        using var manager = host.UserClient(RolloutTenant.TenantId, TestTeam.Manager.Id);
        await ReadJsonAsync(await manager.PostAsync("/api/v1/teams/mine/approve", null), HttpStatusCode.OK);
        await ScanAsync(host, [TestTeam.NewYork.Id]);
        var pending = Assert.Single(await host.NudgesAsync());

        // New York moves to the other manager, Declined leaves the company, a newcomer joins.
        graph.Tenant.SetManager(TestTeam.NewYork.Id, RolloutTenant.OtherManager.Id);
        graph.Tenant.RemoveUser(TestTeam.Declined.Id);
        graph.Tenant.AddUser(RolloutTenant.Newcomer.ToSeed(TestTeam.Manager.Id));
        await host.RunAsync<TeamRefreshJob>(job => job.RunAsync(CancellationToken.None));

        var users = (await host.UsersAsync()).ToDictionary(u => u.UserId);
        Assert.True(users[RolloutTenant.Newcomer.Id].Enrolled);
        Assert.Equal(TestTeam.Manager.Id, users[RolloutTenant.Newcomer.Id].ManagerId);
        Assert.False(users[TestTeam.NewYork.Id].Enrolled);
        Assert.Equal(clock.GetUtcNow(), users[TestTeam.NewYork.Id].UnenrolledAt);
        Assert.False(users[TestTeam.Declined.Id].Enrolled);
        Assert.True(users[TestTeam.Berlin.Id].Enrolled);
        Assert.False(users.ContainsKey(RolloutTenant.OtherMember.Id));

        var cancelled = Assert.Single(await host.NudgesAsync());
        Assert.Equal(pending.Id, cancelled.Id);
        Assert.Equal(NudgeState.Cancelled, cancelled.State);
        Assert.Equal(RolloutReasons.LeftTeam, cancelled.Reason);

        var changes = (await host.AuditAsync()).Skip(1).Select(e => (e.Action, e.ActorId, e.SubjectId)).ToHashSet();
        Assert.Equal(
            new HashSet<(string, string, string)>
            {
                (AuditActions.MemberJoined, AuditActions.SystemActor, RolloutTenant.Newcomer.Id),
                (AuditActions.MemberLeft, AuditActions.SystemActor, TestTeam.NewYork.Id),
                (AuditActions.MemberLeft, AuditActions.SystemActor, TestTeam.Declined.Id),
            },
            changes);

        // Nothing changed since: a second refresh finds nothing to do.
        await host.RunAsync<TeamRefreshJob>(job => job.RunAsync(CancellationToken.None));
        Assert.Equal(4, (await host.AuditAsync()).Count);
        var team = await ReadJsonAsync(await manager.GetAsync("/api/v1/teams/mine"), HttpStatusCode.OK);
        Assert.Equal(TestTeam.Reports.Count, Count(team, "enrolled"));

        // The next UTC day's figures count four: fewer than five, so none shows.
        clock.Advance(TimeSpan.FromDays(1));
        team = await ReadJsonAsync(await manager.GetAsync("/api/v1/teams/mine"), HttpStatusCode.OK);
        Assert.True(Withheld(team, "enrolled"));
    }

    [Fact]
    public async Task RetentionDeletesRevokedMembersDataAfterThePeriodButKeepsTheAuditTrailAndAnOptOut()
    {
        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await RolloutTenant.StartGraphAsync(clock);
        await using var host = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, RolloutTenant.Settings(("Jobs:RunServer", "false"), ("Rollout:RetentionDays", "30")));
        using var manager = host.UserClient(RolloutTenant.TenantId, TestTeam.Manager.Id);
        using var otherManager = host.UserClient(RolloutTenant.TenantId, RolloutTenant.OtherManager.Id);
        await ReadJsonAsync(await manager.PostAsync("/api/v1/teams/mine/approve", null), HttpStatusCode.OK);
        await ReadJsonAsync(await otherManager.PostAsync("/api/v1/teams/mine/approve", null), HttpStatusCode.OK);
        await ScanAsync(host, [TestTeam.Berlin.Id, RolloutTenant.OtherMember.Id]);
        var berlinNudge = (await host.NudgesAsync()).Single(n => n.UserId == TestTeam.Berlin.Id);
        await host.RunAsync<PlaceNudgesJob>(job => job.RunAsync(new[] { berlinNudge.Id }, CancellationToken.None));
        using (var berlin = host.UserClient(RolloutTenant.TenantId, TestTeam.Berlin.Id))
        {
            await ReadJsonAsync(await berlin.PostAsync("/api/v1/me/opt-out", null), HttpStatusCode.OK);
        }

        await ReadJsonAsync(await manager.PostAsync("/api/v1/teams/mine/revoke", null), HttpStatusCode.OK);
        var trailBefore = await host.AuditAsync();

        clock.Advance(TimeSpan.FromDays(29));
        await host.RunAsync<RetentionJob>(job => job.RunAsync(CancellationToken.None));
        Assert.Equal(TestTeam.Reports.Count + 1, (await host.UsersAsync()).Count);
        Assert.Equal(2, (await host.NudgesAsync()).Count);

        clock.Advance(TimeSpan.FromDays(1));
        await host.RunAsync<RetentionJob>(job => job.RunAsync(CancellationToken.None));
        // Only the other, still approved team is left; the revoked team's members and nudges are gone.
        var remaining = Assert.Single(await host.UsersAsync());
        Assert.Equal(RolloutTenant.OtherMember.Id, remaining.UserId);
        Assert.Equal(RolloutTenant.OtherMember.Id, Assert.Single(await host.NudgesAsync()).UserId);
        Assert.Single(CalendarAssert.ReflectionsOf(graph, TestTeam.Berlin.Id));

        var trail = await host.AuditAsync();
        Assert.Equal(trailBefore.Select(e => e.Id), trail.Take(trailBefore.Count).Select(e => e.Id));
        Assert.Equal(
            TestTeam.Reports.Select(r => r.Id).Order(),
            trail.Skip(trailBefore.Count).Where(e => e.Action == AuditActions.MemberDataDeleted).Select(e => e.SubjectId).Order());

        // The audit trail cannot be edited through the model either.
        await using (var db = await host.CreateDbContextAsync())
        {
            var entry = await db.AuditEntries.FirstAsync();
            entry.ActorId = "someone-else";
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        }

        // Approved again: the members come back, and Berlin's opt-out, kept only in the trail, still holds.
        await ReadJsonAsync(await manager.PostAsync("/api/v1/teams/mine/approve", null), HttpStatusCode.OK);
        var users = (await host.UsersAsync()).ToDictionary(u => u.UserId);
        Assert.True(users[TestTeam.Berlin.Id].OptedOut);
        Assert.False(users[TestTeam.NewYork.Id].OptedOut);
        Assert.All(TestTeam.Reports, r => Assert.True(users[r.Id].Enrolled));
    }

    private static async Task ScanAsync(BossTalkCalendarApplication host, IEnumerable<string> userIds)
    {
        foreach (var userId in userIds)
        {
            await host.RunAsync<ScanUsersJob>(job => job.RunAsync(RolloutTenant.TenantId, new[] { userId }, 0, CancellationToken.None));
        }
    }

    internal static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
            return JsonNode.Parse(body)!.AsObject();
        }
    }

    internal static int? Count(JsonObject team, string figure) => (int?)team[figure]!["count"];

    /// <summary>The figure is withheld: no count, and the flag that says fewer than five.</summary>
    internal static bool Withheld(JsonObject team, string figure) =>
        team[figure]!["count"] is null && (bool)team[figure]!["fewerThanFive"]!;

    /// <summary>A manager's view holds counts, a state and the manager's own timestamps: no ids, no names, no lists.</summary>
    private static void AssertAggregateOnly(JsonObject team)
    {
        var allowed = new HashSet<string>(StringComparer.Ordinal) { "state", "enrolled", "optedOut", "activeThisMonth", "figuresAsOf", "approvedAt", "revokedAt" };
        Assert.All(team, property => Assert.Contains(property.Key, allowed));
        foreach (var figure in new[] { "enrolled", "optedOut", "activeThisMonth" })
        {
            Assert.Equal(["count", "fewerThanFive"], team[figure]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        }

        Assert.DoesNotContain(TestTeam.Berlin.Id, team.ToJsonString(), StringComparison.Ordinal);
    }
}

using System.Net;
using System.Net.Http.Json;
using BossTalkCalendar.Api.Me;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Tests.Builders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static BossTalkCalendar.Api.Tests.Rollout.TeamRolloutTests;

namespace BossTalkCalendar.Api.Tests.Rollout;

/// <summary>An administrator's revoke that stands, bounded participation changes, and sweeps asked for at most every five minutes.</summary>
[Collection(AppCollection.Name)]
public sealed class SafeByDefaultRolloutTests
{
    [Fact]
    public async Task AnAdminRevokeStandsAgainstTheManagersApprovalUntilAnAdminLiftsIt()
    {
        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await RolloutTenant.StartGraphAsync(clock);
        await using var host = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, RolloutTenant.Settings(("Jobs:RunServer", "false")));
        using var manager = host.UserClient(RolloutTenant.TenantId, TestTeam.Manager.Id);
        using var admin = host.AdminClient(RolloutTenant.TenantId, RolloutTenant.Admin.Id);

        await ReadJsonAsync(await manager.PostAsync("/api/v1/teams/mine/approve", null), HttpStatusCode.OK);
        var revoked = await ReadJsonAsync(await admin.PostAsync($"/api/v1/admin/teams/{TestTeam.Manager.Id}/revoke", null), HttpStatusCode.OK);
        Assert.Equal("revoked", (string?)revoked["state"]);

        using (var refused = await manager.PostAsync("/api/v1/teams/mine/approve", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        // The refused approval changed nothing: the team is still revoked and nobody is enrolled.
        Assert.Equal("revoked", (string?)(await ReadJsonAsync(await manager.GetAsync("/api/v1/teams/mine"), HttpStatusCode.OK))["state"]);
        Assert.All(await host.UsersAsync(), u => Assert.False(u.Enrolled));

        // A manager revoking on top changes nothing either; only an admin lifts it.
        await ReadJsonAsync(await manager.PostAsync("/api/v1/teams/mine/revoke", null), HttpStatusCode.OK);
        using (var stillRefused = await manager.PostAsync("/api/v1/teams/mine/approve", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, stillRefused.StatusCode);
        }

        var lifted = await ReadJsonAsync(await admin.PostAsync($"/api/v1/admin/teams/{TestTeam.Manager.Id}/lift-revoke", null), HttpStatusCode.OK);
        Assert.Equal("revoked", (string?)lifted["state"]);
        var approved = await ReadJsonAsync(await manager.PostAsync("/api/v1/teams/mine/approve", null), HttpStatusCode.OK);
        Assert.Equal("approved", (string?)approved["state"]);

        var trail = await host.AuditAsync();
        Assert.Contains(trail, e => e.Action == AuditActions.RevokeLifted && e.ActorId == RolloutTenant.Admin.Id && e.SubjectId == TestTeam.Manager.Id);

        // Lifting an unknown team's revoke is a 404 problem and writes nothing.
        using var unknown = await admin.PostAsync("/api/v1/admin/teams/nobody/lift-revoke", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(trail.Count, (await host.AuditAsync()).Count);
    }

    [Fact]
    public async Task AUsersParticipationChangesAreLimitedToTenAnHourWith429AndRetryAfterAndTheRefusedOneChangesNothing()
    {
        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await RolloutTenant.StartGraphAsync(clock);
        await using var host = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, RolloutTenant.Settings(("Jobs:RunServer", "false")));
        using var member = host.UserClient(RolloutTenant.TenantId, TestTeam.Berlin.Id);

        for (var i = 0; i < ParticipationLimit.PerHour; i++)
        {
            using var response = i % 3 == 2
                ? await member.PutAsJsonAsync("/api/v1/me/preferences", new { paused = i % 2 == 0 })
                : await member.PostAsync(i % 3 == 0 ? "/api/v1/me/opt-out" : "/api/v1/me/opt-in", null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        var before = (await host.UsersAsync()).Single(u => u.UserId == TestTeam.Berlin.Id);
        using (var refused = await member.PostAsync(before.OptedOut ? "/api/v1/me/opt-in" : "/api/v1/me/opt-out", null))
        {
            Assert.Equal((HttpStatusCode)429, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            // The first change was ten minutes ago: the window frees a slot fifty minutes from now.
            Assert.Equal(TimeSpan.FromMinutes(50), refused.Headers.RetryAfter?.Delta);
        }

        using (var pause = await member.PutAsJsonAsync("/api/v1/me/preferences", new { paused = true }))
        {
            Assert.Equal((HttpStatusCode)429, pause.StatusCode);
        }

        Assert.Equal(before.OptedOut, (await host.UsersAsync()).Single(u => u.UserId == TestTeam.Berlin.Id).OptedOut);

        // Other preferences are not participation changes; and after the hour the user may change again.
        using (var coolDown = await member.PutAsJsonAsync("/api/v1/me/preferences", new { coolDownMinutes = 120 }))
        {
            Assert.Equal(HttpStatusCode.OK, coolDown.StatusCode);
        }

        clock.Advance(TimeSpan.FromMinutes(51));
        using var later = await member.PostAsync("/api/v1/me/opt-in", null);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task ASweepAskedForWithinFiveMinutesOfTheLastIsCoalescedIntoIt()
    {
        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await RolloutTenant.StartGraphAsync(clock);
        // No job server: the first sweep stays queued.
        await using var host = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, RolloutTenant.Settings(("Jobs:RunServer", "false")));
        using var admin = host.AdminClient(RolloutTenant.TenantId, RolloutTenant.Admin.Id);

        // Asked for six times at once: one sweep, named in every answer.
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ => await ReadJsonAsync(await admin.PostAsync("/api/v1/admin/sweep", null), HttpStatusCode.Accepted)));
        var first = Assert.Single(answers, answer => !(bool)answer["coalesced"]!);
        Assert.All(answers, answer => Assert.Equal((string?)first["jobId"], (string?)answer["jobId"]));
        var second = await ReadJsonAsync(await admin.PostAsync("/api/v1/admin/sweep", null), HttpStatusCode.Accepted);
        Assert.True((bool?)second["coalesced"]);
        Assert.Equal((string?)first["jobId"], (string?)second["jobId"]);

        // Still queued after five minutes: still the same one.
        clock.Advance(TimeSpan.FromMinutes(6));
        var third = await ReadJsonAsync(await admin.PostAsync("/api/v1/admin/sweep", null), HttpStatusCode.Accepted);
        Assert.Equal((string?)first["jobId"], (string?)third["jobId"]);

        // Once it is done and five minutes have passed, a new one is queued.
        var storage = host.Services.GetRequiredService<Hangfire.JobStorage>();
        using (var connection = storage.GetConnection())
        using (var transaction = connection.CreateWriteTransaction())
        {
            transaction.SetJobState((string)first["jobId"]!, new Hangfire.States.SucceededState(null, 0, 0));
            transaction.Commit();
        }

        var fourth = await ReadJsonAsync(await admin.PostAsync("/api/v1/admin/sweep", null), HttpStatusCode.Accepted);
        Assert.False((bool?)fourth["coalesced"]);
        Assert.NotEqual((string?)first["jobId"], (string?)fourth["jobId"]);
    }

    [Fact]
    public async Task MeShowsTheTwentyNewestNudgesNewestFirst()
    {
        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await RolloutTenant.StartGraphAsync(clock);
        await using var host = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, RolloutTenant.Settings(("Jobs:RunServer", "false")));
        await using (var db = await host.CreateDbContextAsync())
        {
            for (var i = 0; i < 30; i++)
            {
                var at = TestTeam.Now.AddHours(-i).AddSeconds(i % 2 == 0 ? 0 : 0.5);
                db.Nudges.Add(new NudgeBuilder().For(RolloutTenant.TenantId, TestTeam.Berlin.Id).WithKey("k" + i).In(Persistence.NudgeState.Cancelled).At(at).Build());
            }

            await db.SaveChangesAsync();
        }

        using var member = host.UserClient(RolloutTenant.TenantId, TestTeam.Berlin.Id);
        var me = await ReadJsonAsync(await member.GetAsync("/api/v1/me"), HttpStatusCode.OK);

        var shown = me["recentNudges"]!.AsArray();
        Assert.Equal(20, shown.Count);
        var created = await host.NudgesAsync();
        var newest = created.OrderByDescending(n => n.CreatedAt).Take(20).Select(n => n.Id.ToString()).ToList();
        Assert.Equal(newest, shown.Select(n => (string)n!["id"]!).ToList());
    }
}

using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Rollout;
using BossTalkCalendar.GraphSimulator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static BossTalkCalendar.Api.Tests.Rollout.TeamRolloutTests;

namespace BossTalkCalendar.Api.Tests.Rollout;

/// <summary>
/// The manager's card and the administrator's list through the real API: no figure below five, none derivable from
/// the others, and figures that change only from one UTC day to the next.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class KAnonymousTeamFiguresTests
{
    private static readonly string[] WeekDays = ["monday", "tuesday", "wednesday", "thursday", "friday"];

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public async Task ASmallTeamsCardAndTheAdminListShowNoFigureBelowFiveAndAnOptOutMovesNothingThatDay(int size)
    {
        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await RolloutTenant.StartGraphAsync(clock);
        var members = TeamOf(graph, size);
        await using var host = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, RolloutTenant.Settings(("Jobs:RunServer", "false")));
        using var manager = host.UserClient(RolloutTenant.TenantId, TestTeam.Manager.Id);
        using var admin = host.AdminClient(RolloutTenant.TenantId, RolloutTenant.Admin.Id);

        await ReadJsonAsync(await manager.PostAsync("/api/v1/teams/mine/approve", null), HttpStatusCode.OK);
        var morning = await BothViewsAsync(manager, admin, $"team of {size}");
        Assert.Equal(size >= 5 ? size : (int?)null, Count(morning, "enrolled"));
        Assert.True(Withheld(morning, "optedOut"));
        Assert.True(Withheld(morning, "activeThisMonth"));

        // Someone opts out: nothing moves today, not even in the database's figures.
        await OptOutAsync(host, members[0]);
        clock.Advance(TimeSpan.FromHours(9));
        Assert.Equal(morning.ToJsonString(), (await BothViewsAsync(manager, admin, $"team of {size}, same day")).ToJsonString());

        // Next UTC day: the day's snapshot counts the opt-out, and still nothing below five shows.
        clock.Advance(TimeSpan.FromHours(1));
        var tomorrow = await BothViewsAsync(manager, admin, $"team of {size}, next day");
        Assert.Equal(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), (string?)tomorrow["figuresAsOf"]);
        Assert.Equal(size >= 5 ? size : (int?)null, Count(tomorrow, "enrolled"));
        Assert.True(Withheld(tomorrow, "optedOut"));
        await using var db = await host.CreateDbContextAsync();
        var snapshot = await db.TeamSnapshots.AsNoTracking().SingleAsync();
        Assert.Equal((size, 1), (snapshot.Enrolled, snapshot.OptedOut));
    }

    [Theory]
    [InlineData(StorageOptions.SqliteProvider)]
    [InlineData(StorageOptions.PostgreSqlProvider)]
    public async Task InATeamOfTenFiveOptOutsShowOnlyFromTheNextUtcDay(string provider)
    {
        using var data = new TempDirectory();
        await using var storage = await TestStorage.CreateAsync(provider);
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await RolloutTenant.StartGraphAsync(clock);
        var members = TeamOf(graph, 10);
        await using var host = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, storage.With(RolloutTenant.Settings(("Jobs:RunServer", "false"))));
        using var manager = host.UserClient(RolloutTenant.TenantId, TestTeam.Manager.Id);
        using var admin = host.AdminClient(RolloutTenant.TenantId, RolloutTenant.Admin.Id);
        await ReadJsonAsync(await manager.PostAsync("/api/v1/teams/mine/approve", null), HttpStatusCode.OK);

        foreach (var member in members.Take(5))
        {
            await OptOutAsync(host, member);
        }

        var today = await BothViewsAsync(manager, admin, "team of ten, same day");
        Assert.Equal(10, Count(today, "enrolled"));
        Assert.True(Withheld(today, "optedOut"));

        // The first team refresh after midnight takes the day's figures; reading later changes nothing.
        clock.Advance(TimeSpan.FromHours(10));
        await host.RunAsync<TeamRefreshJob>(job => job.RunAsync(CancellationToken.None));
        await OptOutAsync(host, members[5]);
        var tomorrow = await BothViewsAsync(manager, admin, "team of ten, next day");
        Assert.Equal(10, Count(tomorrow, "enrolled"));
        Assert.Equal(5, Count(tomorrow, "optedOut"));
        Assert.True(Withheld(tomorrow, "activeThisMonth"));
    }

    /// <summary>Makes the manager's team in Graph exactly <paramref name="size"/> members; returns their ids.</summary>
    private static List<string> TeamOf(GraphSimulatorHost graph, int size)
    {
        var reports = TestTeam.Reports.Select(r => r.Id).ToList();
        foreach (var extra in reports.Skip(size))
        {
            graph.Tenant.RemoveUser(extra);
        }

        for (var i = reports.Count; i < size; i++)
        {
            var member = new Member($"7e57e57e-0000-4000-8000-0000000001{i:D2}", $"member{i}@team.test", "Europe/Berlin", WeekDays, "09:00:00", "17:30:00");
            graph.Tenant.AddUser(member.ToSeed(TestTeam.Manager.Id));
            reports.Add(member.Id);
        }

        return reports.Take(size).ToList();
    }

    private static async Task OptOutAsync(BossTalkCalendarApplication host, string userId)
    {
        using var member = host.UserClient(RolloutTenant.TenantId, userId);
        await ReadJsonAsync(await member.PostAsync("/api/v1/me/opt-out", null), HttpStatusCode.OK);
    }

    /// <summary>The manager's card, checked; the admin list must show the very same figures under the same rule.</summary>
    private static async Task<JsonObject> BothViewsAsync(HttpClient manager, HttpClient admin, string team)
    {
        var card = await ReadJsonAsync(await manager.GetAsync("/api/v1/teams/mine"), HttpStatusCode.OK);
        TeamFiguresAssert.NothingBelowFive(Count(card, "enrolled"), Count(card, "optedOut"), Count(card, "activeThisMonth"), team);

        using var response = await admin.GetAsync("/api/v1/admin/teams");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var listed = Assert.Single(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray())!.AsObject();
        foreach (var figure in new[] { "enrolled", "optedOut", "activeThisMonth", "figuresAsOf" })
        {
            Assert.Equal(card[figure]!.ToJsonString(), listed[figure]!.ToJsonString());
        }

        return card;
    }
}

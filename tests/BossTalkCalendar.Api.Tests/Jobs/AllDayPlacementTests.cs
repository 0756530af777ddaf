using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Rollout;
using BossTalkCalendar.GraphSimulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BossTalkCalendar.Api.Tests.Jobs;

/// <summary>
/// An all-day out-of-office day blocks exactly the user's own local day. Graph labels all-day events midnight to
/// midnight in the zone the request asked for (UTC for us), not in their own zone (docs/graph.md, "All-day events"):
/// read as UTC instants, the day would shift by the user's offset and the block would land inside it or hours late.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AllDayPlacementTests
{
    private static readonly string[] AllDays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    [Theory]
    [InlineData("Australia/Brisbane")] // UTC+10
    [InlineData("America/Los_Angeles")] // UTC-8 in March before DST
    [InlineData("Asia/Kolkata")] // UTC+5:30
    public async Task TheReflectionComesRightAfterTheUsersOwnOutOfOfficeDay(string zoneName)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneName);
        var meetingEnd = TestTeam.Now - TimeSpan.FromMinutes(30);
        // Away all day on the local day the one-on-one ended (it still happened; the block must wait for the day's end).
        var day = TimeZoneInfo.ConvertTime(meetingEnd, zone).Date;
        var awayStart = new DateTimeOffset(day, zone.GetUtcOffset(day));
        var awayEnd = new DateTimeOffset(day.AddDays(1), zone.GetUtcOffset(day.AddDays(1)));

        var manager = new Member("a11da700-0000-4000-8001-000000000000", "manager@allday.test", zoneName, AllDays, "00:00:00", "23:59:00");
        var member = new Member("a11da700-0000-4000-8002-000000000000", "member@allday.test", zoneName, AllDays, "00:00:00", "23:59:00");
        var managerSeed = manager.ToSeed(null);
        var memberSeed = member.ToSeed(manager.Id);
        managerSeed.Events.Add(new SeedEvent
        {
            Subject = $"1:1 {TestTeam.Secret}",
            Start = meetingEnd - TimeSpan.FromMinutes(30),
            End = meetingEnd,
            OrganizerMail = manager.Mail,
            Attendees = [new SeedAttendee { Mail = member.Mail, Response = "accepted" }],
        });
        memberSeed.Events.Add(new SeedEvent { Subject = $"Away {TestTeam.Secret}", Start = awayStart, End = awayEnd, OrganizerMail = member.Mail, IsAllDay = true, ShowAs = "oof" });

        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await GraphSimulatorHost.StartAsync(
            new TenantSeed { TenantId = TestTeam.TenantId, Users = [managerSeed, memberSeed] },
            new SimulatorOptions { Port = 0, TimeProvider = clock });
        await using var app = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, new Dictionary<string, string?> { ["Jobs:PollInterval"] = "00:00:00.25" });
        await app.Services.GetRequiredService<TeamRollout>().ApproveAsync(TestTeam.TenantId, manager.Id, manager.Id, [member.Id], CancellationToken.None);

        await app.RunSweepAsync();

        // The earliest start the rules allow: after the cool-down, and ten minutes (the buffer) after the local day.
        var coolDownOver = meetingEnd + TimeSpan.FromMinutes(90);
        var dayOverWithBuffer = awayEnd + TimeSpan.FromMinutes(10);
        var expected = coolDownOver > dayOverWithBuffer ? coolDownOver : dayOverWithBuffer;
        var nudge = Assert.Single(await app.NudgesAsync());
        Assert.Equal(NudgeState.Placed, nudge.State);
        var block = Assert.Single(CalendarAssert.ReflectionsOf(graph, member.Id));
        Assert.True(
            block.Start == expected,
            $"In {zoneName}, away {awayStart:O}–{awayEnd:O}: the block starts {TimeZoneInfo.ConvertTime(block.Start, zone):O}, expected {TimeZoneInfo.ConvertTime(expected, zone):O}.");
    }

    [Theory]
    [InlineData("Australia/Brisbane")] // UTC+10
    [InlineData("America/Los_Angeles")] // UTC-8 in March before DST
    [InlineData("Asia/Kolkata")] // UTC+5:30
    public async Task AFollowUpIsNeverOnTheManagersOwnOutOfOfficeDay(string zoneName)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneName);
        var meetingEnd = TestTeam.Now - TimeSpan.FromMinutes(30);
        // Away all day on the day after the one-on-one: the first day the follow-up rules would otherwise pick.
        var day = TimeZoneInfo.ConvertTime(meetingEnd, zone).Date.AddDays(1);
        var awayStart = new DateTimeOffset(day, zone.GetUtcOffset(day));
        var awayEnd = new DateTimeOffset(day.AddDays(1), zone.GetUtcOffset(day.AddDays(1)));

        var manager = new Member("a11da700-0000-4000-8001-000000000001", "manager@allday.test", zoneName, AllDays, "00:00:00", "23:59:00");
        var member = new Member("a11da700-0000-4000-8002-000000000001", "member@allday.test", zoneName, AllDays, "00:00:00", "23:59:00");
        var managerSeed = manager.ToSeed(null);
        var memberSeed = member.ToSeed(manager.Id);
        const string oneOnOneId = "AAMkADallday-1_one-on-one_AAA=";
        memberSeed.Events.Add(new SeedEvent
        {
            Id = oneOnOneId,
            Subject = $"1:1 {TestTeam.Secret}",
            Start = meetingEnd - TimeSpan.FromMinutes(30),
            End = meetingEnd,
            OrganizerMail = manager.Mail,
            Attendees = [new SeedAttendee { Mail = member.Mail, Response = "accepted" }],
        });
        managerSeed.Events.Add(new SeedEvent { Subject = $"Away {TestTeam.Secret}", Start = awayStart, End = awayEnd, OrganizerMail = manager.Mail, IsAllDay = true, ShowAs = "oof" });

        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await GraphSimulatorHost.StartAsync(
            new TenantSeed { TenantId = TestTeam.TenantId, Users = [managerSeed, memberSeed] },
            new SimulatorOptions { Port = 0, TimeProvider = clock });
        // The API answers only users of the tenant this instance serves.
        var settings = new Dictionary<string, string?> { ["Jobs:PollInterval"] = "00:00:00.25", ["Graph:TenantId"] = TestTeam.TenantId };
        await using var app = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, settings);
        await app.Services.GetRequiredService<TeamRollout>().ApproveAsync(TestTeam.TenantId, manager.Id, manager.Id, [member.Id], CancellationToken.None);

        using var client = app.CreateClientFor(member.Id, TestTeam.TenantId);
        using var response = await client.PostAsync(new Uri($"/api/v1/meetings/{oneOnOneId}/follow-up", UriKind.Relative), Endpoints.ApiAssert.Body(new { tone = "casual" }));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        Nudge? nudge = null;
        await Eventually.TrueAsync(
            async () => (nudge = Assert.Single(await app.NudgesAsync())).State != NudgeState.Planned,
            TimeSpan.FromSeconds(30),
            "the follow-up to be placed");

        Assert.True(nudge!.State == NudgeState.Placed, $"The follow-up ended {nudge.State} ({nudge.Reason}).");
        var hold = Assert.Single(graph.Tenant.EventsOf(member.Id), e => e.TransactionId == nudge.TransactionId);
        var local = TimeZoneInfo.ConvertTime(hold.Start, zone);
        Assert.True(
            local.Date == day.AddDays(1),
            $"In {zoneName}, the manager away {awayStart:O}–{awayEnd:O}: the follow-up is at {local:O}, expected on {day.AddDays(1):yyyy-MM-dd}.");
    }
}

using System.Net;
using static BossTalkCalendar.Api.Tests.Simulator.SimulatorHarness;

namespace BossTalkCalendar.Api.Tests.Simulator;

public sealed class ScheduleWireTests
{
    private static object Request(IEnumerable<string> schedules, string start, string end, int interval, string zone = "UTC") => new
    {
        schedules,
        startTime = new { dateTime = start, timeZone = zone },
        endTime = new { dateTime = end, timeZone = zone },
        availabilityViewInterval = interval,
    };

    [Fact]
    public async Task GetScheduleAnswersScheduleInformationWithItemsAvailabilityViewAndWorkingHours()
    {
        await using var sim = await StartAsync();

        // Wednesday 08:00–17:00 UTC in hours: private busy 9–10, cancelled 11–12, free 13–14, oof 15–16.
        var (response, json) = await sim.SendAsync(
            HttpMethod.Post,
            $"v1.0/users/{AliceId}/calendar/getSchedule",
            Request([AliceMail, BobMail, "ghost@sim.example"], "2026-11-25T08:00:00", "2026-11-25T17:00:00", 60),
            "W. Europe Standard Time");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith("$metadata#Collection(microsoft.graph.scheduleInformation)", json.GetProperty("@odata.context").GetString(), StringComparison.Ordinal);
        var value = json.GetProperty("value");
        Assert.Equal(3, value.GetArrayLength());

        var alice = value[0];
        Assert.Equal(AliceMail, alice.GetProperty("scheduleId").GetString());
        Assert.Equal("020000030", alice.GetProperty("availabilityView").GetString());
        var items = alice.GetProperty("scheduleItems").EnumerateArray().ToList();
        Assert.Equal(["busy", "oof"], items.Select(i => i.GetProperty("status").GetString()));
        Assert.True(items[0].GetProperty("isPrivate").GetBoolean());
        Assert.False(items[0].TryGetProperty("subject", out _));
        Assert.False(items[1].GetProperty("isPrivate").GetBoolean());
        Assert.Equal("Offsite", items[1].GetProperty("subject").GetString());
        Assert.Equal("2026-11-25T10:00:00.0000000", items[0].GetProperty("start").GetProperty("dateTime").GetString());
        Assert.Equal("W. Europe Standard Time", items[0].GetProperty("start").GetProperty("timeZone").GetString());
        var hours = alice.GetProperty("workingHours");
        Assert.Equal("08:00:00.0000000", hours.GetProperty("startTime").GetString());
        Assert.Equal("17:00:00.0000000", hours.GetProperty("endTime").GetString());
        Assert.Equal("W. Europe Standard Time", hours.GetProperty("timeZone").GetProperty("name").GetString());
        Assert.Equal(5, hours.GetProperty("daysOfWeek").GetArrayLength());

        var bob = value[1];
        Assert.Equal("000000000", bob.GetProperty("availabilityView").GetString());
        Assert.Equal(0, bob.GetProperty("scheduleItems").GetArrayLength());
        var custom = bob.GetProperty("workingHours").GetProperty("timeZone");
        Assert.Equal("#microsoft.graph.customTimeZone", custom.GetProperty("@odata.type").GetString());
        Assert.Equal(480, custom.GetProperty("bias").GetInt32());
        Assert.Equal(-60, custom.GetProperty("daylightOffset").GetProperty("daylightBias").GetInt32());
        Assert.Equal("02:00:00.0000000", custom.GetProperty("standardOffset").GetProperty("time").GetString());

        var ghost = value[2];
        Assert.Equal("ghost@sim.example", ghost.GetProperty("scheduleId").GetString());
        Assert.False(string.IsNullOrEmpty(ghost.GetProperty("error").GetProperty("responseCode").GetString()));
        Assert.False(string.IsNullOrEmpty(ghost.GetProperty("error").GetProperty("message").GetString()));
    }

    [Fact]
    public async Task GetScheduleReadsItsParametersWhateverTheirCaseAsTheSdkSendsThemPascalCased()
    {
        await using var sim = await StartAsync();
        var body = """{"Schedules":["alice@sim.example"],"StartTime":{"dateTime":"2026-11-25T09:00:00","timeZone":"UTC"},"EndTime":{"dateTime":"2026-11-25T10:00:00","timeZone":"UTC"},"AvailabilityViewInterval":15}""";

        var (response, json) = await sim.SendAsync(HttpMethod.Post, $"v1.0/users/{AliceId}/calendar/getSchedule", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2222", json.GetProperty("value")[0].GetProperty("availabilityView").GetString());
    }

    [Fact]
    public async Task GetScheduleShowsUtcWithoutThePreferHeader()
    {
        await using var sim = await StartAsync();

        var (_, json) = await sim.SendAsync(
            HttpMethod.Post,
            $"v1.0/users/{AliceId}/calendar/getSchedule",
            Request([AliceMail], "2026-11-25T10:00:00", "2026-11-25T11:00:00", 30, "W. Europe Standard Time"));

        var item = Assert.Single(json.GetProperty("value")[0].GetProperty("scheduleItems").EnumerateArray());
        Assert.Equal("UTC", item.GetProperty("start").GetProperty("timeZone").GetString());
        Assert.Equal("2026-11-25T09:00:00.0000000", item.GetProperty("start").GetProperty("dateTime").GetString());
        Assert.Equal("22", json.GetProperty("value")[0].GetProperty("availabilityView").GetString());
    }

    public static TheoryData<string, object> Invalid() => new()
    {
        { "21 schedules", Request(Enumerable.Range(0, 21).Select(i => $"u{i}@sim.example"), "2026-11-25T08:00:00", "2026-11-25T17:00:00", 30) },
        { "62 days", Request([AliceMail], "2026-11-01T00:00:00", "2027-01-02T00:00:00", 60) },
        { "interval 4", Request([AliceMail], "2026-11-25T08:00:00", "2026-11-25T17:00:00", 4) },
        { "interval 1441", Request([AliceMail], "2026-11-25T08:00:00", "2026-11-25T17:00:00", 1441) },
        { "end before start", Request([AliceMail], "2026-11-25T17:00:00", "2026-11-25T08:00:00", 30) },
        { "no schedules", Request([], "2026-11-25T08:00:00", "2026-11-25T17:00:00", 30) },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task GetScheduleOutsideGraphsLimitsAnswers400(string why, object body)
    {
        await using var sim = await StartAsync();

        var (response, json) = await sim.SendAsync(HttpMethod.Post, $"v1.0/users/{AliceId}/calendar/getSchedule", body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, why);
        GraphErrors.AssertGraphError(json);
    }

    [Fact]
    public async Task GetScheduleAcceptsTwentySchedulesAndAWindowJustUnder62Days()
    {
        await using var sim = await StartAsync();

        var schedules = Enumerable.Range(0, 19).Select(i => $"u{i}@sim.example").Append(AliceMail);
        var (response, json) = await sim.SendAsync(HttpMethod.Post, $"v1.0/users/{AliceId}/calendar/getSchedule", Request(schedules, "2026-11-01T00:00:00", "2027-01-01T23:00:00", 1440));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(20, json.GetProperty("value").GetArrayLength());
        Assert.Equal(62, json.GetProperty("value")[19].GetProperty("availabilityView").GetString()!.Length);
    }
}

using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using static BossTalkCalendar.Api.Tests.Simulator.SimulatorHarness;

namespace BossTalkCalendar.Api.Tests.Simulator;

public sealed partial class CalendarViewWireTests
{
    [Fact]
    public async Task CalendarViewWithoutAWindowAnswers400InGraphsErrorFormat()
    {
        await using var sim = await StartAsync();

        var (response, json) = await sim.GetAsync($"v1.0/users/{AliceId}/calendarView");
        var (halfResponse, halfJson) = await sim.GetAsync($"v1.0/users/{AliceId}/calendar/calendarView?startDateTime=2026-11-23T00:00:00");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ErrorInvalidParameter", GraphErrors.AssertGraphError(json));
        Assert.Equal(HttpStatusCode.BadRequest, halfResponse.StatusCode);
        Assert.Equal("ErrorInvalidParameter", GraphErrors.AssertGraphError(halfJson));
    }

    [Fact]
    public async Task PagesFollowTheAbsoluteNextLinkAndEachPageUsesThePreferZoneItWasAskedWith()
    {
        await using var sim = await StartAsync();
        var url = CalendarViewUrl(AliceMail, Monday.AddDays(1), Monday.AddDays(2), "&$top=10&$select=subject,start,end");

        var pages = new List<(HttpResponseMessage Response, JsonElement Json)>();
        pages.Add(await sim.GetAsync(url, "Pacific Standard Time"));
        var second = pages[0].Json.GetProperty("@odata.nextLink").GetString()!;
        pages.Add(await sim.GetAsync(second, "Pacific Standard Time"));
        var third = pages[1].Json.GetProperty("@odata.nextLink").GetString()!;
        pages.Add(await sim.GetAsync(third));

        Assert.StartsWith(sim.Host.GraphBaseUrl.ToString(), second, StringComparison.Ordinal);
        Assert.Contains("startDateTime=", third, StringComparison.Ordinal);
        Assert.False(pages[2].Json.TryGetProperty("@odata.nextLink", out _));
        Assert.Equal([10, 10, 5], pages.Select(p => p.Json.GetProperty("value").GetArrayLength()));

        var events = pages.SelectMany((p, i) => p.Json.GetProperty("value").EnumerateArray().Select(e => (Page: i, Event: e))).ToList();
        Assert.Equal(25, events.Select(e => e.Event.GetProperty("id").GetString()).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"Block {i:00}"), events.Select(e => e.Event.GetProperty("subject").GetString()));

        foreach (var (page, ev) in events)
        {
            var start = ev.GetProperty("start");
            Assert.Equal(page < 2 ? "Pacific Standard Time" : "UTC", start.GetProperty("timeZone").GetString());
            Assert.Matches(GraphDateTime(), start.GetProperty("dateTime").GetString());
            Assert.Matches(GraphDateTime(), ev.GetProperty("end").GetProperty("dateTime").GetString());
        }

        // Block 00 starts Tuesday 06:00 UTC = 22:00 the evening before in Los Angeles; block 20 is 16:00 UTC.
        Assert.Equal("2026-11-23T22:00:00.0000000", events[0].Event.GetProperty("start").GetProperty("dateTime").GetString());
        Assert.Equal("2026-11-24T16:00:00.0000000", events[20].Event.GetProperty("start").GetProperty("dateTime").GetString());
        Assert.Equal("outlook.timezone=\"Pacific Standard Time\"", Assert.Single(pages[1].Response.Headers.GetValues("Preference-Applied")));
        Assert.False(pages[2].Response.Headers.Contains("Preference-Applied"));
    }

    [Fact]
    public async Task TheWindowHonoursItsOffsetAndWithoutOneIsUtcWhateverThePreferZone()
    {
        await using var sim = await StartAsync();

        // Tuesday 07:00–08:00 UTC written as 08:00–09:00 at +01:00, and as plain UTC with a far-away Prefer zone.
        var withOffset = $"v1.0/users/{AliceId}/calendarView?startDateTime=2026-11-24T08:00:00%2B01:00&endDateTime=2026-11-24T09:00:00%2B01:00";
        var plain = $"v1.0/users/{AliceId}/calendarView?startDateTime=2026-11-24T07:00:00&endDateTime=2026-11-24T08:00:00";
        var (_, a) = await sim.GetAsync(withOffset);
        var (_, b) = await sim.GetAsync(plain, "Tokyo Standard Time");

        string[] expected = ["Block 02", "Block 03"];
        Assert.Equal(expected, a.GetProperty("value").EnumerateArray().Select(e => e.GetProperty("subject").GetString()));
        Assert.Equal(expected, b.GetProperty("value").EnumerateArray().Select(e => e.GetProperty("subject").GetString()));
        Assert.Equal("2026-11-24T16:00:00.0000000", b.GetProperty("value")[0].GetProperty("start").GetProperty("dateTime").GetString());
    }

    [Fact]
    public async Task AnUnknownPreferZoneIsRejectedAsGraphDoes()
    {
        await using var sim = await StartAsync();

        var (response, json) = await sim.GetAsync(CalendarViewUrl(AliceId, Monday, Monday.AddDays(7)), "Mars/Olympus_Mons");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("TimeZoneNotSupportedException", GraphErrors.AssertGraphError(json));
    }

    [Fact]
    public async Task AnIanaPreferZoneIsAcceptedAndEchoed()
    {
        await using var sim = await StartAsync();

        var (response, json) = await sim.GetAsync(CalendarViewUrl(ManagerId, Monday, Monday.AddDays(7)), "Asia/Kolkata");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var start = json.GetProperty("value")[0].GetProperty("start");
        Assert.Equal("Asia/Kolkata", start.GetProperty("timeZone").GetString());
        Assert.Equal("2026-11-26T14:30:00.0000000", start.GetProperty("dateTime").GetString());
    }

    [Fact]
    public async Task ASeededMeetingIsMirroredOntoTheAttendeesCalendarWithTheSameICalUId()
    {
        await using var sim = await StartAsync();

        var window = CalendarViewUrl(AliceId, Monday.AddDays(3), Monday.AddDays(4));
        var (_, alice) = await sim.GetAsync(window);
        var (_, manager) = await sim.GetAsync(CalendarViewUrl(ManagerId, Monday.AddDays(3), Monday.AddDays(4)));

        var attendeeCopy = Assert.Single(alice.GetProperty("value").EnumerateArray());
        var organizerCopy = Assert.Single(manager.GetProperty("value").EnumerateArray());
        Assert.Equal(organizerCopy.GetProperty("iCalUId").GetString(), attendeeCopy.GetProperty("iCalUId").GetString());
        Assert.NotEqual(organizerCopy.GetProperty("id").GetString(), attendeeCopy.GetProperty("id").GetString());
        Assert.True(organizerCopy.GetProperty("isOrganizer").GetBoolean());
        Assert.Equal("organizer", organizerCopy.GetProperty("responseStatus").GetProperty("response").GetString());
        Assert.False(attendeeCopy.GetProperty("isOrganizer").GetBoolean());
        Assert.Equal("tentativelyAccepted", attendeeCopy.GetProperty("responseStatus").GetProperty("response").GetString());
        Assert.Equal("tentative", attendeeCopy.GetProperty("showAs").GetString());
        Assert.Equal(ManagerMail, attendeeCopy.GetProperty("organizer").GetProperty("emailAddress").GetProperty("address").GetString());
        Assert.Equal(AliceMail, Assert.Single(attendeeCopy.GetProperty("attendees").EnumerateArray()).GetProperty("emailAddress").GetProperty("address").GetString());
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}$")]
    private static partial Regex GraphDateTime();
}

using System.Net;
using static BossTalkCalendar.Api.Tests.Simulator.SimulatorHarness;

namespace BossTalkCalendar.Api.Tests.Simulator;

public sealed class EventsWireTests
{
    private const string PropertyId = "String {4b1e0f7a-8c2d-4e6f-9a1b-3c5d7e9f1a2b} Name BossTalkKey";

    private static Dictionary<string, object?> NewEvent(string transactionId, params string[] attendees) => new()
    {
        ["subject"] = "Quiet reflection",
        ["body"] = new { contentType = "html", content = "<p>A few questions for you.</p>" },
        ["start"] = new { dateTime = "2026-11-26T14:00:00", timeZone = "W. Europe Standard Time" },
        ["end"] = new { dateTime = "2026-11-26T14:20:00", timeZone = "W. Europe Standard Time" },
        ["sensitivity"] = "private",
        ["showAs"] = "busy",
        ["categories"] = new[] { "BossTalk" },
        ["isReminderOn"] = true,
        ["reminderMinutesBeforeStart"] = 5,
        ["transactionId"] = transactionId,
        ["singleValueExtendedProperties"] = new[] { new { id = PropertyId, value = "reflection:abc" } },
        ["attendees"] = attendees.Select(a => new { emailAddress = new { address = a }, type = "required" }).ToArray(),
    };

    [Fact]
    public async Task CreatingAnEventAnswers201WithTheEventInThePreferZone()
    {
        await using var sim = await StartAsync();

        var (response, json) = await sim.SendAsync(HttpMethod.Post, $"v1.0/users/{AliceMail}/events", NewEvent("tx-create"), "Europe/Berlin");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("tx-create", json.GetProperty("transactionId").GetString());
        Assert.Equal("2026-11-26T14:00:00.0000000", json.GetProperty("start").GetProperty("dateTime").GetString());
        Assert.Equal("Europe/Berlin", json.GetProperty("start").GetProperty("timeZone").GetString());
        Assert.Equal("private", json.GetProperty("sensitivity").GetString());
        Assert.Equal(5, json.GetProperty("reminderMinutesBeforeStart").GetInt32());
        Assert.Equal("BossTalk", Assert.Single(json.GetProperty("categories").EnumerateArray()).GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("iCalUId").GetString()));
        Assert.EndsWith("Z", json.GetProperty("createdDateTime").GetString(), StringComparison.Ordinal);

        var stored = Assert.Single(sim.Tenant.EventsOf(AliceId), e => e.Id == json.GetProperty("id").GetString());
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 13, 0, 0, TimeSpan.Zero), stored.Start);
        Assert.Equal("reflection:abc", stored.ExtendedProperties[PropertyId]);
    }

    [Fact]
    public async Task ARepeatedPostWithTheSameTransactionIdAnswers201WithTheExistingEventAndCreatesNothing()
    {
        await using var sim = await StartAsync();
        var before = sim.Tenant.EventsOf(AliceId).Count;

        var (first, firstJson) = await sim.SendAsync(HttpMethod.Post, $"v1.0/users/{AliceId}/events", NewEvent("tx-once"));
        var (second, secondJson) = await sim.SendAsync(HttpMethod.Post, $"v1.0/users/{AliceId}/calendar/events", NewEvent("tx-once"));
        var (other, otherJson) = await sim.SendAsync(HttpMethod.Post, $"v1.0/users/{AliceId}/events", NewEvent("tx-other"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        Assert.Equal(firstJson.GetProperty("id").GetString(), secondJson.GetProperty("id").GetString());
        Assert.NotEqual(firstJson.GetProperty("id").GetString(), otherJson.GetProperty("id").GetString());
        Assert.Equal(before + 2, sim.Tenant.EventsOf(AliceId).Count);
    }

    [Fact]
    public async Task InvitingATenantUserPutsATentativeCopyOnTheirCalendarAndAnInvitationInTheirMailbox()
    {
        await using var sim = await StartAsync();

        var (response, json) = await sim.SendAsync(HttpMethod.Post, $"v1.0/users/{AliceId}/events", NewEvent("tx-invite", ManagerMail, "guest@elsewhere.example"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(json.GetProperty("isOrganizer").GetBoolean());
        Assert.All(json.GetProperty("attendees").EnumerateArray(), a => Assert.Equal("none", a.GetProperty("status").GetProperty("response").GetString()));

        var copy = Assert.Single(sim.Tenant.EventsOf(ManagerId), e => e.ICalUId == json.GetProperty("iCalUId").GetString());
        Assert.NotEqual(json.GetProperty("id").GetString(), copy.Id);
        Assert.Equal("notResponded", copy.Response);
        Assert.Equal("tentative", copy.ShowAs);
        Assert.False(copy.IsOrganizer);
        // What the organizer's item carries travels to the invitee's copy inside the tenant (docs/graph.md,
        // "Invitations carry nothing of ours"), which is why the service tags no invitation.
        var organizerItem = Assert.Single(sim.Tenant.EventsOf(AliceId), e => e.Id == json.GetProperty("id").GetString());
        Assert.Equal(organizerItem.ExtendedProperties, copy.ExtendedProperties);
        Assert.Equal(organizerItem.Categories, copy.Categories);

        var invitation = Assert.Single(sim.Tenant.MessagesOf(ManagerId));
        Assert.Equal("meetingRequest", invitation.MeetingMessageType);
        Assert.Equal(copy.Id, invitation.EventId);
        Assert.Equal(AliceMail, invitation.FromMail);
        Assert.Empty(sim.Tenant.MessagesOf(AliceId));
        Assert.Empty(sim.Tenant.MessagesOf(BobId));
    }

    [Fact]
    public async Task OurExtendedPropertyCanBeReadBackWithExpandAndFoundWithFilter()
    {
        await using var sim = await StartAsync();
        var (_, created) = await sim.SendAsync(HttpMethod.Post, $"v1.0/users/{AliceId}/events", NewEvent("tx-prop"));
        var id = created.GetProperty("id").GetString()!;
        var expand = "$expand=" + Uri.EscapeDataString($"singleValueExtendedProperties($filter=id eq '{PropertyId}')");

        var (_, single) = await sim.GetAsync($"v1.0/users/{AliceId}/events/{Uri.EscapeDataString(id)}?{expand}");
        var (_, view) = await sim.GetAsync(CalendarViewUrl(AliceId, Monday.AddDays(3), Monday.AddDays(4), "&" + expand));
        var filter = "$filter=" + Uri.EscapeDataString($"singleValueExtendedProperties/any(ep: ep/id eq '{PropertyId}' and ep/value eq 'reflection:abc')");
        var (_, found) = await sim.GetAsync($"v1.0/users/{AliceId}/events?{filter}");
        var (_, plain) = await sim.GetAsync($"v1.0/users/{AliceId}/events/{Uri.EscapeDataString(id)}");

        Assert.Equal("reflection:abc", Assert.Single(single.GetProperty("singleValueExtendedProperties").EnumerateArray()).GetProperty("value").GetString());
        var ours = Assert.Single(view.GetProperty("value").EnumerateArray(), e => e.GetProperty("id").GetString() == id);
        Assert.Equal(PropertyId, ours.GetProperty("singleValueExtendedProperties")[0].GetProperty("id").GetString());
        Assert.Equal(id, Assert.Single(found.GetProperty("value").EnumerateArray()).GetProperty("id").GetString());
        Assert.False(plain.TryGetProperty("singleValueExtendedProperties", out _));
    }

    [Fact]
    public async Task DeletingAnEventAnswers204AndThenTheEventIsGone()
    {
        await using var sim = await StartAsync();
        var (_, created) = await sim.SendAsync(HttpMethod.Post, $"v1.0/users/{AliceId}/events", NewEvent("tx-delete", ManagerMail));
        var id = Uri.EscapeDataString(created.GetProperty("id").GetString()!);

        var (deleted, _) = await sim.SendAsync(HttpMethod.Delete, $"v1.0/users/{AliceId}/events/{id}");
        var (again, againJson) = await sim.SendAsync(HttpMethod.Delete, $"v1.0/users/{AliceId}/events/{id}");
        var (get, getJson) = await sim.GetAsync($"v1.0/users/{AliceId}/events/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("ErrorItemNotFound", GraphErrors.AssertGraphError(againJson));
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal("ErrorItemNotFound", GraphErrors.AssertGraphError(getJson));
        Assert.True(Assert.Single(sim.Tenant.EventsOf(ManagerId), e => e.ICalUId == created.GetProperty("iCalUId").GetString()).IsCancelled);
        Assert.Contains(sim.Tenant.MessagesOf(ManagerId), m => m.MeetingMessageType == "meetingCancelled");
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"subject":"x","start":{"dateTime":"2026-11-26T14:00:00","timeZone":"Nowhere/Land"},"end":{"dateTime":"2026-11-26T15:00:00","timeZone":"UTC"}}""")]
    [InlineData("""{"subject":"x","start":{"dateTime":"2026-11-26T14:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-11-26T15:00:00","timeZone":"UTC"},"sensitivity":"secret"}""")]
    [InlineData("""{"subject":"x"}""")]
    public async Task AMalformedEventIsRejectedWith400AndNothingIsCreated(string body)
    {
        await using var sim = await StartAsync();
        var before = sim.Tenant.EventsOf(AliceId).Count;

        var (response, json) = await sim.SendAsync(HttpMethod.Post, $"v1.0/users/{AliceId}/events", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        GraphErrors.AssertGraphError(json);
        Assert.Equal(before, sim.Tenant.EventsOf(AliceId).Count);
    }

    [Fact]
    public async Task EventsOfAnUnknownUserAnswer404()
    {
        await using var sim = await StartAsync();

        var (response, json) = await sim.GetAsync("v1.0/users/nobody@sim.example/events");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("ErrorInvalidUser", GraphErrors.AssertGraphError(json));
    }
}

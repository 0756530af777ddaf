using System.Net;
using BossTalkCalendar.GraphSimulator;
using static BossTalkCalendar.Api.Tests.Simulator.SimulatorHarness;

namespace BossTalkCalendar.Api.Tests.Simulator;

/// <summary>Graph behaviours the simulator copies from Microsoft's documentation and reported observations (docs/graph.md).</summary>
public sealed class RealGraphWireTests
{
    private const string PropertyId = "String {4b1e0f7a-8c2d-4e6f-9a1b-3c5d7e9f1a2b} Name BossTalkKey";

    private static Dictionary<string, object?> Block(string transactionId, string subject = "Quiet reflection", string value = "reflection|abc") => new()
    {
        ["subject"] = subject,
        ["body"] = new { contentType = "html", content = "<p>.</p>" },
        ["start"] = new { dateTime = "2026-11-26T14:00:00", timeZone = "UTC" },
        ["end"] = new { dateTime = "2026-11-26T14:20:00", timeZone = "UTC" },
        ["transactionId"] = transactionId,
        ["singleValueExtendedProperties"] = new[] { new { id = PropertyId, value } },
    };

    private static string Filter(string expression) => "$filter=" + Uri.EscapeDataString(expression);

    [Theory]
    [InlineData("subject", "Another subject")]
    [InlineData("value", "reflection|other")]
    public async Task ATransactionIdReusedForADifferentEventIsRefusedWith400(string what, string changed)
    {
        await using var sim = await StartAsync();
        var (first, _) = await sim.SendAsync(HttpMethod.Post, $"v1.0/users/{AliceId}/events", Block("tx-1"));
        var before = sim.Tenant.EventsOf(AliceId).Count;

        var different = what == "subject" ? Block("tx-1", subject: changed) : Block("tx-1", value: changed);
        var (response, json) = await sim.SendAsync(HttpMethod.Post, $"v1.0/users/{AliceId}/events", different);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ErrorDuplicateTransactionId", GraphErrors.AssertGraphError(json));
        Assert.Equal(before, sim.Tenant.EventsOf(AliceId).Count);
    }

    [Fact]
    public async Task TheDocumentedExtendedPropertyFilterMatchesTheValueCaseInsensitivelyAndTheNameCaseSensitively()
    {
        await using var sim = await StartAsync();
        var (_, created) = await sim.SendAsync(HttpMethod.Post, $"v1.0/users/{AliceId}/events", Block("tx-f"));
        var id = created.GetProperty("id").GetString();

        var (_, upper) = await sim.GetAsync($"v1.0/users/{AliceId}/events?" + Filter($"singleValueExtendedProperties/Any(ep: ep/id eq '{PropertyId}' and ep/value eq 'REFLECTION|ABC')"));
        var (_, otherName) = await sim.GetAsync($"v1.0/users/{AliceId}/events?" + Filter($"singleValueExtendedProperties/Any(ep: ep/id eq '{PropertyId.ToLowerInvariant()}' and ep/value eq 'reflection|abc')"));

        var found = Assert.Single(upper.GetProperty("value").EnumerateArray());
        Assert.Equal(id, found.GetProperty("id").GetString());
        // "The response body does not include the extended property" unless it is expanded.
        Assert.False(found.TryGetProperty("singleValueExtendedProperties", out _));
        Assert.Empty(otherName.GetProperty("value").EnumerateArray());
    }

    [Theory]
    [InlineData("events", "singleValueExtendedProperties/Any(ep: ep/id eq '" + PropertyId + "')")]
    [InlineData("events", "singleValueExtendedProperties/Any(ep: ep/value eq 'reflection|abc')")]
    [InlineData("events", "subject eq 'Quiet reflection'")]
    [InlineData("calendarView", "singleValueExtendedProperties/Any(ep: ep/id eq '" + PropertyId + "' and ep/value eq 'reflection|abc')")]
    public async Task OtherFilterFormsAreRefusedWith400(string route, string filter)
    {
        await using var sim = await StartAsync();
        var url = route == "events"
            ? $"v1.0/users/{AliceId}/events?" + Filter(filter)
            : CalendarViewUrl(AliceId, Monday, Monday.AddDays(7), "&" + Filter(filter));

        var (response, json) = await sim.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ErrorInvalidUrlQueryFilter", GraphErrors.AssertGraphError(json));
    }

    [Theory]
    [InlineData("UTC")]
    [InlineData("Tokyo Standard Time")]
    public async Task AnAllDayEventComesBackAsMidnightDatesLabelledWithTheRequestedZone(string preferZone)
    {
        await using var sim = await StartAsync();
        // Bob's day off on Wednesday in Pacific time (UTC-8): 08:00 UTC to 08:00 UTC the next day.
        var start = new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.FromHours(-8));
        sim.Tenant.AddEvent(BobId, new SeedEvent { Subject = "Day off", Start = start, End = start.AddDays(1), OrganizerMail = BobMail, IsAllDay = true, ShowAs = "oof" });

        var (_, json) = await sim.GetAsync(CalendarViewUrl(BobId, Monday, Monday.AddDays(7)), preferZone);

        var dayOff = Assert.Single(json.GetProperty("value").EnumerateArray(), e => e.GetProperty("isAllDay").GetBoolean());
        Assert.Equal("2026-11-25T00:00:00.0000000", dayOff.GetProperty("start").GetProperty("dateTime").GetString());
        Assert.Equal("2026-11-26T00:00:00.0000000", dayOff.GetProperty("end").GetProperty("dateTime").GetString());
        Assert.Equal(preferZone, dayOff.GetProperty("start").GetProperty("timeZone").GetString());
        Assert.Equal(preferZone, dayOff.GetProperty("end").GetProperty("timeZone").GetString());
    }

    [Fact]
    public async Task WithoutThePreferenceIdsAreDefaultIdsThatChangeWhenTheItemMovesAndTheOldOneIs404()
    {
        await using var sim = await StartAsync();
        var (_, created) = await sim.SendAsync(HttpMethod.Post, $"v1.0/users/{AliceId}/events", Block("tx-ids"), immutableIds: false);
        var restId = created.GetProperty("id").GetString()!;
        var stored = Assert.Single(sim.Tenant.EventsOf(AliceId), e => e.TransactionId == "tx-ids");

        var newRestId = sim.Tenant.MoveEventToAnotherFolder(AliceId, stored.Id);
        var (old, oldJson) = await sim.GetAsync($"v1.0/users/{AliceId}/events/{Uri.EscapeDataString(restId)}", immutableIds: false);
        var (current, currentJson) = await sim.GetAsync($"v1.0/users/{AliceId}/events/{Uri.EscapeDataString(newRestId)}", immutableIds: false);
        var (immutable, immutableJson) = await sim.GetAsync($"v1.0/users/{AliceId}/events/{Uri.EscapeDataString(newRestId)}");

        Assert.Equal(stored.RestId, restId);
        Assert.NotEqual(stored.Id, restId);
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
        Assert.Equal("ErrorItemNotFound", GraphErrors.AssertGraphError(oldJson));
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.Equal(newRestId, currentJson.GetProperty("id").GetString());
        // A default id is accepted with the preference too; the answer then carries the immutable id.
        Assert.Equal(HttpStatusCode.OK, immutable.StatusCode);
        Assert.Equal(stored.Id, immutableJson.GetProperty("id").GetString());
    }

    [Fact]
    public async Task HtmlErrorRateAnswers502Or503WithAnHtmlBodyAndNoRetryAfter()
    {
        await using var sim = await StartAsync(new SimulatorOptions { HtmlErrorRate = 1 });

        var (response, json) = await sim.GetAsync(CalendarViewUrl(AliceId, Monday, Monday.AddDays(7)));

        Assert.True(response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable, response.StatusCode.ToString());
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<!DOCTYPE html>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Retry-After"));
        Assert.Equal(default, json.ValueKind);
    }

    [Fact]
    public async Task ALostResponseAnswers504AfterTheWriteWasMade()
    {
        await using var sim = await StartAsync(new SimulatorOptions { LostResponseRate = 1 });
        var before = sim.Tenant.EventsOf(AliceId).Count;

        var (response, _) = await sim.SendAsync(HttpMethod.Post, $"v1.0/users/{AliceId}/events", Block("tx-lost"));
        var (read, _) = await sim.GetAsync(CalendarViewUrl(AliceId, Monday, Monday.AddDays(7)));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(before + 1, sim.Tenant.EventsOf(AliceId).Count);
        Assert.Equal(1, sim.Tenant.RequestLog.LostResponseCount);
    }

    [Fact]
    public async Task ALostResponseCanAlsoDropTheConnectionAfterTheWrite()
    {
        await using var sim = await StartAsync(new SimulatorOptions { LostResponseRate = 1, LostResponseAbortsConnection = true });

        await Assert.ThrowsAsync<HttpRequestException>(() => sim.SendAsync(HttpMethod.Post, $"v1.0/users/{AliceId}/events", Block("tx-dropped")));

        Assert.Single(sim.Tenant.EventsOf(AliceId), e => e.TransactionId == "tx-dropped");
    }
}

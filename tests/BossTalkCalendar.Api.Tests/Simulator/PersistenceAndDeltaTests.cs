using System.Net;
using System.Text.Json;
using BossTalkCalendar.GraphSimulator;
using static BossTalkCalendar.Api.Tests.Simulator.SimulatorHarness;

namespace BossTalkCalendar.Api.Tests.Simulator;

public sealed class PersistenceAndDeltaTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "btc-sim-" + Guid.NewGuid().ToString("N"));

    private static object Block(string transactionId) => new
    {
        subject = "Kept across restarts",
        start = new { dateTime = "2026-11-27T10:00:00", timeZone = "UTC" },
        end = new { dateTime = "2026-11-27T10:30:00", timeZone = "UTC" },
        transactionId,
    };

    [Fact]
    public async Task EventsCreatedBeforeARestartAreStillThereAndTheirTransactionIdStillDeduplicates()
    {
        var stateFile = Path.Combine(_directory, "graph-state.json");
        string id;
        await using (var first = await StartAsync(new SimulatorOptions { StateFile = stateFile }))
        {
            var (response, json) = await first.SendAsync(HttpMethod.Post, $"v1.0/users/{AliceId}/events", Block("tx-restart"));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            id = json.GetProperty("id").GetString()!;

            // Answered only once on disk: the file already holds the event while the host still runs.
            Assert.Contains(id, await File.ReadAllTextAsync(stateFile), StringComparison.Ordinal);
            first.Tenant.SetManager(BobId, null);
        }

        // A different seed: the state file wins, as a real tenant would not forget its calendars.
        var otherSeed = new TenantSeed { TenantId = "other", Users = [User("someone", "Some One", "some@one.example", null, "UTC")] };
        await using var second = await StartAsync(new SimulatorOptions { StateFile = stateFile }, otherSeed);

        var (get, got) = await second.GetAsync($"v1.0/users/{AliceId}/events/{Uri.EscapeDataString(id)}");
        var (again, againJson) = await second.SendAsync(HttpMethod.Post, $"v1.0/users/{AliceId}/events", Block("tx-restart"));
        var (manager, _) = await second.GetAsync($"v1.0/users/{BobId}/manager");

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("Kept across restarts", got.GetProperty("subject").GetString());
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(id, againJson.GetProperty("id").GetString());
        Assert.Single(second.Tenant.EventsOf(AliceId), e => e.TransactionId == "tx-restart");
        Assert.Null(second.Tenant.FindUser("some@one.example"));
        Assert.Equal(HttpStatusCode.NotFound, manager.StatusCode);
        Assert.False(File.Exists(stateFile + ".tmp"));
    }

    [Fact]
    public async Task DeltaReturnsTheWindowInPagesThenOnlyWhatChangedSinceTheDeltaToken()
    {
        await using var sim = await StartAsync();
        var start = Uri.EscapeDataString(Monday.ToString("o"));
        var end = Uri.EscapeDataString(Monday.AddDays(7).ToString("o"));
        var url = $"v1.0/users/{AliceId}/calendarView/delta?startDateTime={start}&endDateTime={end}";

        var (initial, deltaLink) = await SyncAsync(sim, url);
        Assert.Equal(sim.Tenant.EventsOf(AliceId).Select(e => e.Id).Order(), initial.Select(e => e.GetProperty("id").GetString()!).Order());

        var removed = sim.Tenant.EventsOf(AliceId).First(e => e.Subject == "Block 00");
        Assert.Equal(HttpStatusCode.NoContent, (await sim.SendAsync(HttpMethod.Delete, $"v1.0/users/{AliceId}/events/{Uri.EscapeDataString(removed.Id)}")).Response.StatusCode);
        var added = sim.Tenant.AddEvent(AliceId, new SeedEvent { Subject = "New", Start = Monday.AddDays(4).AddHours(9), End = Monday.AddDays(4).AddHours(10), OrganizerMail = AliceMail });
        var outside = sim.Tenant.AddEvent(AliceId, new SeedEvent { Subject = "Next month", Start = Monday.AddDays(40), End = Monday.AddDays(40).AddHours(1), OrganizerMail = AliceMail });

        var (changes, nextDeltaLink) = await SyncAsync(sim, deltaLink);
        var (quiet, _) = await SyncAsync(sim, nextDeltaLink);

        Assert.Equal(3, changes.Count);
        Assert.Equal("New", Assert.Single(changes, c => c.GetProperty("id").GetString() == added).GetProperty("subject").GetString());
        var gone = Assert.Single(changes, c => c.GetProperty("id").GetString() == removed.Id);
        Assert.Equal("deleted", gone.GetProperty("@removed").GetProperty("reason").GetString());

        // As Graph does, a change outside the window comes as a removal: clients must not treat it as a deletion inside.
        var elsewhere = Assert.Single(changes, c => c.GetProperty("id").GetString() == outside);
        Assert.Equal("deleted", elsewhere.GetProperty("@removed").GetProperty("reason").GetString());
        Assert.Empty(quiet);
    }

    /// <summary>Follows nextLinks with a page size of 4 and the zone header on every page; returns the events and the deltaLink.</summary>
    private static async Task<(List<JsonElement> Events, string DeltaLink)> SyncAsync(SimulatorHarness sim, string url)
    {
        var events = new List<JsonElement>();
        for (var pages = 0; pages < 50; pages++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add("Prefer", ["odata.maxpagesize=4", "outlook.timezone=\"Europe/Berlin\"", "IdType=\"ImmutableId\""]);
            using var response = await sim.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            var page = json.GetProperty("value").EnumerateArray().ToList();
            Assert.True(page.Count <= 4);
            Assert.All(page.Where(e => e.TryGetProperty("start", out _)), e => Assert.Equal("Europe/Berlin", e.GetProperty("start").GetProperty("timeZone").GetString()));
            events.AddRange(page);
            if (json.TryGetProperty("@odata.deltaLink", out var delta))
            {
                Assert.Contains("$deltatoken=", delta.GetString(), StringComparison.Ordinal);
                return (events, delta.GetString()!);
            }

            url = json.GetProperty("@odata.nextLink").GetString()!;
            Assert.Contains("$skiptoken=", url, StringComparison.Ordinal);
        }

        throw new InvalidOperationException("The delta round never ended.");
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BossTalkCalendar.GraphSimulator;

namespace BossTalkCalendar.Api.Tests.Simulator;

/// <summary>A simulator on a random loopback port and a plain HttpClient: the wire format, nothing in between.</summary>
internal sealed class SimulatorHarness : IAsyncDisposable
{
    public const string ManagerId = "6f1c0000-0000-4000-8000-000000000001";
    public const string AliceId = "6f1c0000-0000-4000-8000-000000000002";
    public const string BobId = "6f1c0000-0000-4000-8000-000000000003";
    public const string ManagerMail = "morgan@sim.example";
    public const string AliceMail = "alice@sim.example";
    public const string BobMail = "bob@sim.example";

    /// <summary>Monday 23 November 2026, 00:00 UTC: the seeded week starts here.</summary>
    public static readonly DateTimeOffset Monday = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    private SimulatorHarness(GraphSimulatorHost host)
    {
        Host = host;
        Http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
    }

    public GraphSimulatorHost Host { get; }

    public HttpClient Http { get; }

    public SimulatedTenant Tenant => Host.Tenant;

    public static async Task<SimulatorHarness> StartAsync(SimulatorOptions? options = null, TenantSeed? seed = null) =>
        new(await GraphSimulatorHost.StartAsync(seed ?? Seed(), options ?? new SimulatorOptions()));

    /// <summary>
    /// A manager in Berlin with two reports. Alice has 25 half-hour events on Tuesday (for paging), a private one, a
    /// cancelled one and a free one on Wednesday; the manager organizes a one-on-one with Alice on Thursday.
    /// </summary>
    public static TenantSeed Seed()
    {
        var alice = User(AliceId, "Alice Adams", AliceMail, ManagerId, "W. Europe Standard Time");
        for (var i = 0; i < 25; i++)
        {
            var start = Monday.AddDays(1).AddHours(6).AddMinutes(30 * i);
            alice.Events.Add(new SeedEvent { Subject = $"Block {i:00}", Start = start, End = start.AddMinutes(30), OrganizerMail = AliceMail });
        }

        var wednesday = Monday.AddDays(2);
        alice.Events.Add(new SeedEvent { Subject = "Secret", Start = wednesday.AddHours(9), End = wednesday.AddHours(10), OrganizerMail = AliceMail, Sensitivity = "private" });
        alice.Events.Add(new SeedEvent { Subject = "Called off", Start = wednesday.AddHours(11), End = wednesday.AddHours(12), OrganizerMail = AliceMail, IsCancelled = true });
        alice.Events.Add(new SeedEvent { Subject = "Optional talk", Start = wednesday.AddHours(13), End = wednesday.AddHours(14), OrganizerMail = AliceMail, ShowAs = "free" });
        alice.Events.Add(new SeedEvent { Subject = "Offsite", Start = wednesday.AddHours(15), End = wednesday.AddHours(16), OrganizerMail = AliceMail, ShowAs = "oof" });

        var manager = User(ManagerId, "Morgan Manager", ManagerMail, null, "Europe/Berlin");
        var thursday = Monday.AddDays(3);
        manager.Events.Add(new SeedEvent
        {
            Subject = "1:1 Morgan / Alice",
            Start = thursday.AddHours(9),
            End = thursday.AddHours(9).AddMinutes(30),
            OrganizerMail = ManagerMail,
            Attendees = [new SeedAttendee { Mail = AliceMail, Response = "tentativelyAccepted" }],
        });

        var bob = User(BobId, "Bob Brown", BobMail, ManagerId, "Pacific Standard Time");
        bob.WorkingHours = new SeedWorkingHours
        {
            StartTime = "09:00:00",
            EndTime = "17:00:00",
            CustomTimeZone = new SeedCustomTimeZone
            {
                Bias = 480,
                Name = "Customized Time Zone",
                StandardOffset = new SeedStandardTimeZoneOffset { Time = "02:00:00", DayOccurrence = 1, DayOfWeek = "sunday", Month = 11 },
                DaylightOffset = new SeedDaylightTimeZoneOffset { Time = "02:00:00", DayOccurrence = 2, DayOfWeek = "sunday", Month = 3, DaylightBias = -60 },
            },
        };
        return new TenantSeed { TenantId = "sim-tenant", Users = [manager, alice, bob] };
    }

    public static SeedUser User(string id, string name, string mail, string? managerId, string zone) => new()
    {
        Id = id,
        DisplayName = name,
        Mail = mail,
        UserPrincipalName = mail,
        ManagerId = managerId,
        TimeZone = zone,
        WorkingHours = new SeedWorkingHours { TimeZoneName = zone },
    };

    public static string CalendarViewUrl(string user, DateTimeOffset start, DateTimeOffset end, string extra = "") =>
        $"v1.0/users/{user}/calendarView?startDateTime={Uri.EscapeDataString(start.ToString("o"))}&endDateTime={Uri.EscapeDataString(end.ToString("o"))}{extra}";

    /// <summary>
    /// Sends a request as the gateway does: with <c>Prefer: IdType="ImmutableId"</c> (ids comparable with
    /// <see cref="SimEvent.Id"/>) unless <paramref name="immutableIds"/> is false, plus the zone preference if given.
    /// </summary>
    public async Task<(HttpResponseMessage Response, JsonElement Json)> SendAsync(
        HttpMethod method, string url, object? body = null, string? preferZone = null, bool immutableIds = true)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "ignored-by-the-simulator");
        var preferences = new List<string>();
        if (preferZone is not null)
        {
            preferences.Add($"outlook.timezone=\"{preferZone}\"");
        }

        if (immutableIds)
        {
            preferences.Add("IdType=\"ImmutableId\"");
        }

        if (preferences.Count > 0)
        {
            // One Prefer header with a comma-separated list (RFC 7240, section 2).
            request.Headers.TryAddWithoutValidation("Prefer", string.Join(", ", preferences));
        }

        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 || response.Content.Headers.ContentType?.MediaType is not "application/json"
            ? default
            : JsonDocument.Parse(text).RootElement.Clone();
        return (response, json);
    }

    public Task<(HttpResponseMessage Response, JsonElement Json)> GetAsync(string url, string? preferZone = null, bool immutableIds = true) =>
        SendAsync(HttpMethod.Get, url, null, preferZone, immutableIds);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}

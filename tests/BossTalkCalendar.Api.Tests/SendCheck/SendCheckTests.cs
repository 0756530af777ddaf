using System.Net;
using System.Text.Json;
using BossTalkCalendar.Api.Tests.Endpoints;
using BossTalkCalendar.GraphSimulator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace BossTalkCalendar.Api.Tests.SendCheck;

/// <summary>
/// POST /api/v1/send-check over the real service and the simulator. Berlin's one-on-one with the manager ends at
/// 12:20; the test clock starts at 14:00, 100 minutes later.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SendCheckTests
{
    private static readonly Uri SendCheck = new("/api/v1/send-check", UriKind.Relative);

    [Fact]
    public async Task AMessageToTheManagerAloneDuringTheCoolDownSuggestsWaitingWithTheMinutesAndEverythingElseIsQuiet()
    {
        await using var app = await StartAsync(TestTeam.Build());
        await app.ApproveTeamAsync(TestTeam.TenantId, TestTeam.Manager, [TestTeam.Berlin, TestTeam.NewYork]);
        await app.RunSweepAsync();
        using var berlin = app.ClientFor(TestTeam.Berlin);

        // The organisation's 90 minutes have passed.
        Assert.Equal(("quiet", null), await CheckAsync(berlin, "message", TestTeam.Manager.Mail));

        await PutPreferencesAsync(berlin, new { coolDownMinutes = 120 });
        Assert.Equal(("suggestWaiting", 100), await CheckAsync(berlin, "message", TestTeam.Manager.Mail));
        Assert.Equal(("suggestWaiting", 100), await CheckAsync(berlin, "message", TestTeam.Manager.Mail.ToUpperInvariant()));
        Assert.Equal(("suggestWaiting", 100), await CheckAsync(berlin, "appointment", TestTeam.NewYork.Mail, TestTeam.Manager.Mail));

        // Not only to the manager, or not to the manager at all: nothing to say.
        Assert.Equal(("quiet", null), await CheckAsync(berlin, "message", TestTeam.Manager.Mail, TestTeam.NewYork.Mail));
        Assert.Equal(("quiet", null), await CheckAsync(berlin, "message", TestTeam.NewYork.Mail));
        Assert.Equal(("quiet", null), await CheckAsync(berlin, "appointment", TestTeam.NewYork.Mail));

        // The user's own switch.
        await PutPreferencesAsync(berlin, new { sendAlert = false });
        Assert.Equal(("quiet", null), await CheckAsync(berlin, "message", TestTeam.Manager.Mail));
        await PutPreferencesAsync(berlin, new { sendAlert = true });

        // Once the cool-down has passed, quiet again.
        ((FakeTimeProvider)app.Clock).Advance(TimeSpan.FromMinutes(21));
        Assert.Equal(("quiet", null), await CheckAsync(berlin, "message", TestTeam.Manager.Mail));

        // The manager has no manager in the directory: whoever they write to, nothing to say.
        using var manager = app.ClientFor(TestTeam.Manager);
        Assert.Equal(("quiet", null), await CheckAsync(manager, "message", TestTeam.Berlin.Mail));
    }

    [Fact]
    public async Task AOneOnOneMarkedRoughKeepsTheSuggestionForADayAfterTheCoolDown()
    {
        await using var app = await StartAsync(TestTeam.Build());
        await app.ApproveTeamAsync(TestTeam.TenantId, TestTeam.Manager, [TestTeam.Berlin]);
        await app.RunSweepAsync();
        using var berlin = app.ClientFor(TestTeam.Berlin);
        Assert.Equal(("quiet", null), await CheckAsync(berlin, "message", TestTeam.Manager.Mail));

        var oneOnOne = Assert.Single(app.Graph.Tenant.EventsOf(TestTeam.Berlin.Id), e => !e.IsOrganizer && e.Start == TestTeam.At(11, 50)).Id;
        using (var rough = await berlin.PutAsync(new Uri($"/api/v1/meetings/{Uri.EscapeDataString(oneOnOne)}/outcome", UriKind.Relative), ApiAssert.Body(new { outcome = "rough" })))
        {
            await ApiAssert.JsonAsync(rough, HttpStatusCode.OK);
        }

        Assert.Equal(("suggestWaiting", 100), await CheckAsync(berlin, "message", TestTeam.Manager.Mail));

        // The prep block is placed (and the answer erased): still rough, as the prep block shows.
        await app.UntilQueuesDrainAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(("suggestWaiting", 100), await CheckAsync(berlin, "message", TestTeam.Manager.Mail));

        ((FakeTimeProvider)app.Clock).Advance(TimeSpan.FromHours(23));
        Assert.Equal(("quiet", null), await CheckAsync(berlin, "message", TestTeam.Manager.Mail));
    }

    [Fact]
    public async Task AOneOnOneThatEndedSinceTheLastScanIsFoundInTheCalendar()
    {
        await using var app = await StartAsync(TestTeam.Build());
        await app.ApproveTeamAsync(TestTeam.TenantId, TestTeam.Manager, [TestTeam.Berlin]);
        using var berlin = app.ClientFor(TestTeam.Berlin);
        await PutPreferencesAsync(berlin, new { coolDownMinutes = 120 });

        Assert.Equal(("suggestWaiting", 100), await CheckAsync(berlin, "message", TestTeam.Manager.Mail));
        Assert.Empty(await app.NudgesAsync());
    }

    [Fact]
    public async Task WithAnyoneAsCounterpartOnlyTheLastOneOnOneWithTheManagerCounts()
    {
        // Berlin also had a one-on-one with a colleague, 12:40-13:00, later than the one with the manager.
        var tenant = TestTeam.Builder().OneOnOne(TestTeam.NewYork, TestTeam.Berlin, TestTeam.At(12, 40), TestTeam.At(13, 0));
        await using var app = await StartAsync(tenant.Build());
        await app.ApproveTeamAsync(TestTeam.TenantId, TestTeam.Manager, [TestTeam.Berlin]);
        using var berlin = app.ClientFor(TestTeam.Berlin);
        await PutPreferencesAsync(berlin, new { counterpart = "anyOne", coolDownMinutes = 120 });
        await app.RunSweepAsync();
        Assert.Equal(2, (await app.NudgesAsync()).Count(n => n.UserId == TestTeam.Berlin.Id && n.Kind == Core.Nudges.NudgeKind.Reflection));

        Assert.Equal(("suggestWaiting", 100), await CheckAsync(berlin, "message", TestTeam.Manager.Mail));
        Assert.Equal(("quiet", null), await CheckAsync(berlin, "message", TestTeam.NewYork.Mail));
    }

    [Fact]
    public async Task SomeoneNotEnrolledOrOptedOutHearsNothing()
    {
        await using var app = await StartAsync(TestTeam.Build());
        using var berlin = app.ClientFor(TestTeam.Berlin);
        Assert.Equal(("quiet", null), await CheckAsync(berlin, "message", TestTeam.Manager.Mail));

        await app.ApproveTeamAsync(TestTeam.TenantId, TestTeam.Manager, [TestTeam.Berlin]);
        await PutPreferencesAsync(berlin, new { coolDownMinutes = 120 });
        Assert.Equal(("suggestWaiting", 100), await CheckAsync(berlin, "message", TestTeam.Manager.Mail));
        using (var optOut = await berlin.PostAsync(new Uri("/api/v1/me/opt-out", UriKind.Relative), null))
        {
            await ApiAssert.JsonAsync(optOut, HttpStatusCode.OK);
        }

        Assert.Equal(("quiet", null), await CheckAsync(berlin, "message", TestTeam.Manager.Mail));
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"kind":"letter","recipients":["a@b.test"]}""", "kind" },
        { """{"recipients":["a@b.test"]}""", "kind" },
        { """{"kind":"message"}""", "recipients" },
        { """{"kind":"message","recipients":[]}""", "recipients" },
        { """{"kind":"message","recipients":["not an address"]}""", "recipients" },
        { """{"kind":"message","recipients":["@b.test"]}""", "recipients" },
        { "{\"kind\":\"message\",\"recipients\":[\"" + new string('a', 320) + "@b.test\"]}", "recipients" },
        { "{\"kind\":\"appointment\",\"recipients\":[" + string.Join(',', Enumerable.Range(0, 51).Select(i => $"\"p{i}@b.test\"")) + "]}", "recipients" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task BadInputIsA400ProblemAndChangesNothing(string body, string field)
    {
        await using var app = await StartAsync(TestTeam.Build());
        await app.ApproveTeamAsync(TestTeam.TenantId, TestTeam.Manager, [TestTeam.Berlin]);
        var before = await UsersTextAsync(app);
        using var berlin = app.ClientFor(TestTeam.Berlin);

        using var response = await berlin.PostAsync(SendCheck, ApiAssert.RawJson(body));

        await ApiAssert.ValidationProblemAsync(response, field);
        Assert.Equal(before, await UsersTextAsync(app));
        Assert.Empty(await app.NudgesAsync());
    }

    [Fact]
    public async Task UnknownFieldsSuchAsASubjectAreRefused()
    {
        await using var app = await StartAsync(TestTeam.Build());
        using var berlin = app.ClientFor(TestTeam.Berlin);

        using var response = await berlin.PostAsync(SendCheck, ApiAssert.RawJson("""{"kind":"message","recipients":["a@b.test"],"subject":"hello"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static Task<BossTalkCalendarApplication> StartAsync(TenantSeed seed) =>
        BossTalkCalendarApplication.StartAsync(seed, new FakeTimeProvider(TestTeam.Now), new Dictionary<string, string?> { ["Jobs:PollInterval"] = "00:00:00.25" });

    private static async Task<(string? Verdict, int? Minutes)> CheckAsync(HttpClient client, string kind, params string[] recipients)
    {
        using var response = await client.PostAsync(SendCheck, ApiAssert.Body(new { kind, recipients }));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var answer = await ApiAssert.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(["verdict", "minutesSinceMeeting"], answer.EnumerateObject().Select(p => p.Name).ToArray());
        var minutes = answer.GetProperty("minutesSinceMeeting");
        return (answer.GetProperty("verdict").GetString(), minutes.ValueKind == JsonValueKind.Null ? null : minutes.GetInt32());
    }

    private static async Task PutPreferencesAsync(HttpClient client, object preferences)
    {
        using var response = await client.PutAsync(new Uri("/api/v1/me/preferences", UriKind.Relative), ApiAssert.Body(preferences));
        await ApiAssert.JsonAsync(response, HttpStatusCode.OK);
    }

    private static async Task<string> UsersTextAsync(BossTalkCalendarApplication app)
    {
        await using var db = await app.CreateDbContextAsync();
        return JsonSerializer.Serialize(await db.EnrolledUsers.AsNoTracking().OrderBy(u => u.UserId).ToListAsync());
    }
}

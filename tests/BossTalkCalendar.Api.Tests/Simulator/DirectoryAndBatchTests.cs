using System.Net;
using static BossTalkCalendar.Api.Tests.Simulator.SimulatorHarness;

namespace BossTalkCalendar.Api.Tests.Simulator;

public sealed class DirectoryAndBatchTests
{
    [Fact]
    public async Task UsersPageWithAnAbsoluteNextLinkAndHonourSelect()
    {
        await using var sim = await StartAsync();

        var (_, first) = await sim.GetAsync("v1.0/users?$top=2&$select=id,mail");
        var (_, second) = await sim.GetAsync(first.GetProperty("@odata.nextLink").GetString()!);

        Assert.Equal(2, first.GetProperty("value").GetArrayLength());
        Assert.Equal(1, second.GetProperty("value").GetArrayLength());
        Assert.False(second.TryGetProperty("@odata.nextLink", out _));
        var user = first.GetProperty("value")[0];
        Assert.Equal(["id", "mail"], user.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task ManagerAndDirectReportsAnswerAsDirectoryObjects()
    {
        await using var sim = await StartAsync();

        var (_, manager) = await sim.GetAsync($"v1.0/users/{AliceMail}/manager");
        var (noManager, noManagerJson) = await sim.GetAsync($"v1.0/users/{ManagerId}/manager");
        var (_, reports) = await sim.GetAsync($"v1.0/users/{ManagerId}/directReports");
        var (unknown, unknownJson) = await sim.GetAsync("v1.0/users/nobody@sim.example");

        Assert.Equal("#microsoft.graph.user", manager.GetProperty("@odata.type").GetString());
        Assert.Equal(ManagerId, manager.GetProperty("id").GetString());
        Assert.Equal(ManagerMail, manager.GetProperty("mail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, noManager.StatusCode);
        Assert.Equal("Request_ResourceNotFound", GraphErrors.AssertGraphError(noManagerJson));
        Assert.Equal([AliceId, BobId], reports.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("id").GetString()).Order());
        Assert.All(reports.GetProperty("value").EnumerateArray(), r => Assert.Equal("#microsoft.graph.user", r.GetProperty("@odata.type").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("Request_ResourceNotFound", GraphErrors.AssertGraphError(unknownJson));
    }

    [Fact]
    public async Task MailboxSettingsCarryTheZoneAndWorkingHoursAsOutlookWritesThem()
    {
        await using var sim = await StartAsync();

        var (_, settings) = await sim.GetAsync($"v1.0/users/{AliceId}/mailboxSettings");

        Assert.Equal("W. Europe Standard Time", settings.GetProperty("timeZone").GetString());
        var hours = settings.GetProperty("workingHours");
        Assert.Equal(["monday", "tuesday", "wednesday", "thursday", "friday"], hours.GetProperty("daysOfWeek").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("08:00:00.0000000", hours.GetProperty("startTime").GetString());
        Assert.Equal("W. Europe Standard Time", hours.GetProperty("timeZone").GetProperty("name").GetString());
        Assert.Equal("disabled", settings.GetProperty("automaticRepliesSetting").GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(settings.GetProperty("dateFormat").GetString()));
        // localeInfo as Graph writes it; a seed that names no locale reads as a new mailbox's default.
        Assert.Equal("en-US", settings.GetProperty("language").GetProperty("locale").GetString());
        Assert.Equal("English (United States)", settings.GetProperty("language").GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task ABatchRunsEachRequestThroughTheSameRoutingAndCountsEachOne()
    {
        await using var sim = await StartAsync();
        sim.Tenant.ForbiddenMailboxes.Add(BobId);
        sim.Tenant.RequestLog.Reset();
        var view = CalendarViewUrl(AliceId, Monday, Monday.AddDays(7), "&$top=3")["v1.0".Length..];

        var (response, json) = await sim.SendAsync(HttpMethod.Post, "v1.0/$batch", new
        {
            requests = new object[]
            {
                new { id = "1", method = "GET", url = view, headers = new Dictionary<string, string> { ["Prefer"] = "outlook.timezone=\"Tokyo Standard Time\"" } },
                new { id = "2", method = "GET", url = $"/users/{BobId}/mailboxSettings" },
                new { id = "3", method = "GET", url = $"users/{AliceId}/manager" },
                new { id = "4", method = "GET", url = "/users/x/nowhere" },
            },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var byId = json.GetProperty("responses").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString()!);
        Assert.Equal(200, byId["1"].GetProperty("status").GetInt32());
        Assert.Equal(3, byId["1"].GetProperty("body").GetProperty("value").GetArrayLength());
        Assert.Equal("Tokyo Standard Time", byId["1"].GetProperty("body").GetProperty("value")[0].GetProperty("start").GetProperty("timeZone").GetString());
        Assert.StartsWith(sim.Host.GraphBaseUrl.ToString(), byId["1"].GetProperty("body").GetProperty("@odata.nextLink").GetString(), StringComparison.Ordinal);
        Assert.Equal(403, byId["2"].GetProperty("status").GetInt32());
        Assert.Equal(200, byId["3"].GetProperty("status").GetInt32());
        Assert.Equal(ManagerId, byId["3"].GetProperty("body").GetProperty("id").GetString());
        Assert.Equal(404, byId["4"].GetProperty("status").GetInt32());

        Assert.Equal(5, sim.Tenant.RequestLog.TotalCount);
        Assert.Equal(1, sim.Tenant.RequestLog.Count("POST", "/$batch", 200));
        Assert.Equal(1, sim.Tenant.RequestLog.Count("GET", "/users/{id}/mailboxSettings", 403));

        // Again per user named in the path (the hour benchmark's cohorts); the envelope and the unmatched route name nobody.
        var alice = sim.Tenant.RequestLog.SnapshotOfUsers(id => string.Equals(id, AliceId, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(2, alice.Values.Sum());
        Assert.Equal(1, alice[new("GET", "/users/{id}/manager", 200)]);
        Assert.Equal(1, sim.Tenant.RequestLog.SnapshotOfUsers(id => string.Equals(id, BobId, StringComparison.OrdinalIgnoreCase)).Values.Sum());
        Assert.Equal(3, sim.Tenant.RequestLog.SnapshotOfUsers(_ => true).Values.Sum());
    }

    [Fact]
    public async Task ABatchOfMoreThanTwentyRequestsIsRejected()
    {
        await using var sim = await StartAsync();
        var requests = Enumerable.Range(1, 21).Select(i => new { id = i.ToString(System.Globalization.CultureInfo.InvariantCulture), method = "GET", url = $"/users/{AliceId}" });

        var (response, json) = await sim.SendAsync(HttpMethod.Post, "v1.0/$batch", new { requests });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        GraphErrors.AssertGraphError(json);
        Assert.Equal(1, sim.Tenant.RequestLog.TotalCount);
    }

    [Fact]
    public async Task BatchItemsOnOneMailboxCanBeThrottledIndividually()
    {
        await using var sim = await StartAsync(new BossTalkCalendar.GraphSimulator.SimulatorOptions { AddedLatency = TimeSpan.FromMilliseconds(300) });
        var requests = Enumerable.Range(1, 6).Select(i => new { id = i.ToString(System.Globalization.CultureInfo.InvariantCulture), method = "GET", url = $"/users/{AliceId}/mailboxSettings" });

        var (response, json) = await sim.SendAsync(HttpMethod.Post, "v1.0/$batch", new { requests });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var statuses = json.GetProperty("responses").EnumerateArray().Select(r => r.GetProperty("status").GetInt32()).ToList();
        Assert.Equal(4, statuses.Count(s => s == 200));
        Assert.Equal(2, statuses.Count(s => s == 429));
        Assert.All(
            json.GetProperty("responses").EnumerateArray().Where(r => r.GetProperty("status").GetInt32() == 429),
            r => Assert.Equal("1", r.GetProperty("headers").GetProperty("Retry-After").GetString()));
    }
}

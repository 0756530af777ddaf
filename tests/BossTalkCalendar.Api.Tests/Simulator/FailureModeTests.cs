using System.Net;
using BossTalkCalendar.GraphSimulator;
using static BossTalkCalendar.Api.Tests.Simulator.SimulatorHarness;

namespace BossTalkCalendar.Api.Tests.Simulator;

public sealed class FailureModeTests
{
    [Fact]
    public async Task AFifthConcurrentRequestOnOneMailboxGets429WithRetryAfterWhileOtherMailboxesAreServed()
    {
        await using var sim = await StartAsync(new SimulatorOptions { AddedLatency = TimeSpan.FromMilliseconds(600) });
        var url = CalendarViewUrl(AliceId, Monday, Monday.AddDays(7));

        var onAlice = Enumerable.Range(0, 7).Select(_ => sim.GetAsync(url)).ToList();
        var onManager = sim.GetAsync(CalendarViewUrl(ManagerId, Monday, Monday.AddDays(7)));
        var results = await Task.WhenAll(onAlice);

        var throttled = results.Where(r => r.Response.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(4, results.Count(r => r.Response.StatusCode == HttpStatusCode.OK));
        Assert.Equal(3, throttled.Count);
        foreach (var (response, json) in throttled)
        {
            GraphErrors.AssertRetryAfter(response, HttpStatusCode.TooManyRequests);
            Assert.Equal("ApplicationThrottled", GraphErrors.AssertGraphError(json));
            Assert.Equal("Application is over its MailboxConcurrency limit.", json.GetProperty("error").GetProperty("message").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, (await onManager).Response.StatusCode);
        Assert.True(sim.Tenant.RequestLog.PeakConcurrency(AliceId) >= 5);
        Assert.Equal(1, sim.Tenant.RequestLog.PeakConcurrency(ManagerId));
        Assert.Equal(3, sim.Tenant.RequestLog.ThrottledCount);
        Assert.Equal(3, sim.Tenant.RequestLog.Count("GET", "/users/{id}/calendarView", 429));
        Assert.Equal(5, sim.Tenant.RequestLog.Count("GET", "/users/{id}/calendarView", 200));
    }

    [Fact]
    public async Task TheAppWideRateLimitAnswers429WithRetryAfterInWholeSeconds()
    {
        await using var sim = await StartAsync(new SimulatorOptions { RequestsPerSecond = 2 });

        var results = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++)
        {
            results.Add((await sim.GetAsync($"v1.0/users/{AliceId}")).Response);
        }

        var throttled = results.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(throttled);
        Assert.Equal(HttpStatusCode.OK, results[0].StatusCode);
        Assert.All(throttled, r => GraphErrors.AssertRetryAfter(r, HttpStatusCode.TooManyRequests));

        sim.Host.Options.RequestsPerSecond = 0;
        Assert.Equal(HttpStatusCode.OK, (await sim.GetAsync($"v1.0/users/{AliceId}")).Response.StatusCode);
    }

    [Fact]
    public async Task FailureRateAnswers503WithRetryAfterAndCanBeToggledOnTheLiveHost()
    {
        await using var sim = await StartAsync();
        var url = CalendarViewUrl(AliceId, Monday, Monday.AddDays(7));

        sim.Host.Options.FailureRate = 1.0;
        var (failed, json) = await sim.GetAsync(url);
        sim.Host.Options.FailureRate = 0;
        var (healthy, _) = await sim.GetAsync(url);

        GraphErrors.AssertRetryAfter(failed, HttpStatusCode.ServiceUnavailable);
        GraphErrors.AssertGraphError(json);
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.Equal(1, sim.Tenant.RequestLog.Count("GET", "/users/{id}/calendarView", 503));
    }

    [Fact]
    public async Task AFractionalFailureRateFailsSomeRequestsAndServesTheRest()
    {
        await using var sim = await StartAsync(new SimulatorOptions { FailureRate = 0.3, RandomSeed = 7 });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 60; i++)
        {
            statuses.Add((await sim.GetAsync($"v1.0/users/{AliceId}/mailboxSettings")).Response.StatusCode);
        }

        Assert.InRange(statuses.Count(s => s == HttpStatusCode.ServiceUnavailable), 6, 36);
        Assert.Equal(60, statuses.Count(s => s is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable));
    }

    [Fact]
    public async Task AForbiddenMailboxAnswers403ButTheDirectoryStillAnswers()
    {
        await using var sim = await StartAsync();
        sim.Tenant.ForbiddenMailboxes.Add(AliceId);

        var (view, viewJson) = await sim.GetAsync(CalendarViewUrl(AliceMail, Monday, Monday.AddDays(7)));
        var (settings, _) = await sim.GetAsync($"v1.0/users/{AliceId}/mailboxSettings");
        var (create, _) = await sim.SendAsync(HttpMethod.Post, $"v1.0/users/{AliceId}/events", new { subject = "x" });
        var (user, _) = await sim.GetAsync($"v1.0/users/{AliceId}");
        var (manager, _) = await sim.GetAsync($"v1.0/users/{AliceId}/manager");

        Assert.Equal(HttpStatusCode.Forbidden, view.StatusCode);
        Assert.Equal("ErrorAccessDenied", GraphErrors.AssertGraphError(viewJson));
        Assert.Equal("Access to OData is disabled.", viewJson.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, settings.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.OK, user.StatusCode);
        Assert.Equal(HttpStatusCode.OK, manager.StatusCode);

        sim.Tenant.ForbiddenMailboxes.Remove(AliceId);
        Assert.Equal(HttpStatusCode.OK, (await sim.GetAsync($"v1.0/users/{AliceId}/mailboxSettings")).Response.StatusCode);
    }

    [Fact]
    public async Task AnUnknownRouteAnswers404InGraphsErrorFormat()
    {
        await using var sim = await StartAsync();

        var (unknown, json) = await sim.GetAsync($"v1.0/users/{AliceId}/todo/lists");
        var (beta, _) = await sim.GetAsync($"beta/users/{AliceId}");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        GraphErrors.AssertGraphError(json);
        Assert.Equal(HttpStatusCode.NotFound, beta.StatusCode);
        Assert.Equal(2, sim.Tenant.RequestLog.Count("GET", "(unmatched)", 404));
    }
}

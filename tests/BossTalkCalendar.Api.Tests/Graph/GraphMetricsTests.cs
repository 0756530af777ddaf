using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using BossTalkCalendar.Core.Graph;
using BossTalkCalendar.Graph;
using static BossTalkCalendar.Api.Tests.Graph.GraphTestTenant;

namespace BossTalkCalendar.Api.Tests.Graph;

public sealed class GraphMetricsTests
{
    [Theory]
    [InlineData("https://graph.microsoft.com/v1.0/users/a0000000-0000-0000-0000-00000000000a/calendarView?startDateTime=x", "users/{id}/calendarView")]
    [InlineData("https://graph.microsoft.com/v1.0/users/alice%40contoso.test/events/AAMkAG%3D%3D", "users/{id}/events/{id}")]
    [InlineData("https://graph.microsoft.com/v1.0/users/a0000000-0000-0000-0000-00000000000a/calendar/getSchedule", "users/{id}/calendar/getSchedule")]
    [InlineData("https://graph.microsoft.com/v1.0/users/bob/calendarView/delta()", "users/{id}/calendarView/delta")]
    [InlineData("https://graph.microsoft.com/v1.0/$batch", "$batch")]
    [InlineData("http://127.0.0.1:5180/v1.0/users/alice/manager", "users/{id}/manager")]
    public void RouteOf_KeepsGraphsShapeAndHidesIds_ForGraphUrls(string url, string expected) =>
        Assert.Equal(expected, GraphMetrics.RouteOf(new Uri(url)));

    [Fact]
    public async Task EveryGraphRequestIsCountedByRouteTemplateAndStatusAndA429AlsoAsThrottled()
    {
        var requests = new ConcurrentBag<(string Route, string Status)>();
        var throttled = new ConcurrentBag<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == GraphMetrics.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            var route = "";
            var status = "";
            foreach (var tag in tags)
            {
                route = tag.Key == "route" ? (string)tag.Value! : route;
                status = tag.Key == "status" ? (string)tag.Value! : status;
            }

            if (instrument.Name == GraphMetrics.RequestsInstrument)
            {
                requests.Add((route, status));
            }
            else if (instrument.Name == GraphMetrics.ThrottledInstrument)
            {
                throttled.Add(route);
            }
        });
        listener.Start();

        await using var env = await GraphTestEnvironment.StartAsync();
        await env.Gateway.GetManagerAsync(AliceId, CancellationToken.None);
        Assert.Null(await env.Gateway.GetEventAsync(AliceId, "no-such-event", CancellationToken.None));

        env.Simulator.Options.RequestsPerSecond = 1;
        GatewayException? limited = null;
        for (var i = 0; i < 10 && limited is null; i++)
        {
            try
            {
                await env.Gateway.GetDirectReportsAsync(AliceId, CancellationToken.None);
            }
            catch (GatewayException ex) when (ex.Failure == GatewayFailure.Throttled)
            {
                limited = ex;
            }
        }

        Assert.NotNull(limited);
        Assert.Contains(("users/{id}", "200"), requests);
        Assert.Contains(("users/{id}/events/{id}", "404"), requests);
        Assert.Contains(("users/{id}/directReports", "429"), requests);
        Assert.Contains("users/{id}/directReports", throttled);
        Assert.DoesNotContain(requests, r => r.Route.Contains(AliceId, StringComparison.OrdinalIgnoreCase) || r.Route.Contains("no-such-event", StringComparison.Ordinal));
    }
}

using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Rollout;
using BossTalkCalendar.GraphSimulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BossTalkCalendar.Api.Tests.Jobs;

/// <summary>
/// The jobs' own instruments, read the way an OpenTelemetry exporter reads them: a sweep shows up as scans by outcome,
/// job runs by kind and outcome, and nudges settled by state, with kinds, states and reason codes as the only tags.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class JobMetricsTests
{
    [Fact]
    public async Task ASweepIsCountedAsScansJobRunsAndSettledNudgesWithoutAnyUserInTheTags()
    {
        var measurements = new ConcurrentBag<(string Instrument, long Value, Dictionary<string, string> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == JobMetrics.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            measurements.Add((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString() ?? ""))));
        listener.Start();

        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await GraphSimulatorHost.StartAsync(TestTeam.Build(), new SimulatorOptions { Port = 0, TimeProvider = clock });
        graph.Tenant.ForbiddenMailboxes.Add(TestTeam.Forbidden.Id);
        await using var app = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, new Dictionary<string, string?>());
        await app.Services.GetRequiredService<TeamRollout>()
            .ApproveAsync(TestTeam.TenantId, TestTeam.Manager.Id, TestTeam.Manager.Id, [.. TestTeam.Reports.Select(m => m.Id)], CancellationToken.None);
        await app.RunSweepAsync();

        var placed = (await app.NudgesAsync()).Count(n => n.State == NudgeState.Placed);
        Assert.True(placed >= 2, "The test team has at least two members due a reflection.");
        long Sum(string instrument, string tag, string value) =>
            measurements.Where(m => m.Instrument == instrument && m.Tags.GetValueOrDefault(tag) == value).Sum(m => m.Value);

        // Other tests in this process only run before or after this one (one collection), so exact counts hold.
        Assert.Equal(TestTeam.Reports.Count - 1, Sum(JobMetrics.ScansInstrument, "outcome", "ok"));
        Assert.Equal(1, Sum(JobMetrics.ScansInstrument, "outcome", "graph-forbidden"));
        Assert.Equal(placed, Sum(JobMetrics.NudgesInstrument, "state", nameof(NudgeState.Placed)));
        Assert.Contains(measurements, m => m.Instrument == JobMetrics.JobsInstrument
            && m.Tags.GetValueOrDefault("kind") == "ScanUsersJob" && m.Tags.GetValueOrDefault("outcome") == "succeeded");
        Assert.Contains(measurements, m => m.Instrument == JobMetrics.JobsInstrument
            && m.Tags.GetValueOrDefault("kind") == "PlaceNudgesJob" && m.Tags.GetValueOrDefault("outcome") == "succeeded");

        var ids = TestTeam.Reports.Select(m => m.Id).Append(TestTeam.Manager.Id).ToList();
        Assert.All(measurements.SelectMany(m => m.Tags.Values), value => Assert.DoesNotContain(value, ids));
    }
}

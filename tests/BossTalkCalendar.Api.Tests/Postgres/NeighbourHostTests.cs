using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Rollout;
using BossTalkCalendar.GraphSimulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BossTalkCalendar.Api.Tests.Postgres;

/// <summary>
/// Hangfire logs through one process-wide provider, and Hangfire.PostgreSql asks it for a logger each time a worker
/// fetches a job, after the fetch is committed. A host that started after this one and has stopped must not break
/// that: a fetch that throws leaves its job fetched and invisible for the invisibility timeout (5 min), which is how
/// SerialPlacementTests' two instances stalled with 16 jobs fetched and none processing (n5, 2026-12-07) while the
/// preflight tests started and stopped hosts of their own in parallel.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class NeighbourHostTests
{
    [Fact]
    public async Task AHostThatStartedLaterAndStoppedLeavesThisHostsPostgreSqlJobsRunning()
    {
        using var data = new TempDirectory();
        using var neighbourData = new TempDirectory();
        await using var storage = await TestStorage.CreateAsync(StorageOptions.PostgreSqlProvider);
        var clock = new FakeTimeProvider(TestTeam.Now);
        var tenant = RandomTenant.Build(new Random(3), TestTeam.Now, memberCount: 10);
        await using var graph = await GraphSimulatorHost.StartAsync(tenant.Seed, new SimulatorOptions { Port = 0, TimeProvider = clock });
        var settings = new Dictionary<string, string?> { ["Jobs:PollInterval"] = "00:00:00.25" };
        await using var service = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, storage.With(settings));
        _ = service.Services;

        // Another service in the same process, started after this one (so Hangfire's process-wide provider is its
        // logger factory) and stopped, as a parallel test's host is.
        var neighbour = new BossTalkCalendarApplication(neighbourData.Path, clock, graph.GraphBaseUrl, settings);
        _ = neighbour.Services;
        await neighbour.DisposeAsync();

        await service.Services.GetRequiredService<TeamRollout>()
            .ApproveAsync(TestTeam.TenantId, tenant.ManagerId, tenant.ManagerId, [.. tenant.Members.Select(m => m.Member.Id)], CancellationToken.None);
        await service.RunSweepAsync(TimeSpan.FromSeconds(60));
        await service.UntilQueuesDrainAsync(TimeSpan.FromSeconds(30));

        CalendarAssert.EachDueReflectionOnceOverlappingNothing(graph, tenant);
    }
}

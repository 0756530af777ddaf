using System.Diagnostics;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Rollout;
using BossTalkCalendar.GraphSimulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace BossTalkCalendar.Api.Tests.Postgres;

/// <summary>
/// Scale-out: two service instances on one PostgreSQL database, both running Hangfire servers, sweep the same
/// tenant at the same moment. The judge is the simulator's calendars, not our database.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class TwoInstanceSweepTests(ITestOutputHelper output)
{
    private const int MemberCount = 500;
    private const int ManagerCount = 5;
    private static readonly TimeSpan CoolDown = TimeSpan.FromMinutes(90);

    [Fact]
    public async Task TwoInstancesSweepingFiveHundredUsersTogetherPlaceEveryDueReflectionExactlyOnce()
    {
        using var firstData = new TempDirectory();
        using var secondData = new TempDirectory();
        await using var storage = await TestStorage.CreateAsync(StorageOptions.PostgreSqlProvider);
        var clock = new FakeTimeProvider(TestTeam.Now);
        var tenant = LargeTenant.Build(MemberCount, ManagerCount);
        await using var graph = await GraphSimulatorHost.StartAsync(
            tenant.Seed,
            new SimulatorOptions { Port = 0, TimeProvider = clock, MailboxConcurrencyLimit = 4 });

        var settings = new Dictionary<string, string?>
        {
            ["Jobs:WorkerCount"] = "6",
            ["Jobs:PollInterval"] = "00:00:00.5",
        };
        await using var first = new BossTalkCalendarApplication(firstData.Path, clock, graph.GraphBaseUrl, storage.With(settings, "first"));
        await using var second = new BossTalkCalendarApplication(secondData.Path, clock, graph.GraphBaseUrl, storage.With(settings, "second"));
        _ = first.Services;
        _ = second.Services;

        // Each manager approves their team, which enrols its members.
        var rollout = first.Services.GetRequiredService<TeamRollout>();
        foreach (var team in tenant.Members.GroupBy(m => m.ManagerId))
        {
            await rollout.ApproveAsync(TestTeam.TenantId, team.Key, team.Key, [.. team.Select(m => m.Member.Id)], CancellationToken.None);
        }

        var watch = Stopwatch.StartNew();
        var timeout = TimeSpan.FromSeconds(80);
        await Task.WhenAll(first.RunSweepAsync(timeout), second.RunSweepAsync(timeout));
        await first.UntilQueuesDrainAsync(timeout - watch.Elapsed);
        watch.Stop();

        var due = tenant.Members.Where(m => m.Due).ToList();
        var placed = 0;
        var duplicates = 0;
        foreach (var generated in tenant.Members)
        {
            var reflections = CalendarAssert.ReflectionsOf(graph, generated.Member.Id);
            placed += reflections.Count;
            duplicates += Math.Max(0, reflections.Count - 1);
        }

        var servers = await ProcessingServersAsync(storage);
        output.WriteLine(
            $"{MemberCount} users ({due.Count} due), two instances: {placed} reflections placed, {duplicates} duplicates, "
            + $"{watch.Elapsed.TotalSeconds:0.0} s; {graph.Tenant.RequestLog.TotalCount} Graph requests, "
            + $"{graph.Tenant.RequestLog.ThrottledCount} throttled; jobs run per server: {string.Join(", ", servers.Values)}.");

        Assert.Equal(0, duplicates);
        Assert.Equal(due.Count, placed);
        foreach (var generated in tenant.Members)
        {
            var member = generated.Member;
            if (generated.Due)
            {
                CalendarAssert.SingleReflectionInWorkingTime(graph, member.Id, member.Zone, member.Days, member.Start, member.End, generated.MeetingEnd + CoolDown);
            }
            else
            {
                Assert.Empty(CalendarAssert.ReflectionsOf(graph, member.Id));
            }
        }

        Assert.All(tenant.ManagerIds, id => Assert.Empty(CalendarAssert.ReflectionsOf(graph, id)));

        // Both instances did part of the work (Hangfire records which server ran each job).
        Assert.Equal(2, servers.Count);
        Assert.All(servers.Values, jobs => Assert.True(jobs >= 10, $"A server ran only {jobs} jobs."));
    }

    /// <summary>How many jobs each Hangfire server started, from the processing states Hangfire recorded.</summary>
    private static async Task<Dictionary<string, long>> ProcessingServersAsync(TestStorage storage)
    {
        await using var connection = new NpgsqlConnection(storage.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT data::jsonb ->> 'ServerId', count(*) FROM hangfire.state WHERE name = 'Processing' GROUP BY 1",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        var servers = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            servers[reader.GetString(0)] = reader.GetInt64(1);
        }

        return servers;
    }
}

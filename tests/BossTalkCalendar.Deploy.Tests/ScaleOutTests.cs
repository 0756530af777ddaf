using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.GraphSimulator;
using Npgsql;
using Xunit.Abstractions;

namespace BossTalkCalendar.Deploy.Tests;

[Collection(ImageCollection.Name)]
public sealed class ScaleOutTests(ITestOutputHelper output)
{
    /// <summary>
    /// Two containers of the image on one fresh PostgreSQL database (the suite's server) start together and both sweep
    /// the same tenant: the simulator's calendars end with every due reflection exactly once, and both did part of the work.
    /// </summary>
    [Fact]
    public async Task TwoContainersOnOnePostgreSqlDatabasePlaceEveryDueReflectionExactlyOnce()
    {
        await Podman.EnsureImageAsync();
        using var data = new TempDirectory();
        var clock = await ContainerClock.ReadAsync();
        var (seed, managerIds, members) = ReliabilityTenant.Build(clock.GetUtcNow(), 60, 3);
        await using var graph = await GraphSimulatorHost.StartAsync(seed, new SimulatorOptions { Port = 0, TimeProvider = clock, MailboxConcurrencyLimit = 4, AddedLatency = TimeSpan.FromMilliseconds(100) });
        var due = members.Where(m => m.Due).ToList();
        int Placed() => members.Sum(m => CalendarAssert.ReflectionsOf(graph, m.Member.Id).Count);

        await using var storage = await TestStorage.CreateAsync(StorageOptions.PostgreSqlProvider);
        var settings = ImageTenant.Settings(graph.GraphBaseUrl, storage);
        await ImageTenant.ApproveAsync(
            clock, data.Path, graph.GraphBaseUrl, settings, members.GroupBy(m => m.ManagerId).Select(t => (t.Key, (IReadOnlyCollection<string>)[.. t.Select(m => m.Member.Id)])));

        var started = await Task.WhenAll(ImageContainer.StartAsync(settings), ImageContainer.StartAsync(settings));
        await using var first = started[0];
        await using var second = started[1];
        // Graph posts each notification to one address; behind a real load balancer either instance would get it.
        graph.Options.NotificationIngress = first.BaseAddress;
        await Task.WhenAll(first.WaitReadyAsync(TimeSpan.FromSeconds(60)), second.WaitReadyAsync(TimeSpan.FromSeconds(60)));
        try
        {
            await ShutdownTests.UntilSettledAsync(Placed, due.Count, first, second);
        }
        catch (TimeoutException ex)
        {
            var missing = due.Where(m => CalendarAssert.ReflectionsOf(graph, m.Member.Id).Count == 0).Select(m => m.Member.Id).ToList();
            throw new TimeoutException($"{await NudgesOfAsync(storage, missing)}\n{ex.Message}", ex);
        }

        var perMember = members.Select(m => (m.Due, Count: CalendarAssert.ReflectionsOf(graph, m.Member.Id).Count)).ToList();
        var servers = await JobsPerServerAsync(storage);
        output.WriteLine(
            $"{members.Count} members ({due.Count} due), two containers: {perMember.Sum(p => p.Count)} placed, "
            + $"{perMember.Sum(p => Math.Max(0, p.Count - 1))} duplicates; jobs per Hangfire server: {string.Join(", ", servers.Values)}.");
        Assert.All(perMember, p => Assert.Equal(p.Due ? 1 : 0, p.Count));
        Assert.All(managerIds, id => Assert.Empty(CalendarAssert.ReflectionsOf(graph, id)));
        Assert.Equal(2, servers.Count);
    }

    /// <summary>For a failure message: the nudges of <paramref name="userIds"/> and the states of their Hangfire jobs.</summary>
    private static async Task<string> NudgesOfAsync(TestStorage storage, IReadOnlyList<string> userIds)
    {
        await using var connection = new NpgsqlConnection(storage.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT n."UserId", n."State"::text, coalesce(n."Reason", ''), coalesce(n."HangfireJobId", 'no job'), n."Attempts",
                   coalesce((SELECT string_agg(s.name || ' ' || coalesce(s.reason, ''), ' <- ' ORDER BY s.id DESC)
                             FROM hangfire.state s WHERE s.jobid::text = n."HangfireJobId"), '')
            FROM "Nudges" n WHERE n."UserId" = ANY(@users)
            """,
            connection);
        command.Parameters.AddWithValue("users", userIds.ToArray());
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string> { $"Users without a reflection: {string.Join(", ", userIds)}" };
        while (await reader.ReadAsync())
        {
            lines.Add($"  {reader.GetString(0)}: nudge {reader.GetString(1)} {reader.GetString(2)}, job {reader.GetString(3)}, {reader.GetInt32(4)} attempts; job states: {reader.GetString(5)}");
        }

        return string.Join('\n', lines);
    }

    /// <summary>How many jobs each Hangfire server started, from the processing states Hangfire recorded.</summary>
    private static async Task<Dictionary<string, long>> JobsPerServerAsync(TestStorage storage)
    {
        await using var connection = new NpgsqlConnection(storage.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT data::jsonb ->> 'ServerId', count(*) FROM hangfire.state WHERE name = 'Processing' GROUP BY 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var servers = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            servers[reader.GetString(0)] = reader.GetInt64(1);
        }

        return servers;
    }
}

using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.GraphSimulator;
using Xunit.Abstractions;

namespace BossTalkCalendar.Deploy.Tests;

[Collection(ImageCollection.Name)]
public sealed class ShutdownTests(ITestOutputHelper output)
{
    /// <summary>What <c>podman stop</c> and <c>docker stop</c> give a container before SIGKILL.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The container gets SIGTERM while placements run (Graph answering each request after 300 ms), exits 0 within
    /// 10 s, and a new container on the same /data that does not sweep at start-up finishes the work: what was running
    /// went back to the queue, what was queued stayed there, and every due reflection is placed exactly once.
    /// </summary>
    [Fact]
    public async Task OnSigtermTheContainerStopsWithinTenSecondsAndANewOneFinishesTheWorkExactlyOnce()
    {
        await Podman.EnsureImageAsync();
        using var data = new TempDirectory();
        var clock = await ContainerClock.ReadAsync();
        var (seed, managerIds, members) = ReliabilityTenant.Build(clock.GetUtcNow(), 40, 2);
        await using var graph = await GraphSimulatorHost.StartAsync(seed, new SimulatorOptions { Port = 0, TimeProvider = clock, MailboxConcurrencyLimit = 4, AddedLatency = TimeSpan.FromMilliseconds(300) });
        var due = members.Where(m => m.Due).ToList();
        int Placed() => members.Sum(m => CalendarAssert.ReflectionsOf(graph, m.Member.Id).Count);

        await using var storage = await TestStorage.CreateAsync(StorageOptions.SqliteProvider);
        await ImageTenant.ApproveAsync(
            clock, data.Path, graph.GraphBaseUrl, ImageTenant.Settings(graph.GraphBaseUrl, storage), members.GroupBy(m => m.ManagerId).Select(t => (t.Key, (IReadOnlyCollection<string>)[.. t.Select(m => m.Member.Id)])));

        int placedAtTerm;
        (int ExitCode, TimeSpan Took) stopped;
        await using (var first = await ImageContainer.StartAsync(ImageTenant.Settings(graph.GraphBaseUrl, storage), data.Path, ["--read-only"]))
        {
            graph.Options.NotificationIngress = first.BaseAddress;
            await first.WaitReadyAsync(TimeSpan.FromSeconds(60));
            await Eventually.TrueAsync(() => Task.FromResult(Placed() >= 3), TimeSpan.FromSeconds(60), "the first placements");
            placedAtTerm = Placed();
            stopped = await first.TerminateAsync(StopGrace + TimeSpan.FromSeconds(20));
            var logs = await first.LogsAsync();
            Assert.True(stopped.ExitCode == 0, $"The container exited with {stopped.ExitCode} after SIGTERM:\n{logs}");
        }

        Assert.True(stopped.Took < StopGrace, $"The container took {stopped.Took.TotalSeconds:0.0} s to stop after SIGTERM.");
        Assert.True(placedAtTerm < due.Count, "SIGTERM should land while placements are still to come.");

        await using (var second = await ImageContainer.StartAsync(ImageTenant.Settings(graph.GraphBaseUrl, storage, sweepOnStartup: false), data.Path, ["--read-only"]))
        {
            graph.Options.NotificationIngress = second.BaseAddress;
            await second.WaitReadyAsync(TimeSpan.FromSeconds(60));
            await UntilSettledAsync(Placed, due.Count, second);
        }

        var perMember = members.Select(m => (m.Due, Count: CalendarAssert.ReflectionsOf(graph, m.Member.Id).Count)).ToList();
        output.WriteLine(
            $"{members.Count} members ({due.Count} due); SIGTERM with {placedAtTerm} placed, exit code {stopped.ExitCode} after "
            + $"{stopped.Took.TotalSeconds:0.00} s; after the second container {perMember.Sum(p => p.Count)} placed.");
        Assert.All(perMember, p => Assert.Equal(p.Due ? 1 : 0, p.Count));
        Assert.All(managerIds, id => Assert.Empty(CalendarAssert.ReflectionsOf(graph, id)));
    }

    /// <summary>Every due reflection placed, then three more seconds in which no further one may appear.</summary>
    internal static async Task UntilSettledAsync(Func<int> placed, int due, params ImageContainer[] containers)
    {
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(placed() >= due), TimeSpan.FromSeconds(90), $"{due} reflections");
        }
        catch (TimeoutException ex)
        {
            var logs = await Task.WhenAll(containers.Select(c => c.LogsAsync()));
            throw new TimeoutException($"{ex.Message} {placed()} placed.\n{string.Join("\n----\n", logs)}", ex);
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
    }
}

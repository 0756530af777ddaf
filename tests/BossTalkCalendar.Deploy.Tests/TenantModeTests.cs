using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.GraphSimulator;
using Xunit.Abstractions;

namespace BossTalkCalendar.Deploy.Tests;

/// <summary>
/// One container of the image serving a tenant (not the sandbox) against the Graph simulator on the host, the way an
/// operator would run it: the image's own user, a read-only root file system with no writable scratch space
/// (<c>--read-only-tmpfs=false</c>: podman would otherwise mount /tmp, /var/tmp and /run writable; Docker does not), and
/// the SQLite files in a host folder mounted at /data. Each test looks at one side of the same run.
/// </summary>
[Collection(ImageCollection.Name)]
public sealed class TenantModeTests(TenantModeTests.Run run, ITestOutputHelper output) : IClassFixture<TenantModeTests.Run>
{
    [Fact]
    public void EachFarZoneReportsReflectionStartsWhenTheirOwnWorkingWindowOpensInTheirZone()
    {
        output.WriteLine($"Ready {run.Ready.TotalSeconds:0.0} s after podman run; every reflection placed {run.Placed.TotalSeconds:0.0} s after that.");
        foreach (var member in run.Members)
        {
            var reflection = CalendarAssert.SingleReflectionInWorkingTime(
                run.Graph, member.Member.Id, member.Member.Zone, member.Member.Days, member.Member.Start, member.Member.End, run.Started);
            var zone = TimeZoneInfo.FindSystemTimeZoneById(member.Member.Zone);
            var local = TimeZoneInfo.ConvertTime(reflection.Start, zone);
            output.WriteLine($"{member.Member.Zone}: {local:yyyy-MM-dd HH:mm} local ({reflection.Start.UtcDateTime:HH:mm} UTC), expected {member.ExpectedLocalStart:HH:mm}.");
            Assert.True(
                reflection.Start == member.ExpectedStart,
                $"{member.Member.Zone}: the reflection starts at {local:yyyy-MM-dd HH:mm} local ({reflection.Start:O}), expected {member.ExpectedLocalStart:yyyy-MM-dd HH:mm} local.");
        }

        Assert.Empty(CalendarAssert.ReflectionsOf(run.Graph, run.ManagerId));
    }

    [Fact]
    public async Task TheServiceRunsAsTheImagesUnprivilegedUser()
    {
        var id = (await run.Container.ExecAsync("id", "-u")).EnsureSuccess("id -u in the container");
        Assert.Equal(Podman.AppUid.ToString(System.Globalization.CultureInfo.InvariantCulture), id.Output.Trim());

        // Every process of the container (catatonit as PID 1, and the service; the kernel shortens names to 15 characters).
        var top = (await Podman.RunAsync("top", run.Container.Name, "user", "comm")).EnsureSuccess("podman top");
        var processes = top.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1).ToList();
        Assert.Contains(processes, p => p.Contains("BossTalkCalenda", StringComparison.Ordinal));
        Assert.All(processes, p => Assert.StartsWith("app ", p, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheRootFileSystemIsReadOnlyAndTheDataIsWrittenToTheVolume()
    {
        var readOnly = await Podman.RunAsync("inspect", "--format", "{{.HostConfig.ReadonlyRootfs}}", run.Container.Name);
        Assert.Equal("true", readOnly.Output.Trim());
        foreach (var path in new[] { "/app/probe", "/tmp/probe", "/home/app/probe" })
        {
            var touch = await run.Container.ExecAsync("touch", path);
            Assert.NotEqual(0, touch.ExitCode);
            Assert.Contains("Read-only file system", touch.All, StringComparison.Ordinal);
        }

        // The service wrote its placements into the mounted folder, as the image's user.
        var database = new FileInfo(Path.Combine(run.Data.Path, "bosstalk.db"));
        Assert.True(database.Exists);
        Assert.True(database.LastWriteTimeUtc >= run.Started.UtcDateTime || File.Exists(database.FullName + "-wal"), "The service did not write to /data.");
        Assert.True(await run.Container.IsRunningAsync(), await run.Container.LogsAsync());
    }

    /// <summary>The tenant, the simulator, the approval and the container; every reflection placed before the tests look.</summary>
    public sealed class Run : IAsyncLifetime
    {
        public TempDirectory Data { get; } = new();

        public GraphSimulatorHost Graph { get; private set; } = null!;

        public ImageContainer Container { get; private set; } = null!;

        public IReadOnlyList<FarZoneMember> Members { get; private set; } = [];

        public string ManagerId { get; private set; } = "";

        public DateTimeOffset Started { get; private set; }

        public TimeSpan Ready { get; private set; }

        public TimeSpan Placed { get; private set; }

        public async Task InitializeAsync()
        {
            await Podman.EnsureImageAsync();
            var clock = await ContainerClock.ReadAsync();
            var (seed, manager, members) = FarZoneTenant.Build(clock.GetUtcNow());
            Members = members;
            ManagerId = manager.Id;
            Graph = await GraphSimulatorHost.StartAsync(seed, new SimulatorOptions { Port = 0, TimeProvider = clock });

            await using var storage = await TestStorage.CreateAsync(StorageOptions.SqliteProvider);
            var settings = ImageTenant.Settings(Graph.GraphBaseUrl, storage);
            await ImageTenant.ApproveAsync(clock, Data.Path, Graph.GraphBaseUrl, settings, [(manager.Id, [.. members.Select(m => m.Member.Id)])]);

            Started = clock.GetUtcNow();
            Container = await ImageContainer.StartAsync(settings, Data.Path, ["--read-only", "--read-only-tmpfs=false"]);
            Graph.Options.NotificationIngress = Container.BaseAddress;
            Ready = await Container.WaitReadyAsync(TimeSpan.FromSeconds(60));

            var watch = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                await Eventually.TrueAsync(
                    () => Task.FromResult(members.All(m => CalendarAssert.ReflectionsOf(Graph, m.Member.Id).Count > 0)),
                    TimeSpan.FromSeconds(60),
                    "a reflection for every far-zone report");
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException($"{ex.Message}\n{await Container.LogsAsync()}", ex);
            }

            Placed = watch.Elapsed;
        }

        public async Task DisposeAsync()
        {
            if (Container is not null)
            {
                await Container.DisposeAsync();
            }

            if (Graph is not null)
            {
                await Graph.DisposeAsync();
            }

            Data.Dispose();
        }
    }
}

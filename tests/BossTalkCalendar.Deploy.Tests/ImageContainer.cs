using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace BossTalkCalendar.Deploy.Tests;

/// <summary>
/// One container of the image, started detached on the host's network (the simulator listens on the host's loopback)
/// and configured through environment variables, as an operator would. It listens on 127.0.0.1 and a free port rather
/// than the image's 8080, so runs never collide and nothing listens beyond this machine. Removed when disposed.
/// </summary>
public sealed class ImageContainer : IAsyncDisposable
{
    private ImageContainer(string name, int port)
    {
        Name = name;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    /// <param name="settings">Configuration keys (<c>Graph:TenantId</c>), passed as environment variables.</param>
    /// <param name="dataDirectory">A host folder mounted at /data, or null for the image's anonymous volume.</param>
    /// <param name="options">Further options for <c>podman run</c>, before the image name.</param>
    public static async Task<ImageContainer> StartAsync(IReadOnlyDictionary<string, string?> settings, string? dataDirectory = null, IEnumerable<string>? options = null)
    {
        var port = ServiceProcess.FreePort();
        var container = new ImageContainer($"bosstalk-test-{Guid.NewGuid():N}"[..26], port);
        var arguments = new List<string> { "run", "--detach", "--name", container.Name, "--network=host" };
        arguments.AddRange(["--env", $"ASPNETCORE_URLS=http://127.0.0.1:{port}"]);
        foreach (var (key, value) in settings)
        {
            if (value is not null)
            {
                arguments.AddRange(["--env", $"{key.Replace(":", "__", StringComparison.Ordinal)}={value}"]);
            }
        }

        if (dataDirectory is not null)
        {
            arguments.AddRange(["--volume", $"{dataDirectory}:/data"]);
        }

        arguments.AddRange(options ?? []);
        arguments.Add(Podman.Image);
        (await Podman.RunAsync(arguments)).EnsureSuccess($"Starting {container.Name}");
        return container;
    }

    /// <summary>
    /// A data folder the image's user may write to. A folder the test made as root, or one an in-process host of the
    /// service used before (as root), is handed to uid 1654, as an operator would prepare a host folder for the volume.
    /// </summary>
    public static async Task HandToAppUserAsync(string directory)
    {
        using var chown = Process.Start("chown", ["-R", $"{Podman.AppUid}:{Podman.AppUid}", directory]);
        await chown.WaitForExitAsync();
        Assert.Equal(0, chown.ExitCode);
    }

    public async Task<string> LogsAsync() => (await Podman.RunAsync("logs", Name)).All;

    public async Task<bool> IsRunningAsync() =>
        (await Podman.RunAsync("inspect", "--format", "{{.State.Running}}", Name)).Output.Trim() == "true";

    public async Task<PodmanResult> ExecAsync(params string[] command) => await Podman.RunAsync(["exec", Name, .. command]);

    /// <summary>Polls GET /readyz until it answers 200; returns how long that took from this call.</summary>
    public async Task<TimeSpan> WaitReadyAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        while (true)
        {
            try
            {
                using var response = await client.GetAsync(new Uri("readyz", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return watch.Elapsed;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (!await IsRunningAsync())
            {
                throw new InvalidOperationException($"The container {Name} stopped while starting:\n{await LogsAsync()}");
            }

            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"The container {Name} did not answer /readyz within {timeout.TotalSeconds:0} s:\n{await LogsAsync()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>
    /// SIGTERM, what <c>podman stop</c>, Docker and Kubernetes send first; waits for the container to exit and returns
    /// its exit code and how long it took.
    /// </summary>
    public async Task<(int ExitCode, TimeSpan Took)> TerminateAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        (await Podman.RunAsync("kill", "--signal", "TERM", Name)).EnsureSuccess($"Sending SIGTERM to {Name}");
        var wait = (await Podman.RunAsync(["wait", Name], timeout)).EnsureSuccess($"Waiting for {Name}");
        watch.Stop();
        return (int.Parse(wait.Output.Trim(), CultureInfo.InvariantCulture), watch.Elapsed);
    }

    public async ValueTask DisposeAsync() => await Podman.RunAsync("rm", "--force", "--volumes", "--time", "0", Name);
}

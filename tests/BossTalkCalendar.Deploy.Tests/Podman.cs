using System.Diagnostics;
using System.Text;

namespace BossTalkCalendar.Deploy.Tests;

/// <summary>
/// The podman command line, as an operator types it. The runtime settings this machine needs (runc, cgroupfs, no
/// default ulimits) come from the containers.conf drop-in that deploy/build-image.sh writes, so nothing here differs
/// from the commands in the README.
/// </summary>
public static class Podman
{
    /// <summary>What deploy/build-image.sh builds; tests/run.sh runs it before the test projects.</summary>
    public const string Image = "localhost/bosstalkcalendar:latest";

    /// <summary>The image's unprivileged user ("app", as in Microsoft's .NET images).</summary>
    public const int AppUid = 1654;

    public static async Task<PodmanResult> RunAsync(IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("podman")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (error) { error.AppendLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"podman {string.Join(' ', start.ArgumentList)} did not finish in time.");
        }

        process.WaitForExit();
        return new PodmanResult(process.ExitCode, output.ToString(), error.ToString());
    }

    public static Task<PodmanResult> RunAsync(params string[] arguments) => RunAsync((IEnumerable<string>)arguments);

    /// <summary>Fails with what to do when the image was not built (the build is not part of the tests: see README).</summary>
    public static async Task EnsureImageAsync()
    {
        var exists = await RunAsync("image", "exists", Image);
        Assert.True(
            exists.ExitCode == 0,
            $"The image {Image} is not in the local podman store. Build it with deploy/build-image.sh (tests/run.sh does so before the tests).");
    }
}

public sealed record PodmanResult(int ExitCode, string Output, string Error)
{
    public string All => Output + Error;

    public PodmanResult EnsureSuccess(string what) =>
        ExitCode == 0 ? this : throw new InvalidOperationException($"{what} failed with exit code {ExitCode}:\n{All}");
}

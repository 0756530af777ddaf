using System.Diagnostics;

namespace BossTalkCalendar.Api.Tests.Manifest;

/// <summary>
/// Runs Microsoft's office-addin-manifest validator (npm, pinned in tests/manifest-tools). For a unified
/// manifest it checks the JSON against the schema bundled in @microsoft/app-manifest, offline.
/// It prints nothing for a valid manifest, so the exit code is the verdict.
/// </summary>
internal static class OfficeAddinManifestCli
{
    public sealed record Result(int ExitCode, string Output);

    public static async Task<Result> ValidateAsync(string manifestPath)
    {
        var tools = RepoPaths.ManifestTools;
        var package = Path.Combine(tools, "node_modules", "office-addin-manifest");
        Assert.True(
            Directory.Exists(package),
            $"office-addin-manifest is not installed in {tools}. Run `npm ci --prefix tests/manifest-tools` (the test script does) and run the tests again.");

        var start = new ProcessStartInfo("npx", ["--no-install", "office-addin-manifest", "validate", manifestPath])
        {
            WorkingDirectory = tools,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start npx.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"office-addin-manifest validate {manifestPath} did not finish within 90 s.");
        }

        return new Result(process.ExitCode, (await stdout) + (await stderr));
    }
}

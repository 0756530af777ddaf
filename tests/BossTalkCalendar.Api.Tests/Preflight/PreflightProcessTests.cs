using System.Diagnostics;

namespace BossTalkCalendar.Api.Tests.Preflight;

/// <summary>
/// <c>dotnet BossTalkCalendar.Api.dll check</c> as an operator runs it: a process of its own, configured through
/// environment variables, read by its exit code. It prints its lines and exits without starting the web server.
/// </summary>
public sealed class PreflightProcessTests
{
    [Fact]
    public async Task TheCheckCommandExitsZeroWhenEveryItemPassesAndStartsNoServer()
    {
        await using var env = await PreflightEnvironment.StartAsync();

        var (code, output) = await RunCheckProcessAsync(env.Settings());

        Assert.True(code == 0, output);
        Assert.Contains("PASS credential", output, StringComparison.Ordinal);
        Assert.Contains("PASS database", output, StringComparison.Ordinal);
        Assert.Contains("All checks passed.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Hangfire", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCheckCommandExitsNonZeroAndNamesTheFixWhenItemsFail()
    {
        await using var env = await PreflightEnvironment.StartAsync();
        var settings = env.Settings();
        settings["Graph:ClientSecret"] = "wrong";

        // No zone database: what a hand-made image without tzdata (and ICU) looks like.
        var (code, output) = await RunCheckProcessAsync(settings, ("TZDIR", "/nonexistent-tzdata"), ("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1"));

        Assert.True(code == 1, output);
        Assert.Contains("FAIL credential: no token: AADSTS7000215", output, StringComparison.Ordinal);
        Assert.Contains("FAIL time-zones: 'W. Europe Standard Time' is not a known time zone here", output, StringComparison.Ordinal);
        Assert.Contains("fix: " + global::BossTalkCalendar.Api.Health.ZoneDatabaseCheck.Fix, output, StringComparison.Ordinal);
        Assert.Contains("FAIL app-roles: no app token to read", output, StringComparison.Ordinal);
        Assert.Contains("PASS public-url", output, StringComparison.Ordinal);
        Assert.Contains("3 check(s) failed.", output, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> RunCheckProcessAsync(IReadOnlyDictionary<string, string?> settings, params (string Name, string Value)[] environment)
    {
        var directory = ServiceProcess.ApiDirectory();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(directory, "BossTalkCalendar.Api.dll"));
        start.ArgumentList.Add("check");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings)
        {
            if (value is not null)
            {
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}

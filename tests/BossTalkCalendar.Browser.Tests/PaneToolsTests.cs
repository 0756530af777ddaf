using System.Diagnostics;

namespace BossTalkCalendar.Browser.Tests;

/// <summary>
/// The task pane's JavaScript passes ESLint and TypeScript's checkJs, with the tools and versions pinned in
/// tests/pane-tools (tests/run.sh runs npm ci there first). Each test fails with the tool's own report.
/// </summary>
public sealed class PaneToolsTests
{
    private static readonly string Tools = Path.Combine(RepoPaths.Root, "tests", "pane-tools");

    [Fact]
    public async Task EslintFindsNoProblemInThePanesJavaScript()
    {
        var (exit, output) = await RunAsync(Path.Combine(Tools, "node_modules", "eslint", "bin", "eslint.js"),
            "--config", "tests/pane-tools/eslint.config.js", "--max-warnings", "0", "src/BossTalkCalendar.Api/wwwroot");
        Assert.True(exit == 0, $"ESLint exited with {exit}:\n{output}");
    }

    [Fact]
    public async Task EslintChecksThePaneModulesAndTheSendTimeHandlerAndWouldCatchAGlobal()
    {
        // Which files the configuration covers: every one of ours, none vendored.
        var (_, output) = await RunAsync(Path.Combine(Tools, "node_modules", "eslint", "bin", "eslint.js"),
            "--config", "tests/pane-tools/eslint.config.js", "--format", "json", "src/BossTalkCalendar.Api/wwwroot");
        foreach (var file in new[] { "taskpane.js", "js/session.js", "js/preview/preview.js", "launchevent/launchevent.js" })
        {
            Assert.Contains("/wwwroot/" + file + "\"", output, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("msal-browser", output, StringComparison.Ordinal);

        // And it fails on what the pane must not do again: a global of its own.
        var (badExit, badOutput) = await RunWithInputAsync(Path.Combine(Tools, "node_modules", "eslint", "bin", "eslint.js"), "window.BossTalk = {};\n",
            "--config", "tests/pane-tools/eslint.config.js", "--stdin", "--stdin-filename", "src/BossTalkCalendar.Api/wwwroot/js/example.js");
        Assert.Equal(1, badExit);
        Assert.Contains("no-restricted-properties", badOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TypeScriptChecksThePanesJavaScriptWithoutErrors()
    {
        var tsc = Path.Combine(Tools, "node_modules", "typescript", "bin", "tsc");
        var (listed, files) = await RunAsync(tsc, "--noEmit", "-p", "tests/pane-tools/jsconfig.json", "--listFilesOnly");
        Assert.True(listed == 0, files);
        Assert.Contains("wwwroot/taskpane.js", files, StringComparison.Ordinal);
        Assert.Contains("wwwroot/js/preview/dev-sign-in.js", files, StringComparison.Ordinal);
        Assert.Contains("wwwroot/launchevent/launchevent.js", files, StringComparison.Ordinal);

        var (exit, output) = await RunAsync(tsc, "--noEmit", "-p", "tests/pane-tools/jsconfig.json");
        Assert.True(exit == 0, $"tsc --noEmit exited with {exit}:\n{output}");
    }

    /// <summary>Runs a Node.js script from the repository root; returns its exit code and everything it wrote.</summary>
    private static async Task<(int Exit, string Output)> RunAsync(string script, params string[] arguments) =>
        await RunWithInputAsync(script, null, arguments);

    private static async Task<(int Exit, string Output)> RunWithInputAsync(string script, string? stdin, params string[] arguments)
    {
        Assert.True(File.Exists(script), $"{script} is missing: run 'npm ci' in tests/pane-tools (tests/run.sh does).");
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }
}

using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace BossTalkCalendar.Api.Tests.Startup;

/// <summary>
/// Where the service listens comes from ASP.NET Core's own settings (ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS, --urls),
/// which nothing in appsettings.json outranks; the 5080 default of `dotnet run` lives in the launch settings only.
/// Each case runs the built service as a child process, as an operator or a container would.
/// </summary>
public sealed class ListeningSettingsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AspNetCoreUrlsChoosesTheAddress()
    {
        var port = ServiceProcess.FreePort();
        using var data = new TempDirectory();
        var result = await RunUntilHealthyAsync(port, data.Path, SandboxEnvironment(data.Path, ("ASPNETCORE_URLS", $"http://127.0.0.1:{port}")));

        Assert.True(result.Healthy, result.Output);
    }

    [Fact]
    public async Task TheUrlsCommandLineArgumentChoosesTheAddress()
    {
        var port = ServiceProcess.FreePort();
        using var data = new TempDirectory();
        var result = await RunUntilHealthyAsync(port, data.Path, SandboxEnvironment(data.Path), "--urls", $"http://127.0.0.1:{port}");

        Assert.True(result.Healthy, result.Output);
    }

    [Fact]
    public async Task AspNetCoreHttpPortsChoosesThePortOfATenantInstance()
    {
        var port = ServiceProcess.FreePort();
        using var data = new TempDirectory();
        const string tenant = "11111111-2222-3333-4444-555555555555";
        var result = await RunUntilHealthyAsync(port, data.Path, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Storage__DataDirectory"] = data.Path,
            ["Graph__TenantId"] = tenant,
            ["Graph__ClientId"] = "66666666-7777-8888-9999-000000000000",
            ["Graph__Credential"] = "ClientSecret",
            ["Graph__ClientSecret"] = "not-a-real-secret",
            ["Auth__Authority"] = $"https://login.microsoftonline.com/{tenant}/v2.0",
            ["Auth__Audience"] = "api://bosstalk.contoso.com/66666666-7777-8888-9999-000000000000",
            ["Service__PublicBaseUrl"] = "https://bosstalk.contoso.com",
            ["Jobs__RunServer"] = "false",
        });

        Assert.True(result.Healthy, result.Output);
    }

    [Fact]
    public void TheServiceCarriesNoListeningAddressOfItsOwnAndLaunchSettingsSelectDevelopmentOn5080()
    {
        var project = Manifest.RepoPaths.ApiProject;
        using var appSettings = JsonDocument.Parse(File.ReadAllText(Path.Combine(project, "appsettings.json")), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        Assert.DoesNotContain(appSettings.RootElement.EnumerateObject(), p => p.NameEquals("Urls") || p.Name.Equals("urls", StringComparison.OrdinalIgnoreCase));

        using var launch = JsonDocument.Parse(File.ReadAllText(Path.Combine(project, "Properties", "launchSettings.json")));
        var profile = launch.RootElement.GetProperty("profiles").EnumerateObject().First().Value;
        Assert.Equal("Project", profile.GetProperty("commandName").GetString());
        Assert.Equal("http://localhost:5080", profile.GetProperty("applicationUrl").GetString());
        Assert.Equal("Development", profile.GetProperty("environmentVariables").GetProperty("ASPNETCORE_ENVIRONMENT").GetString());
    }

    [Fact]
    public async Task InProductionWithoutATenantTheProcessExitsNamingTheSettingsToSet()
    {
        using var data = new TempDirectory();
        var result = await RunUntilHealthyAsync(ServiceProcess.FreePort(), data.Path, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["Storage__DataDirectory"] = data.Path,
        });

        Assert.False(result.Healthy);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Graph:TenantId", result.Output, StringComparison.Ordinal);
        Assert.Contains("Sandbox:Enabled", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAZoneDatabaseTheProcessRefusesToStartNamingTzdataAndIcu()
    {
        // .NET reads IANA zones from TZDIR when set: pointed at an empty folder, this machine has no tzdata, as the
        // hand-made image of issue 21 had none.
        using var data = new TempDirectory();
        var noZones = Directory.CreateDirectory(Path.Combine(data.Path, "no-zoneinfo")).FullName;
        var port = ServiceProcess.FreePort();
        var result = await RunUntilHealthyAsync(port, data.Path, SandboxEnvironment(data.Path, ("ASPNETCORE_URLS", $"http://127.0.0.1:{port}"), ("TZDIR", noZones)));

        Assert.False(result.Healthy, result.Output);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("time-zone database is missing or incomplete", result.Output, StringComparison.Ordinal);
        Assert.Contains("tzdata", result.Output, StringComparison.Ordinal);
        Assert.Contains("ICU", result.Output, StringComparison.Ordinal);
        Assert.Contains("'Australia/Sydney' is not a known time zone here", result.Output, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> SandboxEnvironment(string data, params (string Key, string Value)[] more)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["Storage__DataDirectory"] = data,
            ["Sandbox__GraphPort"] = "0",
            ["Jobs__RunServer"] = "false",
        };
        foreach (var (key, value) in more)
        {
            environment[key] = value;
        }

        return environment;
    }

    private sealed record Run(bool Healthy, int? ExitCode, string Output);

    /// <summary>Starts the service, waits until http://127.0.0.1:{port}/healthz answers 200 or the process exits, then stops it.</summary>
    private static async Task<Run> RunUntilHealthyAsync(int port, string data, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var directory = ServiceProcess.ApiDirectory();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = data,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(directory, "BossTalkCalendar.Api.dll"));
        // The project folder: its wwwroot is there in every environment (static web assets map it in Development only).
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(Manifest.RepoPaths.ApiProject);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Nothing of the test runner's own listening settings may leak into the child.
        foreach (var inherited in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS", "URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" })
        {
            start.Environment.Remove(inherited);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var healthy = false;
        var waited = Stopwatch.StartNew();
        while (!process.HasExited && waited.Elapsed < Patience)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"));
                if (response.IsSuccessStatusCode)
                {
                    healthy = true;
                    break;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            await Task.Delay(200);
        }

        int? exitCode = null;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        if (!healthy)
        {
            exitCode = process.ExitCode;
        }

        lock (output)
        {
            return new Run(healthy, exitCode, output.ToString());
        }
    }
}

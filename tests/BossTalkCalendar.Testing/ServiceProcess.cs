using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BossTalkCalendar.Testing;

/// <summary>
/// The service as a real child process (<c>dotnet BossTalkCalendar.Api.dll</c>), configured through environment
/// variables the way an operator would, so it can be killed with SIGKILL or stopped with SIGTERM like in production.
/// Deliberately not <c>BossTalkCalendarApplication</c> (the one in-process host): a process boundary is what
/// these tests are about, and an in-process host cannot be killed half-way through a write.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>What the process wrote to stdout and stderr so far (for failure messages).</summary>
    public string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    /// <summary>
    /// The Api's own build output in the configuration the tests were built in (bin/Debug or bin/Release), which
    /// holds its appsettings.json and wwwroot; falls back to the copy in the test's output.
    /// </summary>
    public static string ApiDirectory()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testBin.Name;
        var configuration = testBin.Parent?.Name ?? "Debug";
        for (var dir = testBin; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "BossTalkCalendar.Api", "bin", configuration, framework);
            if (File.Exists(Path.Combine(candidate, "BossTalkCalendar.Api.dll")))
            {
                return candidate;
            }
        }

        return File.Exists(Path.Combine(testBin.FullName, "BossTalkCalendar.Api.dll"))
            ? testBin.FullName
            : throw new FileNotFoundException($"BossTalkCalendar.Api.dll was not found for configuration {configuration}.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <param name="settings">Configuration keys (<c>Jobs:PollInterval</c>); passed as environment variables.</param>
    public static ServiceProcess Start(IReadOnlyDictionary<string, string?> settings)
    {
        var directory = ApiDirectory();
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(directory, "BossTalkCalendar.Api.dll"));
        // The standard way an operator picks the address; appsettings.json sets none (launch settings hold 5080).
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in settings)
        {
            if (value is not null)
            {
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
        }

        var process = new Process { StartInfo = start };
        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        try
        {
            await Eventually.TrueAsync(IsHealthyAsync, timeout, "the service process to answer /healthz");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\n{Output}", ex);
        }
    }

    private async Task<bool> IsHealthyAsync()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"The service exited with {_process.ExitCode} while starting:\n{Output}");
        }

        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await client.GetAsync(new Uri("healthz", UriKind.Relative));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, as when the machine loses power or the OOM killer strikes.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, what systemd, Docker and Kubernetes send; returns how long the process took to exit.</summary>
    public async Task<TimeSpan> TerminateAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The service did not exit within {timeout.TotalSeconds:0} s of SIGTERM:\n{Output}");
        }

        return watch.Elapsed;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}

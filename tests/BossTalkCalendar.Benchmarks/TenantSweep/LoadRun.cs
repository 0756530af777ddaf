using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using BossTalkCalendar.Api.Rollout;
using BossTalkCalendar.GraphSimulator;
using Microsoft.Extensions.DependencyInjection;

namespace BossTalkCalendar.Benchmarks.TenantSweep;

/// <summary>
/// <c>load --rps R --seconds S [--users U]</c>: GET /api/v1/me at a fixed (open-loop) request rate on loopback, with
/// valid tokens of U enrolled users taken in turn; prints latency percentiles and the achieved throughput. The
/// service reads Graph (the simulator, unthrottled) for every call, as it does in production.
/// </summary>
internal static class LoadRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rps = TenantSweepRun.Arg(args, "--rps", 200);
        var seconds = TenantSweepRun.Arg(args, "--seconds", 20);
        var users = TenantSweepRun.Arg(args, "--users", 500);
        var warmupSeconds = TenantSweepRun.Arg(args, "--warmup", 3);

        var seed = SweepTenant.Build(users, TimeProvider.System.GetUtcNow());
        await using var simulator = await GraphSimulatorHost.StartAsync(seed, new SimulatorOptions { MailboxConcurrencyLimit = 4 });
        var dataDirectory = Path.Combine(Path.GetTempPath(), "bosstalk-load-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        try
        {
            using var service = ServiceHost.Create(dataDirectory, simulator.GraphBaseUrl, new Dictionary<string, string?>
            {
                ["Jobs:WorkerCount"] = "2",
            });
            service.StartServer();
            var rollout = service.Services.GetRequiredService<TeamRollout>();
            for (var j = 0; j < SweepTenant.ManagerCount(users); j++)
            {
                await rollout.ApproveAsync(SweepTenant.TenantId, SweepTenant.ManagerId(j), SweepTenant.ManagerId(j), [.. SweepTenant.ReportsOf(j, users)], CancellationToken.None);
            }

            var tokens = Enumerable.Range(0, users).Select(i => service.Issuer.Mint(SweepTenant.ReportId(i), SweepTenant.TenantId)).ToArray();
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
            {
                BaseAddress = service.ServerAddress,
                Timeout = TimeSpan.FromSeconds(30),
            };

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Load: GET /api/v1/me at {rps} requests/s for {seconds} s (after {warmupSeconds} s warm-up), {users} users' tokens, {service.ServerAddress}"));
            await DriveAsync(http, tokens, rps, warmupSeconds, record: false);
            var (latencies, failures, elapsed) = await DriveAsync(http, tokens, rps, seconds, record: true);

            latencies.Sort();
            double P(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Requests {latencies.Count + failures} ({failures} not 200) in {elapsed.TotalSeconds:F1} s: throughput {latencies.Count / elapsed.TotalSeconds:F1}/s at a target of {rps}/s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Latency ms: p50 {P(0.50):F2}, p90 {P(0.90):F2}, p99 {P(0.99):F2}, max {(latencies.Count == 0 ? double.NaN : latencies[^1]):F2}"));
            return failures == 0 ? 0 : 1;
        }
        finally
        {
            TenantSweepRun.TryDelete(dataDirectory);
        }
    }

    /// <summary>Open loop: request k is sent at start + k/rps whatever the earlier ones are doing, so a slow server shows as latency.</summary>
    private static async Task<(List<double> Latencies, int Failures, TimeSpan Elapsed)> DriveAsync(HttpClient http, string[] tokens, int rps, int seconds, bool record)
    {
        var total = rps * seconds;
        var latencies = new List<double>(total);
        var failures = 0;
        var gate = new Lock();
        var tasks = new List<Task>(total);
        var watch = Stopwatch.StartNew();
        for (var k = 0; k < total; k++)
        {
            var due = TimeSpan.FromSeconds(k / (double)rps);
            var wait = due - watch.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var token = tokens[k % tokens.Length];
            tasks.Add(Task.Run(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                var started = Stopwatch.GetTimestamp();
                var ok = false;
                try
                {
                    using var response = await http.SendAsync(request);
                    ok = response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }

                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (record)
                {
                    lock (gate)
                    {
                        if (ok)
                        {
                            latencies.Add(ms);
                        }
                        else
                        {
                            failures++;
                        }
                    }
                }
            }));
        }

        await Task.WhenAll(tasks);
        return (latencies, failures, watch.Elapsed);
    }
}

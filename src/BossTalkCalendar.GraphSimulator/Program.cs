using System.Globalization;
using System.Runtime.InteropServices;

namespace BossTalkCalendar.GraphSimulator;

/// <summary>dotnet run --project src/BossTalkCalendar.GraphSimulator -- --seed tenant.json --port 5180 [--state state.json]</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                await Console.Error.WriteLineAsync(Usage);
                return 2;
            }

            settings[args[i][2..]] = args[++i];
        }

        var seedPath = settings.GetValueOrDefault("seed") ?? Path.Combine(AppContext.BaseDirectory, "sample-tenant.json");
        var options = new SimulatorOptions
        {
            Port = int.Parse(settings.GetValueOrDefault("port") ?? "5180", CultureInfo.InvariantCulture),
            StateFile = settings.GetValueOrDefault("state"),
            MailboxConcurrencyLimit = int.Parse(settings.GetValueOrDefault("mailbox-concurrency") ?? "4", CultureInfo.InvariantCulture),
            RequestsPerSecond = double.Parse(settings.GetValueOrDefault("rps") ?? "0", CultureInfo.InvariantCulture),
            FailureRate = double.Parse(settings.GetValueOrDefault("failure-rate") ?? "0", CultureInfo.InvariantCulture),
            HtmlErrorRate = double.Parse(settings.GetValueOrDefault("html-error-rate") ?? "0", CultureInfo.InvariantCulture),
            LostResponseRate = double.Parse(settings.GetValueOrDefault("lost-response-rate") ?? "0", CultureInfo.InvariantCulture),
            AddedLatency = TimeSpan.FromMilliseconds(double.Parse(settings.GetValueOrDefault("latency-ms") ?? "0", CultureInfo.InvariantCulture)),
        };

        await using var host = await GraphSimulatorHost.StartAsync(TenantSeed.Load(seedPath), options);
        Console.WriteLine($"Graph simulator: {host.GraphBaseUrl} ({host.Tenant.Users.Count} users from {seedPath}{(options.StateFile is null ? "" : ", state in " + options.StateFile)}). Ctrl+C stops it.");

        var stop = new TaskCompletionSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        await stop.Task;
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }
    }

    private const string Usage = "usage: --seed <tenant.json> --port <n> [--state <file>] [--mailbox-concurrency <n>] [--rps <n>] [--failure-rate <0..1>] [--html-error-rate <0..1>] [--lost-response-rate <0..1>] [--latency-ms <n>]";
}

using System.Globalization;
using BossTalkCalendar.Core.Calendar;

namespace BossTalkCalendar.Api.Health;

/// <summary>
/// Whether this machine's time-zone database can do what the service needs: Windows and IANA zone names, as mailboxes
/// carry them, must resolve with the right offsets on fixed dates in winter and summer. Without tzdata every mailbox
/// fell back to UTC with only a warning, and blocks landed outside people's working hours (issue 21). Used at
/// start-up (<see cref="ZoneDatabaseStartup"/>) and by the preflight check.
/// </summary>
/// <param name="resolve">How the service resolves a zone name (Core's <see cref="TimeZones.TryFindByName"/>); null when unknown.</param>
public sealed class ZoneDatabaseCheck(Func<string, TimeZoneInfo?> resolve)
{
    /// <summary>One probe: a zone name and the offset it must have at an instant.</summary>
    public sealed record Probe(string Name, DateTimeOffset At, TimeSpan Offset);

    /// <summary>
    /// Past dates, so a later change of a country's rules cannot break the check; each zone in winter and summer of
    /// 2024, DST-aware. Sao Paulo ended DST in 2019: a tzdata older than that answers -02:00 in January.
    /// </summary>
    public static IReadOnlyList<Probe> Probes { get; } =
    [
        new("W. Europe Standard Time", new(2024, 1, 15, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(1)),
        new("W. Europe Standard Time", new(2024, 7, 15, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(2)),
        new("Australia/Sydney", new(2024, 1, 15, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(11)),
        new("Australia/Sydney", new(2024, 7, 15, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(10)),
        new("Eastern Standard Time", new(2024, 1, 15, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(-5)),
        new("Eastern Standard Time", new(2024, 7, 15, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(-4)),
        new("Asia/Kolkata", new(2024, 7, 15, 12, 0, 0, TimeSpan.Zero), new TimeSpan(5, 30, 0)),
        new("America/Sao_Paulo", new(2024, 1, 15, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(-3)),
    ];

    /// <summary>The check over the resolver the service itself uses.</summary>
    public static ZoneDatabaseCheck System { get; } = new(name => TimeZones.TryFindByName(name, out var zone) ? zone : null);

    /// <summary>What to do about a problem; part of every refusal.</summary>
    public const string Fix =
        "The service needs the IANA time-zone database (Debian/Ubuntu: the tzdata package, /usr/share/zoneinfo; or set TZDIR) "
        + "and ICU (libicu) for Windows zone names and .NET globalization; container images without them (chiseled images "
        + "other than -extra, hand-made root file systems) must add both.";

    /// <summary>One line per probe that failed; empty when the zone database is fine.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var probe in Probes)
        {
            TimeZoneInfo? zone;
            try
            {
                zone = resolve(probe.Name);
            }
            catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
            {
                zone = null;
            }

            var at = probe.At.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);
            if (zone is null)
            {
                problems.Add($"'{probe.Name}' is not a known time zone here (expected UTC{Format(probe.Offset)} at {at}).");
                continue;
            }

            var offset = zone.GetUtcOffset(probe.At);
            if (offset != probe.Offset)
            {
                problems.Add($"'{probe.Name}' is UTC{Format(offset)} at {at}, not UTC{Format(probe.Offset)}.");
            }
        }

        return problems;
    }

    private static string Format(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
}

/// <summary>
/// Refuses to start when <see cref="ZoneDatabaseCheck"/> finds a problem. It is the first hosted service and checks in
/// <see cref="StartingAsync"/>, before any other service's start (the database and the sandbox begin there too).
/// </summary>
internal sealed class ZoneDatabaseStartup(ZoneDatabaseCheck check) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        var problems = check.Problems();
        return problems.Count == 0
            ? Task.CompletedTask
            : throw new InvalidOperationException(
                "The time-zone database is missing or incomplete, so reflections would land at the wrong local times: "
                + string.Join(" ", problems) + " " + ZoneDatabaseCheck.Fix);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

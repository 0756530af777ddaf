using System.Collections.Concurrent;

namespace BossTalkCalendar.Core.Tests.Support;

/// <summary>
/// Brute-force wall-clock → instant mapping for the oracles. Only converts instants to local time (the direction
/// TimeZoneInfo gets right by construction) and scans minute by minute, so it shares no logic with the core.
/// Test inputs are whole minutes and real transitions happen on whole minutes, so minute steps are exact.
/// </summary>
internal static class LocalTimeOracle
{
    private static readonly ConcurrentDictionary<(string Zone, long Local, bool Stay), DateTimeOffset> Cache = new();

    public static DateTime Local(TimeZoneInfo zone, DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, zone).DateTime;

    public static DateOnly LocalDate(TimeZoneInfo zone, DateTimeOffset instant) => DateOnly.FromDateTime(Local(zone, instant));

    /// <summary>The first instant at which the wall clock reads <paramref name="local"/> or later (window starts).</summary>
    public static DateTimeOffset FirstReaching(TimeZoneInfo zone, DateTime local) =>
        Cache.GetOrAdd((zone.Id, local.Ticks, false), _ => Scan(zone, local, stay: false));

    /// <summary>
    /// The window end for <paramref name="local"/>: the last instant the wall clock reads it exactly (the LATER one
    /// when a fall-back repeats it, the exact boundary included), or the first instant past a spring-forward gap.
    /// </summary>
    public static DateTimeOffset LastReaching(TimeZoneInfo zone, DateTime local) =>
        Cache.GetOrAdd((zone.Id, local.Ticks, true), _ => Scan(zone, local, stay: true));

    private static DateTimeOffset Scan(TimeZoneInfo zone, DateTime local, bool stay)
    {
        var first = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), TimeSpan.Zero).AddHours(-15);
        DateTimeOffset? lastNotPast = null;
        for (var minute = 0; minute <= 30 * 60; minute++)
        {
            var instant = first.AddMinutes(minute);
            var reading = Local(zone, instant);
            if (!stay && reading >= local)
            {
                return instant;
            }

            if (stay && reading <= local)
            {
                lastNotPast = instant;
            }
        }

        return lastNotPast is { } last && last < first.AddMinutes(30 * 60)
            ? (Local(zone, last) == local ? last : last.AddMinutes(1))
            : throw new InvalidOperationException($"No instant reaches {local} in {zone.Id}.");
    }
}

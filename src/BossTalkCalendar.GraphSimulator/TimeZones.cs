using System.Globalization;
using TimeZoneConverter;

namespace BossTalkCalendar.GraphSimulator;

/// <summary>Zone names as Graph takes them: Windows names and IANA names, both accepted anywhere.</summary>
internal static class TimeZones
{
    public const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff";

    public static bool TryResolve(string? name, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }

        if (name.Equals("UTC", StringComparison.OrdinalIgnoreCase) || name.Equals("tzone://Microsoft/Utc", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return TZConvert.TryGetTimeZoneInfo(name, out zone!);
    }

    public static TimeZoneInfo Require(string name) =>
        TryResolve(name, out var zone) ? zone : throw new ArgumentException($"Unknown time zone '{name}'.", nameof(name));

    /// <summary>Wall-clock time in the zone, formatted as Graph's dateTime (no offset, seven fractional digits).</summary>
    public static string Format(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).DateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    public static string FormatUtc(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture) + "Z";

    /// <summary>
    /// A dateTime from a request: with an offset it is that instant; without, wall-clock time in <paramref name="zone"/>.
    /// A wall-clock time inside a spring-forward gap moves forward by the gap, as Exchange does.
    /// </summary>
    public static bool TryParse(string? text, TimeZoneInfo zone, out DateTimeOffset instant)
    {
        instant = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind | DateTimeStyles.AllowWhiteSpaces, out var parsed))
        {
            return false;
        }

        if (parsed.Kind == DateTimeKind.Utc)
        {
            instant = new DateTimeOffset(parsed, TimeSpan.Zero);
            return true;
        }

        if (parsed.Kind == DateTimeKind.Local)
        {
            // RoundtripKind yields Local only when the text carried an offset; re-read it to keep that offset.
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out instant))
            {
                return false;
            }

            instant = instant.ToUniversalTime();
            return true;
        }

        instant = FromWallClock(parsed, zone);
        return true;
    }

    public static DateTimeOffset FromWallClock(DateTime wallClock, TimeZoneInfo zone)
    {
        wallClock = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        var offset = zone.IsInvalidTime(wallClock)
            ? zone.GetUtcOffset(wallClock.AddHours(-3))
            : zone.GetUtcOffset(wallClock);
        return new DateTimeOffset(wallClock, offset).ToUniversalTime();
    }
}

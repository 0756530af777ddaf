using System.Globalization;
using TimeZoneConverter;

namespace BossTalkCalendar.Core.Calendar;

/// <summary>Which instant an ambiguous wall-clock time (repeated when clocks fall back) stands for.</summary>
public enum AmbiguousTime
{
    /// <summary>The first occurrence (still on the offset before the transition).</summary>
    Earlier,

    /// <summary>The second occurrence (already on the offset after the transition).</summary>
    Later,
}

/// <summary>
/// Resolves the time zones Graph hands out (Windows names, IANA names, custom zones) to
/// <see cref="TimeZoneInfo"/> on any OS, and maps wall-clock times to instants with an explicit DST choice.
/// </summary>
public static class TimeZones
{
    /// <summary>Resolves a Windows ("W. Europe Standard Time") or IANA ("Europe/Berlin") zone name.</summary>
    /// <exception cref="ArgumentException">The name is empty or unknown.</exception>
    public static TimeZoneInfo FindByName(string windowsOrIanaName)
    {
        if (TryFindByName(windowsOrIanaName, out var zone))
        {
            return zone;
        }

        throw new ArgumentException($"Unknown time zone '{windowsOrIanaName}'.", nameof(windowsOrIanaName));
    }

    /// <summary>Resolves a Windows or IANA zone name; false when it is empty or unknown.</summary>
    public static bool TryFindByName(string name, out TimeZoneInfo zone)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }

        var trimmed = name.Trim();

        // Graph writes UTC as "tzone://Microsoft/Utc" in some payloads.
        if (trimmed.Equals("tzone://Microsoft/Utc", StringComparison.OrdinalIgnoreCase))
        {
            zone = TimeZoneInfo.Utc;
            return true;
        }

        if (TZConvert.TryGetTimeZoneInfo(trimmed, out var found))
        {
            zone = found;
            return true;
        }

        zone = TimeZoneInfo.Utc;
        return false;
    }

    /// <summary>
    /// Resolves a Graph zone description. A <see cref="CustomTimeZone"/> follows Windows TIME_ZONE_INFORMATION
    /// semantics: UTC = local + bias (+ standard bias in standard time, + daylight bias in daylight time);
    /// each transition time is the wall-clock time in force just before the transition. A transition with
    /// <see cref="ZoneTransition.Year"/> other than 0 applies to that year only.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name, or a custom zone .NET cannot represent.</exception>
    public static TimeZoneInfo Resolve(TimeZoneSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec switch
        {
            NamedTimeZone named => FindByName(named.Name),
            CustomTimeZone custom => CreateCustom(custom),
            _ => throw new ArgumentException($"Unsupported time zone description {spec.GetType().Name}.", nameof(spec)),
        };
    }

    /// <summary>
    /// The instant a wall-clock time in <paramref name="zone"/> stands for. A time in a spring-forward gap
    /// does not exist and maps to the first instant after the gap; an ambiguous time maps as
    /// <paramref name="ambiguous"/> says.
    /// </summary>
    public static DateTimeOffset ToInstant(TimeZoneInfo zone, DateTime localDateTime, AmbiguousTime ambiguous)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var utc = ZoneMath.ToUtcTicks(zone, localDateTime, ambiguous == AmbiguousTime.Later);
        return ZoneMath.ToZone(zone, utc);
    }

    private static TimeZoneInfo CreateCustom(CustomTimeZone custom)
    {
        var standardBias = custom.Standard?.ExtraBiasMinutes ?? 0;
        var baseOffset = TimeSpan.FromMinutes(-(custom.BiasMinutes + standardBias));
        var id = string.Create(CultureInfo.InvariantCulture, $"Custom (bias {custom.BiasMinutes})");
        try
        {
            var rules = CreateRules(custom, standardBias);
            return rules.Length == 0
                ? TimeZoneInfo.CreateCustomTimeZone(id, baseOffset, id, id)
                : TimeZoneInfo.CreateCustomTimeZone(id, baseOffset, id, id, id + " (daylight)", rules);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"The custom time zone cannot be represented: {ex.Message}", nameof(custom), ex);
        }
    }

    private static TimeZoneInfo.AdjustmentRule[] CreateRules(CustomTimeZone custom, int standardBias)
    {
        if (custom.Standard is not { } standard || custom.Daylight is not { } daylight)
        {
            return [];
        }

        // Windows marks "no DST" with month 0; a zero delta also means there is nothing to adjust.
        var delta = TimeSpan.FromMinutes(-(daylight.ExtraBiasMinutes - standardBias));
        if (standard.Month == 0 || daylight.Month == 0 || delta == TimeSpan.Zero)
        {
            return [];
        }

        var year = daylight.Year != 0 ? daylight.Year : standard.Year;
        var from = year == 0 ? DateTime.MinValue.Date : new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var to = year == 0 ? DateTime.MaxValue.Date : new DateTime(year, 12, 31, 0, 0, 0, DateTimeKind.Unspecified);
        var rule = TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(
            from,
            to,
            delta,
            Transition(daylight),
            Transition(standard));
        return [rule];
    }

    private static TimeZoneInfo.TransitionTime Transition(ZoneTransition transition)
    {
        if (transition.DayOccurrence is < 1 or > 5)
        {
            throw new ArgumentException("A transition's day occurrence must be 1–5 (5 = last).", nameof(transition));
        }

        var timeOfDay = new DateTime(1, 1, 1, 0, 0, 0, DateTimeKind.Unspecified).Add(transition.Time.ToTimeSpan());
        return TimeZoneInfo.TransitionTime.CreateFloatingDateRule(timeOfDay, transition.Month, transition.DayOccurrence, transition.DayOfWeek);
    }
}

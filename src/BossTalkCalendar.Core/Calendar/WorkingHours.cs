namespace BossTalkCalendar.Core.Calendar;

/// <summary>
/// A user's working hours as Graph's mailboxSettings returns them: one start and end time of day for a
/// set of week days, in a time zone. The times are wall-clock times in <see cref="TimeZone"/>.
/// An end time of 00:00 means midnight at the end of the day.
/// </summary>
/// <param name="Days">Working days of the week.</param>
/// <param name="StartTime">Local start of the working day.</param>
/// <param name="EndTime">Local end of the working day (exclusive).</param>
/// <param name="TimeZone">The zone the times are expressed in (resolved from a Windows, IANA or custom Graph zone).</param>
public sealed record WorkingHours(
    IReadOnlySet<DayOfWeek> Days,
    TimeOnly StartTime,
    TimeOnly EndTime,
    TimeZoneInfo TimeZone);

/// <summary>
/// A time zone as Graph describes it: either a name (Windows such as "W. Europe Standard Time",
/// or IANA such as "Europe/Berlin"), or a custom zone given by bias and transition rules.
/// </summary>
public abstract record TimeZoneSpec;

/// <summary>A zone given by its Windows or IANA name.</summary>
public sealed record NamedTimeZone(string Name) : TimeZoneSpec;

/// <summary>
/// Graph's <c>#microsoft.graph.customTimeZone</c>: UTC = local + <see cref="BiasMinutes"/>, with optional
/// standard/daylight transitions (bias values in minutes, following Windows TIME_ZONE_INFORMATION semantics).
/// </summary>
/// <param name="BiasMinutes">Base bias in minutes: UTC = local time + bias.</param>
/// <param name="Standard">Transition into standard time, or null when the zone has no DST.</param>
/// <param name="Daylight">Transition into daylight time, or null when the zone has no DST.</param>
public sealed record CustomTimeZone(int BiasMinutes, ZoneTransition? Standard, ZoneTransition? Daylight) : TimeZoneSpec;

/// <summary>
/// One yearly transition of a custom zone (Graph's standardTimeZoneOffset / daylightTimeZoneOffset).
/// </summary>
/// <param name="Time">Local time of day of the transition.</param>
/// <param name="Month">Month 1–12.</param>
/// <param name="DayOccurrence">1–4 for the n-th, 5 for the last <paramref name="DayOfWeek"/> of the month.</param>
/// <param name="DayOfWeek">Day of the week of the transition.</param>
/// <param name="Year">0 for every year (recurring rule), else a fixed year.</param>
/// <param name="ExtraBiasMinutes">Bias added to the base bias while this period is in force (daylightBias/standardBias).</param>
public sealed record ZoneTransition(TimeOnly Time, int Month, int DayOccurrence, DayOfWeek DayOfWeek, int Year, int ExtraBiasMinutes);

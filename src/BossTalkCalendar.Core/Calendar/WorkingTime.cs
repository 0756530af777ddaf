namespace BossTalkCalendar.Core.Calendar;

/// <summary>
/// Turns <see cref="WorkingHours"/> (wall-clock times in a zone) into instants.
/// </summary>
/// <remarks>
/// DST choice, applied to every local boundary the core maps (working windows, lunch windows):
/// a boundary inside a spring-forward gap maps to the first instant after the gap; an ambiguous
/// fall-back boundary maps to the EARLIER instant when it starts a window and to the LATER instant when it
/// ends one, so a window never loses the repeated hour. An end time of 00:00 is midnight at the end of the day.
/// </remarks>
public static class WorkingTime
{
    /// <summary>The working time inside <c>[from, to)</c>, one interval per working day, clipped to the range, in order.</summary>
    public static IEnumerable<Interval> Windows(WorkingHours workingHours, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(workingHours);
        if (to <= from || !HasWorkingTime(workingHours))
        {
            return [];
        }

        return Iterate(workingHours, from.UtcTicks, to.UtcTicks);
    }

    /// <summary>The working window of one local date (unclipped), or null when it is not a working day or the window is empty.</summary>
    public static Interval? WindowOn(WorkingHours workingHours, DateOnly localDate)
    {
        ArgumentNullException.ThrowIfNull(workingHours);
        if (!TryWindow(workingHours, localDate, out var start, out var end))
        {
            return null;
        }

        var zone = workingHours.TimeZone;
        return new Interval(ZoneMath.ToZone(zone, start), ZoneMath.ToZone(zone, end));
    }

    /// <summary>True when the hours describe any working time at all (some day, and an end after the start).</summary>
    public static bool HasWorkingTime(WorkingHours workingHours)
    {
        ArgumentNullException.ThrowIfNull(workingHours);
        return workingHours.Days.Count > 0
            && (workingHours.EndTime == TimeOnly.MinValue || workingHours.EndTime > workingHours.StartTime);
    }

    /// <summary>True when <paramref name="date"/> falls on one of the working days.</summary>
    public static bool IsWorkingDay(WorkingHours workingHours, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(workingHours);
        return workingHours.Days.Contains(date.DayOfWeek);
    }

    /// <summary>The first working day strictly after <paramref name="date"/>; requires at least one working day.</summary>
    internal static DateOnly NextWorkingDay(WorkingHours workingHours, DateOnly date)
    {
        for (var i = 1; i <= 7; i++)
        {
            var candidate = date.AddDays(i);
            if (workingHours.Days.Contains(candidate.DayOfWeek))
            {
                return candidate;
            }
        }

        throw new ArgumentException("The working hours have no working day.", nameof(workingHours));
    }

    /// <summary>The first working day on or after <paramref name="date"/>; requires at least one working day.</summary>
    internal static DateOnly WorkingDayOnOrAfter(WorkingHours workingHours, DateOnly date) =>
        workingHours.Days.Contains(date.DayOfWeek) ? date : NextWorkingDay(workingHours, date);

    /// <summary>The instant the working day of <paramref name="date"/> ends (whether or not the window is empty).</summary>
    internal static long EndTicks(WorkingHours workingHours, DateOnly date)
    {
        var endLocal = workingHours.EndTime == TimeOnly.MinValue
            ? date.AddDays(1).ToDateTime(TimeOnly.MinValue)
            : date.ToDateTime(workingHours.EndTime);
        return ZoneMath.ToUtcTicks(workingHours.TimeZone, endLocal, later: true);
    }

    /// <summary>The first instant of a local date (midnight, or the end of a gap that swallows it).</summary>
    internal static long DayStartTicks(TimeZoneInfo zone, DateOnly date) =>
        ZoneMath.ToUtcTicks(zone, date.ToDateTime(TimeOnly.MinValue), later: false);

    /// <summary>The working window of a date in UTC ticks; false when not a working day or empty.</summary>
    internal static bool TryWindow(WorkingHours workingHours, DateOnly date, out long start, out long end)
    {
        start = 0;
        end = 0;
        if (!workingHours.Days.Contains(date.DayOfWeek)
            || (workingHours.EndTime != TimeOnly.MinValue && workingHours.EndTime <= workingHours.StartTime))
        {
            return false;
        }

        start = ZoneMath.ToUtcTicks(workingHours.TimeZone, date.ToDateTime(workingHours.StartTime), later: false);
        end = EndTicks(workingHours, date);
        return end > start;
    }

    /// <summary>A local [start, end) time-of-day range on a date, as instants (same DST choice as windows); false when empty.</summary>
    internal static bool TryLocalRange(TimeZoneInfo zone, DateOnly date, TimeOnly startTime, TimeOnly endTime, out long start, out long end)
    {
        start = 0;
        end = 0;
        if (endTime <= startTime)
        {
            return false;
        }

        start = ZoneMath.ToUtcTicks(zone, date.ToDateTime(startTime), later: false);
        end = ZoneMath.ToUtcTicks(zone, date.ToDateTime(endTime), later: true);
        return end > start;
    }

    private static IEnumerable<Interval> Iterate(WorkingHours workingHours, long from, long to)
    {
        var zone = workingHours.TimeZone;
        var last = ZoneMath.LocalDate(zone, to);
        for (var date = ZoneMath.LocalDate(zone, from).AddDays(-1); date <= last; date = date.AddDays(1))
        {
            if (!TryWindow(workingHours, date, out var start, out var end))
            {
                continue;
            }

            start = Math.Max(start, from);
            end = Math.Min(end, to);
            if (end > start)
            {
                yield return new Interval(ZoneMath.ToZone(zone, start), ZoneMath.ToZone(zone, end));
            }
        }
    }
}

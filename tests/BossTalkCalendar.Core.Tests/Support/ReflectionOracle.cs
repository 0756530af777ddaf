using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Scheduling;
using static BossTalkCalendar.Core.Tests.Support.LocalTimeOracle;

namespace BossTalkCalendar.Core.Tests.Support;

/// <summary>
/// The reflection rules applied literally: tries every whole minute from the earliest start to the horizon and
/// returns the first that passes every rule. Slow by design; shares no code with the finder.
/// </summary>
internal static class ReflectionOracle
{
    public static SlotResult Find(DateTimeOffset meetingEnd, DateTimeOffset now, WorkingHours hours, IReadOnlyList<BusyInterval> busy, ReflectionPolicy policy)
    {
        if (!Rules.HasHours(hours))
        {
            return SlotResult.NotFound(NoSlotReason.NoWorkingTimeInHorizon);
        }

        var earliest = Rules.Max(meetingEnd + policy.CoolDown, now);
        var horizonEnd = HorizonEnd(meetingEnd, hours);
        if (earliest >= horizonEnd)
        {
            return SlotResult.NotFound(NoSlotReason.HorizonPassed);
        }

        var slot = FirstFeasible(earliest, horizonEnd, hours, busy, policy);
        if (slot is { } found)
        {
            return SlotResult.FoundAt(found);
        }

        return FirstFeasible(earliest, horizonEnd, hours, [], policy) is null
            ? SlotResult.NotFound(NoSlotReason.NoWorkingTimeInHorizon)
            : SlotResult.NotFound(NoSlotReason.CalendarFull);
    }

    public static DateTimeOffset HorizonEnd(DateTimeOffset meetingEnd, WorkingHours hours)
    {
        var day = LocalDate(hours.TimeZone, meetingEnd).AddDays(1);
        while (!hours.Days.Contains(day.DayOfWeek))
        {
            day = day.AddDays(1);
        }

        return LastReaching(hours.TimeZone, Rules.EndLocal(hours, day));
    }

    /// <summary>Every reflection rule for one candidate; null when it passes, else the rule it breaks.</summary>
    public static string? BrokenRule(Interval slot, DateTimeOffset earliest, DateTimeOffset horizonEnd, WorkingHours hours, IReadOnlyList<BusyInterval> busy, ReflectionPolicy policy)
    {
        if (slot.Start < earliest)
        {
            return "starts before the earliest start";
        }

        if (slot.End > horizonEnd)
        {
            return "ends after the horizon";
        }

        if (!Rules.IsAligned(hours.TimeZone, slot.Start, policy.Alignment))
        {
            return "not aligned";
        }

        if (Rules.WorkingDayOf(hours, slot, TimeSpan.Zero) is not { } day)
        {
            return "not inside one working window";
        }

        if (Rules.OverlapsLunch(hours.TimeZone, day, slot, policy.LunchStart, policy.LunchEnd))
        {
            return "overlaps lunch";
        }

        var buffered = new Interval(slot.Start - policy.Buffer, slot.End + policy.Buffer);
        return Rules.AnyBlocking(busy, buffered) ? "buffer overlaps a blocking item" : null;
    }

    private static Interval? FirstFeasible(DateTimeOffset earliest, DateTimeOffset horizonEnd, WorkingHours hours, IReadOnlyList<BusyInterval> busy, ReflectionPolicy policy)
    {
        for (var start = Rules.CeilMinute(earliest); start + policy.Duration <= horizonEnd; start = start.AddMinutes(1))
        {
            var slot = new Interval(start, start + policy.Duration);
            if (BrokenRule(slot, earliest, horizonEnd, hours, busy, policy) is null)
            {
                return slot;
            }
        }

        return null;
    }
}

/// <summary>Rule predicates shared by both oracles (not by the core).</summary>
internal static class Rules
{
    public static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    public static DateTimeOffset CeilMinute(DateTimeOffset instant)
    {
        var floor = new DateTimeOffset(instant.UtcTicks - (instant.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        return floor < instant ? floor.AddMinutes(1) : floor;
    }

    public static bool HasHours(WorkingHours hours) =>
        hours.Days.Count > 0 && (hours.EndTime == TimeOnly.MinValue || hours.EndTime > hours.StartTime);

    public static DateTime EndLocal(WorkingHours hours, DateOnly day) =>
        hours.EndTime == TimeOnly.MinValue ? day.AddDays(1).ToDateTime(TimeOnly.MinValue) : day.ToDateTime(hours.EndTime);

    public static bool IsAligned(TimeZoneInfo zone, DateTimeOffset start, TimeSpan alignment) =>
        LocalTimeOracle.Local(zone, start).TimeOfDay.Ticks % alignment.Ticks == 0;

    public static (DateTimeOffset Start, DateTimeOffset End)? Window(WorkingHours hours, DateOnly day)
    {
        if (!hours.Days.Contains(day.DayOfWeek) || (hours.EndTime != TimeOnly.MinValue && hours.EndTime <= hours.StartTime))
        {
            return null;
        }

        return (LocalTimeOracle.FirstReaching(hours.TimeZone, day.ToDateTime(hours.StartTime)),
            LocalTimeOracle.LastReaching(hours.TimeZone, EndLocal(hours, day)));
    }

    /// <summary>The local date whose working window (shrunk by <paramref name="margin"/> at both ends) holds the whole slot.</summary>
    public static DateOnly? WorkingDayOf(WorkingHours hours, Interval slot, TimeSpan margin)
    {
        var date = LocalTimeOracle.LocalDate(hours.TimeZone, slot.Start);
        for (var day = date.AddDays(-1); day <= date.AddDays(1); day = day.AddDays(1))
        {
            if (Window(hours, day) is { } window && window.Start + margin <= slot.Start && slot.End <= window.End - margin)
            {
                return day;
            }
        }

        return null;
    }

    public static bool OverlapsLunch(TimeZoneInfo zone, DateOnly day, Interval slot, TimeOnly lunchStart, TimeOnly lunchEnd)
    {
        if (lunchEnd <= lunchStart)
        {
            return false;
        }

        var start = LocalTimeOracle.FirstReaching(zone, day.ToDateTime(lunchStart));
        var end = LocalTimeOracle.LastReaching(zone, day.ToDateTime(lunchEnd));
        return start < end && slot.Start < end && start < slot.End;
    }

    public static bool AnyBlocking(IReadOnlyList<BusyInterval> busy, Interval span) =>
        busy.Any(item => item.Blocks && item.Interval.Duration > TimeSpan.Zero && item.Interval.Overlaps(span));
}

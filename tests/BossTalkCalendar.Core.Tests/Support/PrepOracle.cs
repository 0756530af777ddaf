using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Scheduling;
using static BossTalkCalendar.Core.Tests.Support.LocalTimeOracle;

namespace BossTalkCalendar.Core.Tests.Support;

/// <summary>
/// The prep rules applied literally: tries every whole minute from the latest possible start back to the earliest
/// and returns the first (so the latest) that passes every rule. Slow by design; shares no code with the finder.
/// </summary>
internal static class PrepOracle
{
    public static SlotResult Find(DateTimeOffset nextMeetingStart, DateTimeOffset now, WorkingHours hours, IReadOnlyList<BusyInterval> busy, PrepPolicy policy)
    {
        if (!Rules.HasHours(hours))
        {
            return SlotResult.NotFound(NoSlotReason.NoWorkingTimeInHorizon);
        }

        var latestEnd = nextMeetingStart - policy.MinLead;
        if (latestEnd - policy.Duration < now)
        {
            return SlotResult.NotFound(NoSlotReason.HorizonPassed);
        }

        if (LatestFeasible(nextMeetingStart, now, hours, busy, policy) is { } slot)
        {
            return SlotResult.FoundAt(slot);
        }

        return LatestFeasible(nextMeetingStart, now, hours, [], policy) is null
            ? SlotResult.NotFound(NoSlotReason.NoWorkingTimeInHorizon)
            : SlotResult.NotFound(NoSlotReason.CalendarFull);
    }

    /// <summary>The first instant the wall clock reads the working start of the last working day before the meeting's local date.</summary>
    public static DateTimeOffset WindowStart(DateTimeOffset nextMeetingStart, WorkingHours hours)
    {
        var day = LocalDate(hours.TimeZone, nextMeetingStart).AddDays(-1);
        while (!hours.Days.Contains(day.DayOfWeek))
        {
            day = day.AddDays(-1);
        }

        return FirstReaching(hours.TimeZone, day.ToDateTime(hours.StartTime));
    }

    /// <summary>Every prep rule for one candidate; null when it passes, else the rule it breaks.</summary>
    public static string? BrokenRule(Interval slot, DateTimeOffset nextMeetingStart, DateTimeOffset now, WorkingHours hours, IReadOnlyList<BusyInterval> busy, PrepPolicy policy)
    {
        if (slot.Start < now)
        {
            return "starts before now";
        }

        if (slot.Start < WindowStart(nextMeetingStart, hours))
        {
            return "starts before the window of the previous working day";
        }

        if (slot.End > nextMeetingStart - policy.MinLead)
        {
            return "ends after the meeting start minus the lead";
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

    private static Interval? LatestFeasible(DateTimeOffset nextMeetingStart, DateTimeOffset now, WorkingHours hours, IReadOnlyList<BusyInterval> busy, PrepPolicy policy)
    {
        // Whole minutes only: test inputs and real transitions are whole minutes and alignment is at least a minute.
        var earliest = Rules.Max(WindowStart(nextMeetingStart, hours), now);
        var last = nextMeetingStart - policy.MinLead - policy.Duration;
        for (var start = new DateTimeOffset(last.UtcTicks - (last.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero); start >= earliest; start = start.AddMinutes(-1))
        {
            var slot = new Interval(start, start + policy.Duration);
            if (BrokenRule(slot, nextMeetingStart, now, hours, busy, policy) is null)
            {
                return slot;
            }
        }

        return null;
    }
}

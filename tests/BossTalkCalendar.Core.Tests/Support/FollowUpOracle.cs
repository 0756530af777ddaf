using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Scheduling;
using static BossTalkCalendar.Core.Tests.Support.LocalTimeOracle;

namespace BossTalkCalendar.Core.Tests.Support;

/// <summary>
/// The follow-up rules applied literally: every whole minute in the horizon is checked against every rule for
/// both people; free time around a feasible slot is measured minute by minute; then the first manager day with a
/// feasible slot wins, best score first, earliest on ties. Shares no code with the finder.
/// </summary>
internal static class FollowUpOracle
{
    public static SlotResult Find(
        DateTimeOffset meetingEnd, DateTimeOffset now, TimeSpan duration,
        WorkingHours user, IReadOnlyList<BusyInterval> userBusy,
        WorkingHours manager, IReadOnlyList<BusyInterval> managerBusy, FollowUpPolicy policy)
    {
        if (!Rules.HasHours(manager))
        {
            return SlotResult.NotFound(NoSlotReason.NoWorkingTimeInHorizon);
        }

        if (!Rules.HasHours(user))
        {
            return SlotResult.NotFound(NoSlotReason.NoCommonWorkingTime);
        }

        var (earliest, horizonEnd) = Bounds(meetingEnd, now, manager, policy);
        if (earliest >= horizonEnd)
        {
            return SlotResult.NotFound(NoSlotReason.HorizonPassed);
        }

        if (Best(earliest, horizonEnd, duration, user, userBusy, manager, managerBusy, policy) is { } slot)
        {
            return SlotResult.FoundAt(slot);
        }

        if (Best(earliest, horizonEnd, duration, user, [], manager, [], policy) is null)
        {
            return SlotResult.NotFound(NoSlotReason.NoCommonWorkingTime);
        }

        var oofOnly = managerBusy.Where(item => item.Status == ShowAs.Oof).ToList();
        return Best(earliest, horizonEnd, duration, user, [], manager, oofOnly, policy) is null
            ? SlotResult.NotFound(NoSlotReason.ManagerOutOfOffice)
            : SlotResult.NotFound(NoSlotReason.CalendarFull);
    }

    public static (DateTimeOffset Earliest, DateTimeOffset HorizonEnd) Bounds(DateTimeOffset meetingEnd, DateTimeOffset now, WorkingHours manager, FollowUpPolicy policy)
    {
        var zone = manager.TimeZone;
        var next = NextWorkingDay(manager, LocalDate(zone, meetingEnd).AddDays(1));
        var earliest = Rules.Max(Rules.Max(FirstReaching(zone, next.ToDateTime(TimeOnly.MinValue)), meetingEnd + policy.MinimumDelay), now);
        var last = NextWorkingDay(manager, LocalDate(zone, earliest));
        for (var counted = 1; counted < policy.HorizonWorkingDays; counted++)
        {
            last = NextWorkingDay(manager, last.AddDays(1));
        }

        return (earliest, LastReaching(zone, Rules.EndLocal(manager, last)));
    }

    /// <summary>Every follow-up rule for one candidate; null when it passes, else the rule it breaks.</summary>
    public static string? BrokenRule(
        Interval slot, DateTimeOffset earliest, DateTimeOffset horizonEnd,
        WorkingHours user, IReadOnlyList<BusyInterval> userBusy,
        WorkingHours manager, IReadOnlyList<BusyInterval> managerBusy, FollowUpPolicy policy)
    {
        if (slot.Start < earliest)
        {
            return "starts before the earliest start";
        }

        if (slot.End > horizonEnd)
        {
            return "ends after the horizon";
        }

        if (!Rules.IsAligned(manager.TimeZone, slot.Start, policy.Alignment))
        {
            return "not aligned in the manager's zone";
        }

        if (Rules.WorkingDayOf(manager, slot, policy.ManagerEdgeMargin) is not { } day)
        {
            return "not inside the manager's working window minus its edges";
        }

        if (Rules.OverlapsLunch(manager.TimeZone, day, slot, policy.LunchStart, policy.LunchEnd))
        {
            return "overlaps the manager's lunch";
        }

        if (IsOutOfOfficeDay(manager.TimeZone, day, managerBusy))
        {
            return "on a day the manager is out of office";
        }

        if (Rules.WorkingDayOf(user, slot, TimeSpan.Zero) is null)
        {
            return "not inside the user's working window";
        }

        if (Rules.AnyBlocking(userBusy, slot))
        {
            return "overlaps the user's busy time";
        }

        var buffered = new Interval(slot.Start - policy.ManagerBuffer, slot.End + policy.ManagerBuffer);
        return Rules.AnyBlocking(managerBusy, buffered) ? "manager buffer overlaps a blocking item" : null;
    }

    /// <summary>min(free before, free after, cap) on the manager's calendar, in whole minutes.</summary>
    public static int Score(Interval slot, DateOnly managerDay, WorkingHours manager, IReadOnlyList<BusyInterval> managerBusy, FollowUpPolicy policy)
    {
        var window = Rules.Window(manager, managerDay)!.Value;
        var cap = (int)policy.FreeTimeScoreCap.TotalMinutes;
        var before = 0;
        while (before < cap && IsFreeMinute(slot.Start.AddMinutes(-before - 1), window, managerBusy))
        {
            before++;
        }

        var after = 0;
        while (after < cap && IsFreeMinute(slot.End.AddMinutes(after), window, managerBusy))
        {
            after++;
        }

        return Math.Min(before, after);
    }

    private static bool IsFreeMinute(DateTimeOffset minute, (DateTimeOffset Start, DateTimeOffset End) window, IReadOnlyList<BusyInterval> busy) =>
        minute >= window.Start && minute.AddMinutes(1) <= window.End && !Rules.AnyBlocking(busy, new Interval(minute, minute.AddMinutes(1)));

    private static Interval? Best(
        DateTimeOffset earliest, DateTimeOffset horizonEnd, TimeSpan duration,
        WorkingHours user, IReadOnlyList<BusyInterval> userBusy,
        WorkingHours manager, IReadOnlyList<BusyInterval> managerBusy, FollowUpPolicy policy)
    {
        var feasible = new List<(DateOnly Day, int Score, Interval Slot)>();
        for (var start = Rules.CeilMinute(earliest); start + duration <= horizonEnd; start = start.AddMinutes(1))
        {
            var slot = new Interval(start, start + duration);
            if (BrokenRule(slot, earliest, horizonEnd, user, userBusy, manager, managerBusy, policy) is null)
            {
                var day = Rules.WorkingDayOf(manager, slot, policy.ManagerEdgeMargin)!.Value;
                feasible.Add((day, Score(slot, day, manager, managerBusy, policy), slot));
            }
        }

        if (feasible.Count == 0)
        {
            return null;
        }

        var firstDay = feasible.Min(candidate => candidate.Day);
        return feasible
            .Where(candidate => candidate.Day == firstDay)
            .OrderByDescending(candidate => candidate.Score)
            .ThenBy(candidate => candidate.Slot.Start)
            .First().Slot;
    }

    private static bool IsOutOfOfficeDay(TimeZoneInfo zone, DateOnly day, IReadOnlyList<BusyInterval> managerBusy)
    {
        var dayInterval = new Interval(
            FirstReaching(zone, day.ToDateTime(TimeOnly.MinValue)),
            FirstReaching(zone, day.AddDays(1).ToDateTime(TimeOnly.MinValue)));
        return managerBusy.Any(item => item.Status == ShowAs.Oof && item.Interval.Duration > TimeSpan.Zero && item.Interval.Overlaps(dayInterval));
    }

    private static DateOnly NextWorkingDay(WorkingHours hours, DateOnly from)
    {
        var day = from;
        while (!hours.Days.Contains(day.DayOfWeek))
        {
            day = day.AddDays(1);
        }

        return day;
    }
}

using BossTalkCalendar.Core.Calendar;

namespace BossTalkCalendar.Core.Scheduling;

/// <summary>Finds the private reflection block's slot on the user's own calendar.</summary>
public static class ReflectionSlotFinder
{
    /// <summary>
    /// The latest instant a slot for <paramref name="meetingEnd"/> may end (the horizon of <see cref="Find"/>), or null
    /// when the hours have no working time. A caller needs the calendar up to this instant plus the buffer, no further.
    /// </summary>
    public static DateTimeOffset? HorizonEnd(DateTimeOffset meetingEnd, WorkingHours workingHours)
    {
        ArgumentNullException.ThrowIfNull(workingHours);
        return WorkingTime.HasWorkingTime(workingHours)
            ? new DateTimeOffset(WorkingTime.EndTicks(workingHours, HorizonDay(meetingEnd, workingHours)), TimeSpan.Zero)
            : null;
    }

    private static DateOnly HorizonDay(DateTimeOffset meetingEnd, WorkingHours workingHours) =>
        WorkingTime.NextWorkingDay(workingHours, ZoneMath.LocalDate(workingHours.TimeZone, meetingEnd.UtcTicks));

    /// <summary>
    /// The earliest slot of <see cref="ReflectionPolicy.Duration"/> that satisfies every rule:
    /// <list type="bullet">
    /// <item>it starts at or after <c>max(meetingEnd + CoolDown, now)</c>, on a local multiple of
    /// <see cref="ReflectionPolicy.Alignment"/> in the working-hours zone;</item>
    /// <item>it ends by the horizon: the end of the working window of the first working day strictly after the
    /// local date (working-hours zone) of <paramref name="meetingEnd"/>. A meeting that ends on Monday morning
    /// can still get a slot on Monday, but the horizon stays the end of Tuesday; a meeting that ends on a Friday
    /// evening (Monday–Friday week) gets Monday, with the horizon at the end of Monday;</item>
    /// <item>it lies inside one working window and does not overlap that day's lunch window (both mapped
    /// to instants with the DST choice of <see cref="WorkingTime"/>);</item>
    /// <item><c>[start - Buffer, end + Buffer)</c> overlaps no blocking <see cref="BusyInterval"/>
    /// (busy, tentative, out of office, unknown); items with no length occupy no time.</item>
    /// </list>
    /// Busy items may come unsorted and overlapping; they are merged once and the search walks the gaps
    /// (O(n log n), no minute stepping).
    /// When nothing fits, the reason is, in this order: <see cref="NoSlotReason.NoWorkingTimeInHorizon"/>
    /// when the hours have no working day or an end before the start;
    /// <see cref="NoSlotReason.HorizonPassed"/> when the earliest start is at or after the horizon end;
    /// <see cref="NoSlotReason.NoWorkingTimeInHorizon"/> when even an empty calendar would leave no slot;
    /// otherwise <see cref="NoSlotReason.CalendarFull"/>.
    /// </summary>
    /// <returns>The slot expressed in the working-hours zone's offset, or the reason there is none.</returns>
    /// <exception cref="ArgumentException">The policy is invalid (see <see cref="ReflectionPolicy.Validate"/>).</exception>
    public static SlotResult Find(
        DateTimeOffset meetingEnd,
        DateTimeOffset now,
        WorkingHours workingHours,
        IReadOnlyList<BusyInterval> busy,
        ReflectionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(workingHours);
        ArgumentNullException.ThrowIfNull(busy);
        ArgumentNullException.ThrowIfNull(policy);
        policy.EnsureValid();

        if (!WorkingTime.HasWorkingTime(workingHours))
        {
            return SlotResult.NotFound(NoSlotReason.NoWorkingTimeInHorizon);
        }

        var zone = workingHours.TimeZone;
        var earliest = Math.Max(meetingEnd.UtcTicks + policy.CoolDown.Ticks, now.UtcTicks);
        var horizonDay = HorizonDay(meetingEnd, workingHours);
        var horizonEnd = WorkingTime.EndTicks(workingHours, horizonDay);
        if (earliest >= horizonEnd)
        {
            return SlotResult.NotFound(NoSlotReason.HorizonPassed);
        }

        using var timeline = BusyTimeline.Build(busy, policy.Buffer.Ticks, BusyFilter.Blocking, earliest, horizonEnd);
        var scan = new GapScan(timeline, zone, policy.Duration.Ticks, policy.Alignment.Ticks);

        for (var date = ZoneMath.LocalDate(zone, earliest).AddDays(-1); date <= horizonDay; date = date.AddDays(1))
        {
            if (!WorkingTime.TryWindow(workingHours, date, out var windowStart, out var windowEnd))
            {
                continue;
            }

            windowStart = Math.Max(windowStart, earliest);
            windowEnd = Math.Min(windowEnd, horizonEnd);
            if (windowEnd <= windowStart)
            {
                continue;
            }

            long found;
            if (WorkingTime.TryLocalRange(zone, date, policy.LunchStart, policy.LunchEnd, out var lunchStart, out var lunchEnd))
            {
                found = scan.FirstFit(windowStart, Math.Min(windowEnd, lunchStart));
                if (found < 0)
                {
                    found = scan.FirstFit(Math.Max(windowStart, lunchEnd), windowEnd);
                }
            }
            else
            {
                found = scan.FirstFit(windowStart, windowEnd);
            }

            if (found >= 0)
            {
                return SlotResult.FoundAt(new Interval(
                    ZoneMath.ToZone(zone, found),
                    ZoneMath.ToZone(zone, found + policy.Duration.Ticks)));
            }
        }

        return SlotResult.NotFound(scan.SawWorkingTime ? NoSlotReason.CalendarFull : NoSlotReason.NoWorkingTimeInHorizon);
    }
}

using BossTalkCalendar.Core.Calendar;

namespace BossTalkCalendar.Core.Scheduling;

/// <summary>
/// Finds the private prep block's slot on the user's own calendar: a few minutes before the next one-on-one with
/// the same manager, after the last one went badly.
/// </summary>
public static class PrepSlotFinder
{
    /// <summary>
    /// The earliest instant a prep slot for a meeting starting at <paramref name="nextMeetingStart"/> may start: the
    /// start of the working window (working-hours zone, DST choice of <see cref="WorkingTime"/>) of the last working
    /// day strictly before the meeting's local date. Null when the hours have no working time.
    /// </summary>
    /// <remarks>
    /// A caller reads the calendar from here to <paramref name="nextMeetingStart"/>. Strictly, <see cref="Find"/> looks
    /// at busy items reaching into <c>[WindowStart - Buffer, nextMeetingStart - MinLead + Buffer)</c>; with the
    /// default policy (<c>MinLead</c> at least <c>Buffer</c>) the end is at or before <paramref name="nextMeetingStart"/>.
    /// </remarks>
    public static DateTimeOffset? WindowStart(DateTimeOffset nextMeetingStart, WorkingHours workingHours)
    {
        ArgumentNullException.ThrowIfNull(workingHours);
        return WorkingTime.HasWorkingTime(workingHours)
            ? ZoneMath.ToZone(workingHours.TimeZone, WindowStartTicks(nextMeetingStart, workingHours))
            : null;
    }

    /// <summary>
    /// The LATEST slot of <see cref="PrepPolicy.Duration"/> that satisfies every rule (closest to the meeting, so the
    /// preparation is fresh in mind):
    /// <list type="bullet">
    /// <item>it lies inside one working window and does not overlap that day's lunch window (both mapped to instants
    /// in the working-hours zone with the DST choice of <see cref="WorkingTime"/>);</item>
    /// <item>it ends at or before <c>nextMeetingStart - MinLead</c>;</item>
    /// <item>it starts at or after <paramref name="now"/> and at or after <see cref="WindowStart"/>: the start of the
    /// working window of the last working day strictly before the local date (working-hours zone) of
    /// <paramref name="nextMeetingStart"/>. So the block is at most one working day early: a Monday 10:00 meeting with
    /// a Monday–Friday week may get a slot on the Friday before or on Monday morning; a Sunday meeting with a
    /// Sunday–Thursday week may get the Thursday before or Sunday morning;</item>
    /// <item>it starts on a local multiple of <see cref="PrepPolicy.Alignment"/> in the working-hours zone;</item>
    /// <item><c>[start - Buffer, end + Buffer)</c> overlaps no blocking <see cref="BusyInterval"/> (busy, tentative,
    /// out of office, unknown); items with no length occupy no time.</item>
    /// </list>
    /// Busy items may come unsorted and overlapping; they are merged once and the search walks the gaps backwards from
    /// the latest possible end (O(n log n), no minute stepping).
    /// When nothing fits, the reason is, in this order: <see cref="NoSlotReason.NoWorkingTimeInHorizon"/> when the
    /// hours have no working day or an end before the start; <see cref="NoSlotReason.HorizonPassed"/> when
    /// <paramref name="now"/> is after the latest possible start <c>nextMeetingStart - MinLead - Duration</c>;
    /// <see cref="NoSlotReason.NoWorkingTimeInHorizon"/> when even an empty calendar would leave no slot between
    /// <c>max(WindowStart, now)</c> and <c>nextMeetingStart - MinLead</c>; otherwise <see cref="NoSlotReason.CalendarFull"/>.
    /// </summary>
    /// <returns>The slot expressed in the working-hours zone's offset, or the reason there is none.</returns>
    /// <exception cref="ArgumentException">The policy is invalid (see <see cref="PrepPolicy.Validate"/>).</exception>
    public static SlotResult Find(
        DateTimeOffset nextMeetingStart,
        DateTimeOffset now,
        WorkingHours workingHours,
        IReadOnlyList<BusyInterval> busy,
        PrepPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(workingHours);
        ArgumentNullException.ThrowIfNull(busy);
        ArgumentNullException.ThrowIfNull(policy);
        policy.EnsureValid();

        if (!WorkingTime.HasWorkingTime(workingHours))
        {
            return SlotResult.NotFound(NoSlotReason.NoWorkingTimeInHorizon);
        }

        var latestEnd = nextMeetingStart.UtcTicks - policy.MinLead.Ticks;
        if (latestEnd - policy.Duration.Ticks < now.UtcTicks)
        {
            return SlotResult.NotFound(NoSlotReason.HorizonPassed);
        }

        var zone = workingHours.TimeZone;
        var earliest = Math.Max(WindowStartTicks(nextMeetingStart, workingHours), now.UtcTicks);
        if (latestEnd <= earliest)
        {
            return SlotResult.NotFound(NoSlotReason.NoWorkingTimeInHorizon);
        }

        using var timeline = BusyTimeline.Build(busy, policy.Buffer.Ticks, BusyFilter.Blocking, earliest, latestEnd);
        var scan = new GapScan(timeline, zone, policy.Duration.Ticks, policy.Alignment.Ticks);

        // Latest first: each day's afternoon piece, then its morning piece, then the day before. The extra day at
        // the start covers a window that runs past midnight into the first date.
        var firstDate = ZoneMath.LocalDate(zone, earliest).AddDays(-1);
        for (var date = ZoneMath.LocalDate(zone, latestEnd); date >= firstDate; date = date.AddDays(-1))
        {
            if (!WorkingTime.TryWindow(workingHours, date, out var windowStart, out var windowEnd))
            {
                continue;
            }

            windowStart = Math.Max(windowStart, earliest);
            windowEnd = Math.Min(windowEnd, latestEnd);
            if (windowEnd <= windowStart)
            {
                continue;
            }

            long found;
            if (WorkingTime.TryLocalRange(zone, date, policy.LunchStart, policy.LunchEnd, out var lunchStart, out var lunchEnd))
            {
                found = scan.LastFit(Math.Max(windowStart, lunchEnd), windowEnd);
                if (found < 0)
                {
                    found = scan.LastFit(windowStart, Math.Min(windowEnd, lunchStart));
                }
            }
            else
            {
                found = scan.LastFit(windowStart, windowEnd);
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

    private static long WindowStartTicks(DateTimeOffset nextMeetingStart, WorkingHours workingHours)
    {
        var zone = workingHours.TimeZone;
        var day = PreviousWorkingDay(workingHours, ZoneMath.LocalDate(zone, nextMeetingStart.UtcTicks));
        return ZoneMath.ToUtcTicks(zone, day.ToDateTime(workingHours.StartTime), later: false);
    }

    /// <summary>The last working day strictly before <paramref name="date"/>; requires at least one working day.</summary>
    private static DateOnly PreviousWorkingDay(WorkingHours workingHours, DateOnly date)
    {
        for (var i = 1; i <= 7; i++)
        {
            var candidate = date.AddDays(-i);
            if (workingHours.Days.Contains(candidate.DayOfWeek))
            {
                return candidate;
            }
        }

        throw new ArgumentException("The working hours have no working day.", nameof(workingHours));
    }
}

namespace BossTalkCalendar.Core.Calendar;

/// <summary>
/// Instant/local arithmetic on UTC ticks. The slot finders work on <see cref="long"/> ticks so the hot
/// loops neither allocate nor convert <see cref="DateTimeOffset"/> values back and forth.
/// </summary>
internal static class ZoneMath
{
    // No zone is further than 14 h from UTC; 15 h brackets every local time with room to spare.
    private static readonly long SearchSpan = TimeSpan.FromHours(15).Ticks;

    public static long OffsetTicks(TimeZoneInfo zone, long utcTicks) =>
        zone.GetUtcOffset(new DateTime(utcTicks, DateTimeKind.Utc)).Ticks;

    public static DateTime LocalClock(TimeZoneInfo zone, long utcTicks) =>
        new(utcTicks + OffsetTicks(zone, utcTicks), DateTimeKind.Unspecified);

    public static DateOnly LocalDate(TimeZoneInfo zone, long utcTicks) =>
        DateOnly.FromDateTime(LocalClock(zone, utcTicks));

    public static DateTimeOffset ToZone(TimeZoneInfo zone, long utcTicks)
    {
        var offset = OffsetTicks(zone, utcTicks);
        return new DateTimeOffset(new DateTime(utcTicks + offset, DateTimeKind.Unspecified), new TimeSpan(offset));
    }

    /// <summary>
    /// Maps a wall-clock time to an instant. A time in a spring-forward gap maps to the first instant after
    /// the gap; an ambiguous fall-back time maps to the earlier or the later of its two instants.
    /// </summary>
    public static long ToUtcTicks(TimeZoneInfo zone, DateTime local, bool later)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            return FirstInstantReaching(zone, local.Ticks);
        }

        if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            var min = offsets[0].Ticks;
            var max = offsets[0].Ticks;
            foreach (var offset in offsets)
            {
                min = Math.Min(min, offset.Ticks);
                max = Math.Max(max, offset.Ticks);
            }

            return later ? local.Ticks - min : local.Ticks - max;
        }

        return local.Ticks - zone.GetUtcOffset(local).Ticks;
    }

    /// <summary>The first instant whose wall clock reads at least <paramref name="localTicks"/> (the end of a gap).</summary>
    private static long FirstInstantReaching(TimeZoneInfo zone, long localTicks)
    {
        var lo = localTicks - SearchSpan;
        var hi = localTicks + SearchSpan;
        while (hi - lo > 1)
        {
            var mid = lo + ((hi - lo) / 2);
            if (mid + OffsetTicks(zone, mid) >= localTicks)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        return hi;
    }

    /// <summary>
    /// The first instant in <c>(from, to]</c> whose offset differs from <paramref name="offsetAtFrom"/>;
    /// the caller knows the offset at <paramref name="to"/> differs.
    /// </summary>
    public static long FirstOffsetChange(TimeZoneInfo zone, long from, long to, long offsetAtFrom)
    {
        var lo = from;
        var hi = to;
        while (hi - lo > 1)
        {
            var mid = lo + ((hi - lo) / 2);
            if (OffsetTicks(zone, mid) != offsetAtFrom)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        return hi;
    }

    /// <summary>Smallest instant at or after <paramref name="utcTicks"/> whose local clock (at a fixed offset) is on the grid.</summary>
    public static long AlignUp(long utcTicks, long offsetTicks, long alignTicks)
    {
        var local = utcTicks + offsetTicks;
        var remainder = local % alignTicks;
        return remainder == 0 ? utcTicks : utcTicks + (alignTicks - remainder);
    }

    /// <summary>Largest instant at or before <paramref name="utcTicks"/> whose local clock (at a fixed offset) is on the grid.</summary>
    public static long AlignDown(long utcTicks, long offsetTicks, long alignTicks) =>
        utcTicks - ((utcTicks + offsetTicks) % alignTicks);
}

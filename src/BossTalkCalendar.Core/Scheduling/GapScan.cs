using BossTalkCalendar.Core.Calendar;

namespace BossTalkCalendar.Core.Scheduling;

/// <summary>
/// Walks increasing, disjoint pieces of allowed time against a merged busy timeline with one cursor, looking
/// for the earliest aligned start whose block misses every busy interval (<see cref="FirstFit(long, long)"/>);
/// or walks decreasing pieces with a second cursor from the other end, looking for the latest such start
/// (<see cref="LastFit(long, long)"/>). One scan serves one direction only.
/// </summary>
internal ref struct GapScan
{
    private readonly BusyTimeline _busy;
    private readonly TimeZoneInfo _zone;
    private readonly long _duration;
    private readonly long _alignment;
    private int _cursor;
    private int _back;

    /// <param name="busy">The busy time to avoid (a default timeline is empty).</param>
    /// <param name="zone">The zone whose local clock the starts align to.</param>
    /// <param name="duration">The block's length in ticks.</param>
    /// <param name="alignment">The local grid of the starts in ticks.</param>
    public GapScan(BusyTimeline busy, TimeZoneInfo zone, long duration, long alignment)
    {
        _busy = busy;
        _zone = zone;
        _duration = duration;
        _alignment = alignment;
        _back = busy.Count - 1;
    }

    /// <summary>True once any piece had room for an aligned block, busy items aside.</summary>
    public bool SawWorkingTime { get; private set; }

    /// <summary>The earliest aligned start in <c>[pieceStart, pieceEnd - duration]</c> clear of busy time, or -1.</summary>
    public long FirstFit(long pieceStart, long pieceEnd)
    {
        var lastStart = pieceEnd - _duration;
        if (lastStart < pieceStart)
        {
            return -1;
        }

        // Alignment is to the local clock, so a DST change among the possible starts splits them in two
        // runs, each with one fixed offset.
        var offset = ZoneMath.OffsetTicks(_zone, pieceStart);
        var lastOffset = ZoneMath.OffsetTicks(_zone, lastStart);
        if (offset == lastOffset)
        {
            return FirstFit(pieceStart, lastStart, offset);
        }

        var change = ZoneMath.FirstOffsetChange(_zone, pieceStart, lastStart, offset);
        var found = FirstFit(pieceStart, change - 1, offset);
        return found >= 0 ? found : FirstFit(change, lastStart, ZoneMath.OffsetTicks(_zone, change));
    }

    private long FirstFit(long firstStart, long lastStart, long offset)
    {
        var start = ZoneMath.AlignUp(firstStart, offset, _alignment);
        if (start > lastStart)
        {
            return -1;
        }

        SawWorkingTime = true;
        while (true)
        {
            while (_cursor < _busy.Count && _busy.End(_cursor) <= start)
            {
                _cursor++;
            }

            if (_cursor == _busy.Count || _busy.Start(_cursor) >= start + _duration)
            {
                return start;
            }

            start = ZoneMath.AlignUp(_busy.End(_cursor), offset, _alignment);
            if (start > lastStart)
            {
                return -1;
            }
        }
    }

    /// <summary>
    /// The latest aligned start in <c>[pieceStart, pieceEnd - duration]</c> clear of busy time, or -1. Successive
    /// calls must pass pieces in decreasing order (each ending no later than the previous one starts).
    /// </summary>
    public long LastFit(long pieceStart, long pieceEnd)
    {
        var lastStart = pieceEnd - _duration;
        if (lastStart < pieceStart)
        {
            return -1;
        }

        // As in FirstFit: a DST change among the possible starts splits them in two runs of one offset each;
        // the later run is searched first.
        var offset = ZoneMath.OffsetTicks(_zone, pieceStart);
        var lastOffset = ZoneMath.OffsetTicks(_zone, lastStart);
        if (offset == lastOffset)
        {
            return LastFit(pieceStart, lastStart, offset);
        }

        var change = ZoneMath.FirstOffsetChange(_zone, pieceStart, lastStart, offset);
        var found = LastFit(change, lastStart, ZoneMath.OffsetTicks(_zone, change));
        return found >= 0 ? found : LastFit(pieceStart, change - 1, offset);
    }

    private long LastFit(long firstStart, long lastStart, long offset)
    {
        var start = ZoneMath.AlignDown(lastStart, offset, _alignment);
        if (start < firstStart)
        {
            return -1;
        }

        SawWorkingTime = true;
        while (true)
        {
            while (_back >= 0 && _busy.Start(_back) >= start + _duration)
            {
                _back--;
            }

            if (_back < 0 || _busy.End(_back) <= start)
            {
                return start;
            }

            start = ZoneMath.AlignDown(_busy.Start(_back) - _duration, offset, _alignment);
            if (start < firstStart)
            {
                return -1;
            }
        }
    }
}

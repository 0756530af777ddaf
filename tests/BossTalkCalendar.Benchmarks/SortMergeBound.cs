using BossTalkCalendar.Core.Calendar;

namespace BossTalkCalendar.Benchmarks;

/// <summary>
/// The practical lower bound for a slot finder: any correct finder over unsorted, overlapping input has to at
/// least read every item, order them and merge overlaps. This does exactly that and nothing else — no status
/// filter, no range clipping, no working hours — into buffers sized once, so it allocates nothing per call.
/// </summary>
internal sealed class SortMergeBound
{
    private readonly long[] _starts;
    private readonly long[] _ends;

    public SortMergeBound(int capacity)
    {
        _starts = new long[capacity];
        _ends = new long[capacity];
    }

    /// <summary>Copies both lists' intervals, sorts them by start, merges overlaps; returns the merged count.</summary>
    public int Run(IReadOnlyList<BusyInterval> first, IReadOnlyList<BusyInterval> second)
    {
        var count = Copy(first, 0);
        count = Copy(second, count);
        if (count < 2)
        {
            return count;
        }

        Array.Sort(_starts, _ends, 0, count);
        var merged = 0;
        for (var i = 1; i < count; i++)
        {
            if (_starts[i] <= _ends[merged])
            {
                _ends[merged] = Math.Max(_ends[merged], _ends[i]);
            }
            else
            {
                merged++;
                _starts[merged] = _starts[i];
                _ends[merged] = _ends[i];
            }
        }

        return merged + 1;
    }

    private int Copy(IReadOnlyList<BusyInterval> items, int count)
    {
        for (var i = 0; i < items.Count; i++)
        {
            var interval = items[i].Interval;
            _starts[count] = interval.Start.UtcTicks;
            _ends[count] = interval.End.UtcTicks;
            count++;
        }

        return count;
    }
}

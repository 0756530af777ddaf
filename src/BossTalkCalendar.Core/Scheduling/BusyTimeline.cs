using System.Buffers;
using BossTalkCalendar.Core.Calendar;

namespace BossTalkCalendar.Core.Scheduling;

/// <summary>Which busy items a timeline keeps.</summary>
internal enum BusyFilter
{
    None,
    Blocking,
    OutOfOfficeOnly,
}

/// <summary>
/// Busy items as sorted, merged, disjoint <c>[start, end)</c> UTC-tick intervals, each widened by a buffer
/// first (a block [s, e) keeps buffer b from an item exactly when [s, e) misses the item widened by b).
/// Built once per search in O(n log n) on pooled arrays; empty items occupy no time and are dropped.
/// </summary>
internal sealed class BusyTimeline : IDisposable
{
    private long[] _starts;
    private long[] _ends;

    private BusyTimeline(int capacity)
    {
        _starts = ArrayPool<long>.Shared.Rent(Math.Max(capacity, 1));
        _ends = ArrayPool<long>.Shared.Rent(Math.Max(capacity, 1));
    }

    public int Count { get; private set; }

    public long Start(int index) => _starts[index];

    public long End(int index) => _ends[index];

    /// <summary>Items of one or two people, each list with its own buffer and filter, kept when they reach into [from, to).</summary>
    public static BusyTimeline Build(
        IReadOnlyList<BusyInterval> first,
        long firstBuffer,
        BusyFilter firstFilter,
        IReadOnlyList<BusyInterval> second,
        long secondBuffer,
        BusyFilter secondFilter,
        long from,
        long to)
    {
        var capacity = (firstFilter == BusyFilter.None ? 0 : first.Count) + (secondFilter == BusyFilter.None ? 0 : second.Count);
        var timeline = new BusyTimeline(capacity);
        timeline.Add(first, firstBuffer, firstFilter, from, to);
        timeline.Add(second, secondBuffer, secondFilter, from, to);
        timeline.SortAndMerge();
        return timeline;
    }

    public void Dispose()
    {
        if (_starts.Length == 0)
        {
            return;
        }

        ArrayPool<long>.Shared.Return(_starts);
        ArrayPool<long>.Shared.Return(_ends);
        _starts = [];
        _ends = [];
    }

    private void Add(IReadOnlyList<BusyInterval> items, long buffer, BusyFilter filter, long from, long to)
    {
        if (filter == BusyFilter.None)
        {
            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var keep = filter == BusyFilter.Blocking ? item.Blocks : item.Status == ShowAs.Oof;
            var start = item.Interval.Start.UtcTicks;
            var end = item.Interval.End.UtcTicks;
            if (!keep || end <= start)
            {
                continue;
            }

            start -= buffer;
            end += buffer;
            if (end <= from || start >= to)
            {
                continue;
            }

            _starts[Count] = start;
            _ends[Count] = end;
            Count++;
        }
    }

    private void SortAndMerge()
    {
        if (Count < 2)
        {
            return;
        }

        _starts.AsSpan(0, Count).Sort(_ends.AsSpan(0, Count));
        var merged = 0;
        for (var i = 1; i < Count; i++)
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

        Count = merged + 1;
    }
}

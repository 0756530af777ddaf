using System.Buffers;
using BossTalkCalendar.Core.Calendar;

namespace BossTalkCalendar.Core.Scheduling;

/// <summary>Which busy items a timeline keeps.</summary>
internal enum BusyFilter
{
    Blocking,
    OutOfOfficeOnly,
}

/// <summary>
/// Busy items as sorted, merged, disjoint <c>[start, end)</c> UTC-tick intervals, each widened by a buffer
/// first (a block [s, e) keeps buffer b from an item exactly when [s, e) misses the item widened by b).
/// Built once per search in O(n log n) on pooled arrays; empty items occupy no time and are dropped.
/// </summary>
/// <remarks>
/// A ref struct so that a finder call allocates nothing for its timelines and none can outlive the call whose
/// pooled arrays it reads. Copies share the arrays: only the <c>using</c> local that built a timeline disposes it.
/// </remarks>
internal readonly ref struct BusyTimeline
{
    private readonly long[]? _starts;
    private readonly long[]? _ends;

    private BusyTimeline(long[] starts, long[] ends, int count)
    {
        _starts = starts;
        _ends = ends;
        Count = count;
    }

    public int Count { get; }

    public long Start(int index) => _starts![index];

    public long End(int index) => _ends![index];

    /// <summary>The items that pass <paramref name="filter"/>, widened by <paramref name="buffer"/>, that reach into [from, to).</summary>
    public static BusyTimeline Build(IReadOnlyList<BusyInterval> items, long buffer, BusyFilter filter, long from, long to)
    {
        var starts = Rent(items.Count);
        var ends = Rent(items.Count);
        var count = 0;
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

            starts[count] = start;
            ends[count] = end;
            count++;
        }

        if (count > 1)
        {
            starts.AsSpan(0, count).Sort(ends.AsSpan(0, count));
        }

        // Sorted by start, so the pieces merge in place as they are copied back.
        var merged = 0;
        for (var i = 0; i < count; i++)
        {
            Append(starts, ends, ref merged, starts[i], ends[i]);
        }

        return new BusyTimeline(starts, ends, merged);
    }

    /// <summary>
    /// Both timelines as one, in a single linear pass: each is already sorted, so items sorted for one search need
    /// no second sort to take part in another.
    /// </summary>
    public static BusyTimeline Union(BusyTimeline first, BusyTimeline second)
    {
        var starts = Rent(first.Count + second.Count);
        var ends = Rent(first.Count + second.Count);
        var count = 0;
        var i = 0;
        var j = 0;
        while (i < first.Count || j < second.Count)
        {
            if (j == second.Count || (i < first.Count && first.Start(i) <= second.Start(j)))
            {
                Append(starts, ends, ref count, first.Start(i), first.End(i));
                i++;
            }
            else
            {
                Append(starts, ends, ref count, second.Start(j), second.End(j));
                j++;
            }
        }

        return new BusyTimeline(starts, ends, count);
    }

    /// <summary>
    /// The same time with every interval widened by <paramref name="buffer"/> on both sides: the same as building
    /// from the items with that buffer, without reading them again.
    /// </summary>
    public static BusyTimeline Widen(BusyTimeline source, long buffer)
    {
        var starts = Rent(source.Count);
        var ends = Rent(source.Count);
        var count = 0;
        for (var i = 0; i < source.Count; i++)
        {
            Append(starts, ends, ref count, source.Start(i) - buffer, source.End(i) + buffer);
        }

        return new BusyTimeline(starts, ends, count);
    }

    public void Dispose()
    {
        if (_starts is not null)
        {
            ArrayPool<long>.Shared.Return(_starts);
            ArrayPool<long>.Shared.Return(_ends!);
        }
    }

    private static long[] Rent(int capacity) => ArrayPool<long>.Shared.Rent(Math.Max(capacity, 1));

    /// <summary>Adds an interval that starts no earlier than the last one, joining it when they overlap or touch.</summary>
    private static void Append(long[] starts, long[] ends, ref int count, long start, long end)
    {
        if (count > 0 && start <= ends[count - 1])
        {
            ends[count - 1] = Math.Max(ends[count - 1], end);
            return;
        }

        starts[count] = start;
        ends[count] = end;
        count++;
    }
}

namespace BossTalkCalendar.Core.Calendar;

/// <summary>
/// A half-open instant interval <c>[Start, End)</c>. Two intervals that only touch do not overlap.
/// </summary>
public readonly record struct Interval
{
    /// <summary>Creates an interval; <paramref name="end"/> must not be before <paramref name="start"/>.</summary>
    public Interval(DateTimeOffset start, DateTimeOffset end)
    {
        if (end < start)
        {
            throw new ArgumentException("An interval cannot end before it starts.", nameof(end));
        }

        Start = start;
        End = end;
    }

    /// <summary>Inclusive start.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Exclusive end.</summary>
    public DateTimeOffset End { get; }

    /// <summary>Length of the interval.</summary>
    public TimeSpan Duration => End - Start;

    /// <summary>True when the two half-open intervals share at least one instant.</summary>
    public bool Overlaps(Interval other) => Start < other.End && other.Start < End;

    /// <summary>True when <paramref name="other"/> lies entirely inside this interval.</summary>
    public bool Contains(Interval other) => Start <= other.Start && other.End <= End;
}

using BossTalkCalendar.Core.Calendar;

namespace BossTalkCalendar.Core.Meetings;

/// <summary>Finds the one-on-one with the same counterpart that follows one that went badly (the prep block's target).</summary>
public static class NextOneOnOne
{
    /// <summary>How far ahead a one-off (or a meeting of another series) with the same counterpart is looked for.</summary>
    public static readonly TimeSpan LookAhead = TimeSpan.FromDays(14);

    /// <summary>
    /// How far ahead the next occurrence of the same series is looked for: five weeks, so a monthly series whose
    /// next occurrence was moved a few days later is still found.
    /// </summary>
    public static readonly TimeSpan SeriesLookAhead = TimeSpan.FromDays(35);

    /// <summary>
    /// The next one-on-one after <paramref name="last"/>, or null when there is none in reach.
    /// <list type="bullet">
    /// <item>Candidates are the calendar items that are not cancelled, not BossTalk's own (<see cref="Meeting.IsOurs"/>),
    /// not a <see cref="EventKind.SeriesMaster"/>, not <paramref name="last"/> itself (same
    /// <see cref="Meeting.EventId"/>, or same <see cref="Meeting.ICalUId"/> and <see cref="Meeting.Start"/>), and start
    /// at or after <c>from = max(now, last.End)</c>.</item>
    /// <item>First choice, when <paramref name="last"/> belongs to a series: the earliest candidate of the same series
    /// (equal, non-null <see cref="Meeting.SeriesMasterId"/>) starting before <c>from + SeriesLookAhead</c>. The series
    /// is the strongest evidence of "the next one": its occurrences are the same recurring one-on-one even when one has
    /// been moved (an exception with a new start, taken at that start, earlier or later) and without asking the
    /// predicate, which may judge a single occurrence differently (a changed attendee list, say). A cancelled
    /// occurrence is skipped, so the one after it is taken.</item>
    /// <item>Otherwise: the earliest candidate starting before <c>from + LookAhead</c> for which
    /// <paramref name="isOneOnOneWithSameCounterpart"/> is true; the predicate is asked only about such candidates.
    /// This covers one-offs and a series that was replaced by a new one.</item>
    /// </list>
    /// Ties on the start go to the item that comes first in <paramref name="calendar"/>.
    /// </summary>
    public static Meeting? Pick(Meeting last, IEnumerable<Meeting> calendar, Func<Meeting, bool> isOneOnOneWithSameCounterpart, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(last);
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(isOneOnOneWithSameCounterpart);

        var from = now > last.End ? now : last.End;
        var seriesUntil = from + SeriesLookAhead;
        var oneOffUntil = from + LookAhead;
        Meeting? series = null;
        Meeting? other = null;
        foreach (var meeting in calendar)
        {
            if (meeting is null || !IsCandidate(meeting, last, from))
            {
                continue;
            }

            if (last.SeriesMasterId is not null
                && string.Equals(meeting.SeriesMasterId, last.SeriesMasterId, StringComparison.Ordinal)
                && meeting.Start < seriesUntil
                && (series is null || meeting.Start < series.Start))
            {
                series = meeting;
            }

            if (meeting.Start < oneOffUntil
                && (other is null || meeting.Start < other.Start)
                && isOneOnOneWithSameCounterpart(meeting))
            {
                other = meeting;
            }
        }

        return series ?? other;
    }

    private static bool IsCandidate(Meeting meeting, Meeting last, DateTimeOffset from) =>
        !meeting.IsCancelled
        && !meeting.IsOurs
        && meeting.Kind != EventKind.SeriesMaster
        && meeting.Start >= from
        && !string.Equals(meeting.EventId, last.EventId, StringComparison.Ordinal)
        && !(string.Equals(meeting.ICalUId, last.ICalUId, StringComparison.Ordinal) && meeting.Start == last.Start);
}

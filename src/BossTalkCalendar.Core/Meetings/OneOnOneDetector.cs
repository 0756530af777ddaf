using BossTalkCalendar.Core.Calendar;

namespace BossTalkCalendar.Core.Meetings;

/// <summary>Who the other person of a one-on-one must be.</summary>
public enum Counterpart
{
    /// <summary>The owner's manager (the default).</summary>
    Manager,

    /// <summary>Anyone.</summary>
    AnyOne,
}

/// <summary>Why a meeting does not count as a one-on-one; the first failing rule in the order listed.</summary>
public enum NotOneOnOneReason
{
    /// <summary>It is a one-on-one.</summary>
    None,

    /// <summary>One of BossTalk's own events (a reflection block or a follow-up): never a meeting to reflect on.</summary>
    OurOwnEvent,

    /// <summary>Cancelled by the organizer.</summary>
    Cancelled,

    /// <summary>An all-day event.</summary>
    AllDay,

    /// <summary>The master of a series (its occurrences are judged one by one instead).</summary>
    SeriesMaster,

    /// <summary>Ends more than the grace period after now.</summary>
    NotEnded,

    /// <summary>Longer than the maximum length.</summary>
    TooLong,

    /// <summary>The owner declined.</summary>
    Declined,

    /// <summary>The people are not exactly the owner and one other person.</summary>
    NotTwoPeople,

    /// <summary>The other person is not the owner's manager.</summary>
    NotWithManager,

    /// <summary>Counterpart is the manager, but the owner has none.</summary>
    NoManager,
}

/// <summary>The outcome of <see cref="OneOnOneDetector.Check"/>.</summary>
/// <param name="IsOneOnOne">True when every rule holds.</param>
/// <param name="CounterpartEmail">The other person's address in lower case; set only when <paramref name="IsOneOnOne"/>.</param>
/// <param name="Reason">The first rule that failed, or <see cref="NotOneOnOneReason.None"/>.</param>
public sealed record OneOnOneCheck(bool IsOneOnOne, string? CounterpartEmail, NotOneOnOneReason Reason);

/// <summary>Decides whether a calendar event is a one-on-one that has ended (docs/architecture.md, "One judge").</summary>
public static class OneOnOneDetector
{
    /// <summary>How long after <c>now</c> a meeting may still end and count as ended: a scan just before the end still catches it.</summary>
    public static readonly TimeSpan EndGrace = TimeSpan.FromMinutes(5);

    /// <summary>The longest meeting that still counts as a one-on-one.</summary>
    public static readonly TimeSpan MaximumLength = TimeSpan.FromHours(2);

    /// <summary>
    /// Checks the rules in this order: not one of our own events, not cancelled, not all-day, not a series master (occurrences and
    /// exceptions each count), ended (<c>End &lt;= now + </c><see cref="EndGrace"/>), at most
    /// <see cref="MaximumLength"/> long, not declined by the owner, the people (organizer plus non-resource
    /// attendees, e-mail compared case-insensitively, blanks ignored, duplicates merged) are exactly the owner
    /// and one other person, and — with <see cref="Counterpart.Manager"/> — the owner has a manager
    /// (<see cref="NotOneOnOneReason.NoManager"/> otherwise) who is that other person.
    /// </summary>
    public static OneOnOneCheck Check(Meeting meeting, string ownerEmail, string? managerEmail, Counterpart counterpart, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerEmail);

        var reason = FirstFailedRule(meeting, ownerEmail, now);
        if (reason != NotOneOnOneReason.None)
        {
            return No(reason);
        }

        if (!TryFindOtherPerson(meeting, ownerEmail.Trim(), out var other))
        {
            return No(NotOneOnOneReason.NotTwoPeople);
        }

        if (counterpart == Counterpart.Manager)
        {
            if (string.IsNullOrWhiteSpace(managerEmail))
            {
                return No(NotOneOnOneReason.NoManager);
            }

            if (!SameAddress(other, managerEmail.Trim()))
            {
                return No(NotOneOnOneReason.NotWithManager);
            }
        }

        return new OneOnOneCheck(true, other.ToLowerInvariant(), NotOneOnOneReason.None);
    }

    private static NotOneOnOneReason FirstFailedRule(Meeting meeting, string ownerEmail, DateTimeOffset now)
    {
        // A follow-up invitation we sent is a two-person meeting with the manager: without this rule it would get a
        // reflection of its own.
        if (meeting.IsOurs)
        {
            return NotOneOnOneReason.OurOwnEvent;
        }

        if (meeting.IsCancelled)
        {
            return NotOneOnOneReason.Cancelled;
        }

        if (meeting.IsAllDay)
        {
            return NotOneOnOneReason.AllDay;
        }

        if (meeting.Kind == EventKind.SeriesMaster)
        {
            return NotOneOnOneReason.SeriesMaster;
        }

        if (meeting.End > now + EndGrace)
        {
            return NotOneOnOneReason.NotEnded;
        }

        if (meeting.End - meeting.Start > MaximumLength)
        {
            return NotOneOnOneReason.TooLong;
        }

        if (meeting.OwnResponse == Response.Declined || OwnerDeclinedAsAttendee(meeting, ownerEmail.Trim()))
        {
            return NotOneOnOneReason.Declined;
        }

        return NotOneOnOneReason.None;
    }

    private static bool OwnerDeclinedAsAttendee(Meeting meeting, string owner)
    {
        foreach (var attendee in meeting.Attendees)
        {
            if (attendee.Response == Response.Declined && SameAddress(attendee.Email, owner))
            {
                return true;
            }
        }

        return false;
    }

    // Walks organizer + non-resource attendees once, without building a set: succeeds only when the
    // owner is among them and exactly one other distinct address appears.
    private static bool TryFindOtherPerson(Meeting meeting, string owner, out string other)
    {
        other = string.Empty;
        var ownerSeen = false;
        if (!Visit(meeting.OrganizerEmail, owner, ref ownerSeen, ref other))
        {
            return false;
        }

        foreach (var attendee in meeting.Attendees)
        {
            if (attendee.Type != AttendeeType.Resource && !Visit(attendee.Email, owner, ref ownerSeen, ref other))
            {
                return false;
            }
        }

        return ownerSeen && other.Length > 0;
    }

    private static bool Visit(string? email, string owner, ref bool ownerSeen, ref string other)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return true;
        }

        var address = email.Trim();
        if (SameAddress(address, owner))
        {
            ownerSeen = true;
            return true;
        }

        if (other.Length == 0)
        {
            other = address;
            return true;
        }

        return SameAddress(address, other);
    }

    private static bool SameAddress(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static OneOnOneCheck No(NotOneOnOneReason reason) => new(false, null, reason);
}

namespace BossTalkCalendar.Core.Calendar;

/// <summary>How an item shows on the owner's free/busy (Graph <c>showAs</c> / schedule item status).</summary>
public enum ShowAs
{
    Free,
    Tentative,
    Busy,
    Oof,
    WorkingElsewhere,
    Unknown,
}

/// <summary>Attendee type as Graph reports it.</summary>
public enum AttendeeType
{
    Required,
    Optional,
    Resource,
}

/// <summary>Response status as Graph reports it.</summary>
public enum Response
{
    None,
    Organizer,
    TentativelyAccepted,
    Accepted,
    Declined,
    NotResponded,
}

/// <summary>Graph's event <c>type</c>: single instance, occurrence or exception of a series, or the series master.</summary>
public enum EventKind
{
    SingleInstance,
    Occurrence,
    Exception,
    SeriesMaster,
}

/// <summary>An attendee of a meeting, identified by e-mail address only (no display names are kept).</summary>
public sealed record Attendee(string Email, AttendeeType Type, Response Response);

/// <summary>
/// A calendar event as seen in one mailbox. Deliberately carries no subject, body or display names:
/// the service never needs them and so never holds them.
/// </summary>
/// <param name="EventId">The event id in the owner's mailbox (differs between organizer and attendee copies).</param>
/// <param name="ICalUId">Identifies the meeting across calendars; different per occurrence of a series.</param>
/// <param name="Kind">Single instance, occurrence, exception or series master.</param>
/// <param name="SeriesMasterId">Id of the series master for occurrences and exceptions.</param>
/// <param name="Start">Start instant with offset.</param>
/// <param name="End">End instant with offset.</param>
/// <param name="OrganizerEmail">The organizer's address.</param>
/// <param name="IsOrganizer">True when the calendar owner organised the meeting.</param>
/// <param name="Attendees">Attendees as invited (the organizer may or may not be listed).</param>
/// <param name="OwnResponse">The calendar owner's own response.</param>
/// <param name="IsCancelled">Cancelled by the organizer.</param>
/// <param name="IsAllDay">All-day event.</param>
/// <param name="ShowAs">How the event shows on the owner's free/busy.</param>
/// <param name="OurSource">
/// For the events BossTalk wrote itself, the value of its single-value extended property (<c>kind|iCalUId</c>, see
/// <c>NudgeKeys.SourceValue</c>); null for everybody else's events.
/// </param>
public sealed record Meeting(
    string EventId,
    string ICalUId,
    EventKind Kind,
    string? SeriesMasterId,
    DateTimeOffset Start,
    DateTimeOffset End,
    string OrganizerEmail,
    bool IsOrganizer,
    IReadOnlyList<Attendee> Attendees,
    Response OwnResponse,
    bool IsCancelled,
    bool IsAllDay,
    ShowAs ShowAs,
    string? OurSource = null)
{
    /// <summary>True for the reflection blocks and follow-up holds BossTalk wrote itself.</summary>
    public bool IsOurs => OurSource is not null;

    /// <summary>The meeting's span as an interval.</summary>
    public Interval Interval => new(Start, End);
}

/// <summary>A span of time on somebody's free/busy with the status it shows as.</summary>
public readonly record struct BusyInterval(Interval Interval, ShowAs Status)
{
    /// <summary>Busy, tentative and out-of-office block a slot; free and working-elsewhere do not.</summary>
    public bool Blocks => Status is ShowAs.Busy or ShowAs.Tentative or ShowAs.Oof or ShowAs.Unknown;
}

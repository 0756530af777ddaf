namespace BossTalkCalendar.GraphSimulator;

/// <summary>A user of the simulated tenant (a copy; changing it changes nothing).</summary>
public sealed record SimUser(
    string Id,
    string DisplayName,
    string Mail,
    string UserPrincipalName,
    string? ManagerId,
    string TimeZone,
    SeedWorkingHours WorkingHours);

/// <summary>An attendee as stored on one calendar copy of an event.</summary>
public sealed record SimAttendee(string Mail, string Name, string Type, string Response);

/// <summary>One event on one user's calendar (a copy; changing it changes nothing). Times are UTC.</summary>
public sealed record SimEvent
{
    /// <summary>The immutable id: what Graph answers with <c>Prefer: IdType="ImmutableId"</c> (the gateway always asks for it).</summary>
    public required string Id { get; init; }

    /// <summary>The default (REST) id answered without that preference; it changes when the item moves to another folder.</summary>
    public required string RestId { get; init; }

    public required string UserId { get; init; }

    public required string ICalUId { get; init; }

    public required string Subject { get; init; }

    public required string BodyContentType { get; init; }

    public required string Body { get; init; }

    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset End { get; init; }

    /// <summary>The zone the event was created in (originalStartTimeZone).</summary>
    public required string StartTimeZone { get; init; }

    public required string OrganizerMail { get; init; }

    public required bool IsOrganizer { get; init; }

    public required IReadOnlyList<SimAttendee> Attendees { get; init; }

    /// <summary>This calendar owner's responseStatus.response.</summary>
    public required string Response { get; init; }

    public required bool IsCancelled { get; init; }

    public required bool IsAllDay { get; init; }

    public required string ShowAs { get; init; }

    public required string Type { get; init; }

    public string? SeriesMasterId { get; init; }

    public required string Sensitivity { get; init; }

    public required IReadOnlyList<string> Categories { get; init; }

    public required bool IsReminderOn { get; init; }

    public required int ReminderMinutesBeforeStart { get; init; }

    public string? TransactionId { get; init; }

    /// <summary>singleValueExtendedProperties by id (as the client sent the id).</summary>
    public required IReadOnlyDictionary<string, string> ExtendedProperties { get; init; }

    public required DateTimeOffset CreatedDateTime { get; init; }

    public required DateTimeOffset LastModifiedDateTime { get; init; }
}

/// <summary>A message delivered to a mailbox (meeting invitations and cancellations).</summary>
public sealed record SimMessage(
    string Id,
    string UserId,
    string Subject,
    string FromMail,
    IReadOnlyList<string> ToMails,
    string MeetingMessageType,
    string ICalUId,
    string? EventId,
    DateTimeOffset ReceivedDateTime);

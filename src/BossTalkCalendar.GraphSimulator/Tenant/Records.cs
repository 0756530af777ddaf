namespace BossTalkCalendar.GraphSimulator;

// Mutable state, only touched under SimulatedTenant's lock; public setters so the state file round-trips.
internal sealed class UserRecord
{
    public string Id { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public string Mail { get; set; } = "";

    public string UserPrincipalName { get; set; } = "";

    public string? ManagerId { get; set; }

    public string TimeZone { get; set; } = "UTC";

    public SeedWorkingHours WorkingHours { get; set; } = new();

    public string Locale { get; set; } = "en-US";
}

internal sealed class AttendeeRecord
{
    public string Mail { get; set; } = "";

    public string Name { get; set; } = "";

    public string Type { get; set; } = "required";

    public string Response { get; set; } = "none";
}

internal sealed class ExtendedPropertyRecord
{
    public string Id { get; set; } = "";

    public string Value { get; set; } = "";
}

internal sealed class EventRecord
{
    /// <summary>The immutable id (what Graph returns with <c>Prefer: IdType="ImmutableId"</c>); the key of the record.</summary>
    public string Id { get; set; } = "";

    /// <summary>
    /// The default (REST) id Graph returns without that preference. It changes whenever the item moves to another folder,
    /// and the old one then answers 404 (https://learn.microsoft.com/graph/outlook-immutable-id).
    /// </summary>
    public string RestId { get; set; } = "";

    public string OwnerId { get; set; } = "";

    public string ICalUId { get; set; } = "";

    public string Subject { get; set; } = "";

    public string BodyContentType { get; set; } = "html";

    public string BodyContent { get; set; } = "";

    public DateTimeOffset Start { get; set; }

    public DateTimeOffset End { get; set; }

    public string StartTimeZone { get; set; } = "UTC";

    public string EndTimeZone { get; set; } = "UTC";

    public string OrganizerMail { get; set; } = "";

    public string OrganizerName { get; set; } = "";

    public bool IsOrganizer { get; set; }

    public List<AttendeeRecord> Attendees { get; set; } = [];

    public string Response { get; set; } = "organizer";

    public DateTimeOffset? ResponseTime { get; set; }

    public bool IsCancelled { get; set; }

    public bool IsAllDay { get; set; }

    public string ShowAs { get; set; } = "busy";

    public string Type { get; set; } = "singleInstance";

    public string? SeriesMasterId { get; set; }

    public string Sensitivity { get; set; } = "normal";

    public List<string> Categories { get; set; } = [];

    public bool IsReminderOn { get; set; } = true;

    public int ReminderMinutesBeforeStart { get; set; } = 15;

    public string? TransactionId { get; set; }

    public List<ExtendedPropertyRecord> ExtendedProperties { get; set; } = [];

    public DateTimeOffset Created { get; set; }

    public DateTimeOffset LastModified { get; set; }

    public string ChangeKey { get; set; } = "";

    /// <summary>Tenant-wide change sequence of the last change; delta tokens compare against it.</summary>
    public long ChangeSeq { get; set; }
}

internal sealed class MessageRecord
{
    public string Id { get; set; } = "";

    public string OwnerId { get; set; } = "";

    public string Subject { get; set; } = "";

    public string FromMail { get; set; } = "";

    public List<string> ToMails { get; set; } = [];

    public string MeetingMessageType { get; set; } = "meetingRequest";

    public string ICalUId { get; set; } = "";

    public string? EventId { get; set; }

    public DateTimeOffset Received { get; set; }
}

internal sealed class TombstoneRecord
{
    public string OwnerId { get; set; } = "";

    /// <summary>The deleted event's immutable id.</summary>
    public string EventId { get; set; } = "";

    /// <summary>Its default (REST) id at the time it was deleted.</summary>
    public string RestId { get; set; } = "";

    public long ChangeSeq { get; set; }
}

/// <summary>The whole tenant as persisted in the state file.</summary>
internal sealed class TenantState
{
    public int FormatVersion { get; set; } = 1;

    public string TenantId { get; set; } = "";

    public long ChangeCounter { get; set; }

    public List<UserRecord> Users { get; set; } = [];

    public List<EventRecord> Events { get; set; } = [];

    public List<MessageRecord> Messages { get; set; } = [];

    public List<TombstoneRecord> Tombstones { get; set; } = [];
}

/// <summary>One change to one event copy: what a change notification on <c>users/{id}/events</c> reports.</summary>
/// <param name="OwnerId">The calendar's owner.</param>
/// <param name="EventId">The copy's (immutable) id.</param>
/// <param name="ChangeType">created, updated or deleted.</param>
/// <param name="ChangeKey">The copy's change key after the change (its <c>@odata.etag</c>); none for a deletion.</param>
internal sealed record EventChange(string OwnerId, string EventId, string ChangeType, string? ChangeKey);

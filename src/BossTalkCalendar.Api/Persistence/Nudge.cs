using BossTalkCalendar.Core.Nudges;
using BossTalkCalendar.Core.Scheduling;

namespace BossTalkCalendar.Api.Persistence;

/// <summary>Where a nudge is in its life.</summary>
public enum NudgeState
{
    /// <summary>Detected; a placement job will look for a slot.</summary>
    Planned,

    /// <summary>The event is on the user's calendar.</summary>
    Placed,

    /// <summary>No acceptable slot in the horizon; <see cref="Nudge.Reason"/> says why.</summary>
    NoSlot,

    /// <summary>Graph refused or kept failing; <see cref="Nudge.Reason"/> says how.</summary>
    Failed,

    /// <summary>The meeting went away or the user opted out or paused before placement.</summary>
    Cancelled,

    /// <summary>The user chose to skip it.</summary>
    Skipped,

    /// <summary>
    /// It was placed, and then its event went away: the user deleted it (found by reconciliation), or, for a prep
    /// block, the next one-on-one it was for was cancelled.
    /// </summary>
    Removed,

    /// <summary>The user said the meeting went fine: nothing is placed, and a block that had not started was removed.</summary>
    Dismissed,
}

/// <summary>
/// One nudge for one meeting occurrence. Identifiers and instants only: the service never stores meeting
/// subjects, bodies, names or the text it writes.
/// </summary>
public sealed class Nudge
{
    public Guid Id { get; set; }

    public required string TenantId { get; set; }

    public required string UserId { get; set; }

    public NudgeKind Kind { get; set; }

    /// <summary>Tenant, user, meeting iCalUId, occurrence start and kind; unique, so a nudge exists at most once.</summary>
    public required string UniqueKey { get; set; }

    /// <summary>The meeting's event id in the user's mailbox.</summary>
    public required string MeetingEventId { get; set; }

    public required string MeetingICalUId { get; set; }

    /// <summary>
    /// The meeting's series master id in the user's mailbox when it is an occurrence of a recurring one-on-one: Graph
    /// notifies a change to an occurrence under its series master (docs/graph.md, "Change notifications").
    /// </summary>
    public string? MeetingSeriesMasterId { get; set; }

    public DateTimeOffset OccurrenceStart { get; set; }

    public DateTimeOffset MeetingEnd { get; set; }

    public NudgeState State { get; set; }

    /// <summary>A short code of ours (see <c>NudgeReasons</c>), never free text from a calendar.</summary>
    public string? Reason { get; set; }

    public DateTimeOffset? SlotStart { get; set; }

    public DateTimeOffset? SlotEnd { get; set; }

    /// <summary>Id of the event we created in the user's mailbox.</summary>
    public string? CreatedEventId { get; set; }

    /// <summary>The deterministic Graph transactionId of the event we create.</summary>
    public required string TransactionId { get; set; }

    public string? HangfireJobId { get; set; }

    /// <summary>Follow-up only: the tone the user chose.</summary>
    public FollowUpTone? Tone { get; set; }

    /// <summary>Follow-up only: true when the user asked for an invitation to their manager.</summary>
    public bool? Invite { get; set; }

    /// <summary>
    /// When the user asked for this nudge themselves (add-in); null for a nudge the scan found. A requested
    /// reflection ignores the cool-down and is placed even while automatic nudges are paused.
    /// </summary>
    public DateTimeOffset? RequestedAt { get; set; }

    /// <summary>Prep only: the next one-on-one the block is placed before (its event id), once found.</summary>
    public string? NextMeetingEventId { get; set; }

    /// <summary>Prep only: that one-on-one's start when the block was planned; a later start means it moved.</summary>
    public DateTimeOffset? NextMeetingStart { get; set; }

    /// <summary>IANA id of the zone the event was written in (the user's mailbox zone), so times read back locally.</summary>
    public string? TimeZoneId { get; set; }

    /// <summary>
    /// Set just before the first create is sent to Graph. From then on the event may exist even if no answer came
    /// back (a lost response), so every later attempt looks for it by our extended property before creating.
    /// </summary>
    public DateTimeOffset? CreateSentAt { get; set; }

    /// <summary>Placement attempts that failed transiently so far.</summary>
    public int Attempts { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

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
/// subjects, bodies, names or the text it writes. Made by <c>Nudges/NudgeStore.cs</c> and changed only by its
/// transitions (<c>Nudges/NudgeTransitions.cs</c>); the properties are init-only, so a loaded nudge cannot be changed.
/// </summary>
public sealed class Nudge
{
    public Guid Id { get; init; }

    public required string TenantId { get; init; }

    public required string UserId { get; init; }

    public NudgeKind Kind { get; init; }

    /// <summary>Tenant, user, meeting iCalUId, occurrence start and kind; unique, so a nudge exists at most once.</summary>
    public required string UniqueKey { get; init; }

    /// <summary>The meeting's event id in the user's mailbox.</summary>
    public required string MeetingEventId { get; init; }

    public required string MeetingICalUId { get; init; }

    /// <summary>
    /// The meeting's series master id in the user's mailbox when it is an occurrence of a recurring one-on-one: Graph
    /// notifies a change to an occurrence under its series master (docs/graph.md, "Change notifications").
    /// </summary>
    public string? MeetingSeriesMasterId { get; init; }

    public DateTimeOffset OccurrenceStart { get; init; }

    public DateTimeOffset MeetingEnd { get; init; }

    public NudgeState State { get; init; }

    /// <summary>A short code of ours (see <c>NudgeReasons</c>), never free text from a calendar.</summary>
    public string? Reason { get; init; }

    public DateTimeOffset? SlotStart { get; init; }

    public DateTimeOffset? SlotEnd { get; init; }

    /// <summary>Id of the event we created in the user's mailbox.</summary>
    public string? CreatedEventId { get; init; }

    /// <summary>The deterministic Graph transactionId of the event we create.</summary>
    public required string TransactionId { get; init; }

    public string? HangfireJobId { get; init; }

    /// <summary>Follow-up only: the tone the user chose.</summary>
    public FollowUpTone? Tone { get; init; }

    /// <summary>Follow-up only: true when the user asked for an invitation to their manager.</summary>
    public bool? Invite { get; init; }

    /// <summary>
    /// When the user asked for this nudge themselves (add-in); null for a nudge the scan found. A requested
    /// reflection ignores the cool-down and is placed even while automatic nudges are paused.
    /// </summary>
    public DateTimeOffset? RequestedAt { get; init; }

    /// <summary>Prep only: the next one-on-one the block is placed before (its event id), once found.</summary>
    public string? NextMeetingEventId { get; init; }

    /// <summary>Prep only: that one-on-one's start when the block was planned; a later start means it moved.</summary>
    public DateTimeOffset? NextMeetingStart { get; init; }

    /// <summary>IANA id of the zone the event was written in (the user's mailbox zone), so times read back locally.</summary>
    public string? TimeZoneId { get; init; }

    /// <summary>
    /// Set just before the first create is sent to Graph. From then on the event may exist even if no answer came
    /// back (a lost response), so every later attempt looks for it by our extended property before creating.
    /// </summary>
    public DateTimeOffset? CreateSentAt { get; init; }

    /// <summary>Placement attempts that failed transiently so far.</summary>
    public int Attempts { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}

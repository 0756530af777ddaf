using BossTalkCalendar.Core.Meetings;

namespace BossTalkCalendar.Api.Persistence;

/// <summary>When reflection blocks are placed.</summary>
public enum NudgeMode
{
    /// <summary>After every one-on-one that counts (the default).</summary>
    EveryOneOnOne,

    /// <summary>Only after one the user flags as rough.</summary>
    WhenIFlag,
}

/// <summary>How the user describes things with their manager; it suggests the follow-up's tone.</summary>
public enum Relationship
{
    /// <summary>"We're on friendly terms": a casual follow-up.</summary>
    Friendly,

    /// <summary>"It's more formal": a formal follow-up.</summary>
    Formal,

    /// <summary>"Small things, I'd rather let them go": no follow-up.</summary>
    LetGo,
}

/// <summary>
/// A user the service works for. Identifiers, flags and numbers only: no names, no mail addresses. Written only
/// through <c>Enrolment/EnrolledUsers.cs</c>; the properties are init-only, so a loaded row cannot be changed.
/// </summary>
public sealed class EnrolledUser
{
    public required string TenantId { get; init; }

    /// <summary>The user's directory object id (the <c>oid</c> of their tokens).</summary>
    public required string UserId { get; init; }

    /// <summary>True while the user is a member of an approved team; false after it was revoked or they left it.</summary>
    public bool Enrolled { get; init; }

    /// <summary>The manager whose team the user belongs to (or last belonged to).</summary>
    public string? ManagerId { get; init; }

    /// <summary>When <see cref="Enrolled"/> last became false; the retention period counts from here.</summary>
    public DateTimeOffset? UnenrolledAt { get; init; }

    public bool OptedOut { get; init; }

    public bool Paused { get; init; }

    /// <summary>The user's own cool-down before a reflection; null means the organisation's default.</summary>
    public int? CoolDownMinutes { get; init; }

    /// <summary>The user's own reflection length; null means the organisation's default.</summary>
    public int? ReflectionMinutes { get; init; }

    /// <summary>Whose one-on-ones count; null means <see cref="Counterpart.Manager"/>.</summary>
    public Counterpart? Counterpart { get; init; }

    /// <summary>When reflections are placed; null means the organisation's default (<c>Policy:Mode</c>).</summary>
    public NudgeMode? Mode { get; init; }

    /// <summary>How the user describes things with their manager, which suggests a follow-up's tone; null when not said.</summary>
    public Relationship? Relationship { get; init; }

    /// <summary>
    /// The user's own choice for the send-time alert (a gentle prompt when writing to the manager during the cool-down);
    /// null means the organisation's default (<c>Policy:SendAlert</c>).
    /// </summary>
    public bool? SendAlert { get; init; }

    public DateTimeOffset? LastScanAt { get; init; }

    /// <summary>
    /// A rescan a change notification asked for that has not started yet (Unix milliseconds, UTC, so SQLite can
    /// compare it in SQL): positive while it waits for the next dispatch, negative once a dispatch claimed it; see
    /// <c>Notifications/UserRescans.cs</c>.
    /// </summary>
    public long? RescanDueUnixMs { get; init; }

    /// <summary>
    /// The one event whose change notifications asked for that rescan, or null when several did or one said nothing
    /// of an event (a lifecycle notification): a rescan asked for only by our own new block is dropped, see
    /// <c>Notifications/UserRescans.cs</c>.
    /// </summary>
    public string? RescanEventId { get; init; }

    /// <summary>Short code of the last scan's failure (for example <c>graph-forbidden</c>), null after a good scan.</summary>
    public string? LastScanFailure { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>True when the service should look at this user's calendar.</summary>
    public bool IsActive => Enrolled && !OptedOut && !Paused;
}

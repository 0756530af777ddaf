using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Meetings;

namespace BossTalkCalendar.Api.Me;

/// <summary>The caller as the add-in sees them.</summary>
/// <param name="UserId">The caller's directory object id.</param>
/// <param name="TenantId">The caller's tenant id.</param>
/// <param name="Enrolled">Whether the caller's team has been rolled out to them.</param>
/// <param name="OptedOut">Whether the caller has opted out.</param>
/// <param name="IsManager">
/// Whether the caller has direct reports; false also when Graph did not answer in time (about half a second).
/// </param>
/// <param name="TimeZone">
/// The IANA zone of the caller's mailbox; null when they are not enrolled or Graph did not answer in time.
/// </param>
/// <param name="Preferences">The caller's effective preferences.</param>
/// <param name="RecentNudges">The caller's latest nudges, newest first.</param>
public sealed record MeDto(
    string UserId,
    string TenantId,
    bool Enrolled,
    bool OptedOut,
    bool IsManager,
    PreferencesDto Preferences,
    string? TimeZone,
    IReadOnlyList<NudgeDto> RecentNudges);

/// <summary>The user's effective preferences: their own where set, the organisation's otherwise.</summary>
/// <param name="CoolDownMinutes">Wait after a one-on-one before a reflection may start.</param>
/// <param name="ReflectionMinutes">Length of a reflection block.</param>
/// <param name="Counterpart">Whose one-on-ones count.</param>
/// <param name="Paused">Automatic nudges paused.</param>
/// <param name="Mode">After every one-on-one, or only when the user flags one as rough.</param>
/// <param name="Relationship">How things are with the manager (suggests a follow-up's tone); null when not said.</param>
/// <param name="SendAlert">A gentle prompt when writing to the manager during the cool-down (Outlook's send-time alert).</param>
public sealed record PreferencesDto(int CoolDownMinutes, int ReflectionMinutes, Counterpart Counterpart, bool Paused, NudgeMode Mode, Relationship? Relationship, bool SendAlert);

/// <summary>PUT body: every field optional; only the ones sent change.</summary>
public sealed record PreferencesRequest(int? CoolDownMinutes, int? ReflectionMinutes, Counterpart? Counterpart, bool? Paused, NudgeMode? Mode, Relationship? Relationship, bool? SendAlert = null);

public sealed record OptOutResult(bool OptedOut, int CancelledNudges);

public sealed record OptInResult(bool OptedOut);

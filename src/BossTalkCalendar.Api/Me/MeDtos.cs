using BossTalkCalendar.Api.Nudges;
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
public sealed record PreferencesDto(int CoolDownMinutes, int ReflectionMinutes, Counterpart Counterpart, bool Paused);

/// <summary>PUT body: every field optional; only the ones sent change.</summary>
public sealed record PreferencesRequest(int? CoolDownMinutes, int? ReflectionMinutes, Counterpart? Counterpart, bool? Paused);

public sealed record OptOutResult(bool OptedOut, int CancelledNudges);

public sealed record OptInResult(bool OptedOut);

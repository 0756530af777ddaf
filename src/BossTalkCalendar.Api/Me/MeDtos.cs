using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Core.Meetings;

namespace BossTalkCalendar.Api.Me;

/// <summary>The caller as the add-in sees them.</summary>
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

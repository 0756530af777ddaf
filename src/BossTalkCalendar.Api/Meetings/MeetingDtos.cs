using BossTalkCalendar.Api.Nudges;

namespace BossTalkCalendar.Api.Meetings;

/// <summary>One meeting in the list: times only, never a subject.</summary>
public sealed record MeetingSummaryDto(string EventId, DateTimeOffset Start, DateTimeOffset End, string? TimeZone, bool IsOneOnOne, bool Ended);

/// <summary>One meeting of the caller's calendar, whether it counts, and what BossTalk did or will do for it.</summary>
public sealed record MeetingDto(
    string EventId,
    string ICalUId,
    DateTimeOffset Start,
    DateTimeOffset End,
    string? TimeZone,
    bool Ended,
    bool IsOneOnOne,
    string? Reason,
    IReadOnlyList<NudgeDto> Nudges);

/// <summary>POST follow-up body.</summary>
/// <param name="Tone">casual, formal or skip (required).</param>
/// <param name="Invite">True to invite the manager; false (the default) for a private hold on the user's calendar only.</param>
public sealed record FollowUpRequest(Core.Scheduling.FollowUpTone? Tone, bool? Invite);

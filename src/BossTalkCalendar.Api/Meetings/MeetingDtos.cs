using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Persistence;

namespace BossTalkCalendar.Api.Meetings;

/// <summary>One meeting in the list: times only, never a subject.</summary>
public sealed record MeetingSummaryDto(string EventId, DateTimeOffset Start, DateTimeOffset End, string? TimeZone, bool IsOneOnOne, bool Ended);

/// <summary>One meeting of the caller's calendar, whether it counts, and what BossTalk did or will do for it.</summary>
/// <param name="EventId">The meeting's event id in the caller's calendar (also when opened on one of our blocks).</param>
/// <param name="ICalUId">The meeting's iCalUId.</param>
/// <param name="Start">Start, in the caller's zone.</param>
/// <param name="End">End, in the caller's zone.</param>
/// <param name="TimeZone">IANA id of the caller's zone.</param>
/// <param name="Ended">It has ended.</param>
/// <param name="IsOneOnOne">It counts as a one-on-one.</param>
/// <param name="Reason">Why it does not count, as a short code; null when it does.</param>
/// <param name="Nudges">What BossTalk did or will do for it, oldest first.</param>
/// <param name="Outcome">How the user said it went, while kept (see Outcomes/MeetingOutcomes); null when not said.</param>
/// <param name="CoolDownEnd">When the cool-down after the meeting ends: no reflection starts before.</param>
/// <param name="NextOneOnOneStart">The next one-on-one a prep block is placed before, once known.</param>
/// <param name="SuggestedTone">The follow-up tone the user's relationship preference suggests; null when not set.</param>
public sealed record MeetingDto(
    string EventId,
    string ICalUId,
    DateTimeOffset Start,
    DateTimeOffset End,
    string? TimeZone,
    bool Ended,
    bool IsOneOnOne,
    string? Reason,
    IReadOnlyList<NudgeDto> Nudges,
    TalkOutcome? Outcome,
    DateTimeOffset CoolDownEnd,
    DateTimeOffset? NextOneOnOneStart,
    Core.Scheduling.FollowUpTone? SuggestedTone);

/// <summary>PUT outcome body.</summary>
/// <param name="Outcome">fine, mixed or rough (required).</param>
public sealed record OutcomeRequest(TalkOutcome? Outcome);

/// <summary>What an answer to "how did it go?" changed.</summary>
/// <param name="Outcome">The answer recorded.</param>
/// <param name="Changed">The nudges it planned, dismissed or withdrew.</param>
/// <param name="SuggestedTone">The follow-up tone the user's relationship preference suggests; null when not set.</param>
public sealed record OutcomeDto(TalkOutcome Outcome, IReadOnlyList<NudgeDto> Changed, Core.Scheduling.FollowUpTone? SuggestedTone);

/// <summary>POST follow-up body.</summary>
/// <param name="Tone">casual, formal or skip (required).</param>
/// <param name="Invite">True to invite the manager; false (the default) for a private hold on the user's calendar only.</param>
public sealed record FollowUpRequest(Core.Scheduling.FollowUpTone? Tone, bool? Invite);

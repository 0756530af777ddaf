using System.Text;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Nudges;

namespace BossTalkCalendar.Api.Nudges;

/// <summary>A nudge as the add-in sees it (contract v1). Times carry the user's offset; <see cref="TimeZone"/> names the zone.</summary>
/// <param name="Id">The nudge id.</param>
/// <param name="Kind">"reflection", "followUp" or "prep".</param>
/// <param name="State">"planned", "placed", "noSlot", "failed", "cancelled", "skipped", "removed" or "dismissed".</param>
/// <param name="MeetingEventId">The meeting's event id in the user's calendar.</param>
/// <param name="Start">Start of the placed event, in the user's zone; null unless placed.</param>
/// <param name="End">End of the placed event.</param>
/// <param name="TimeZone">IANA id of the user's zone the times are in; null when nothing was placed.</param>
/// <param name="Tone">Follow-up only: "casual", "formal" or "skip".</param>
/// <param name="Invite">Follow-up only: whether the manager is invited.</param>
/// <param name="Reason">Why it was not placed, as a short code such as "calendarFull".</param>
/// <param name="ReasonText">The same in a short sentence.</param>
/// <param name="UpdatedAt">When the nudge last changed.</param>
/// <param name="NextMeetingStart">Prep only: the start of the next one-on-one it is placed before, once known.</param>
public sealed record NudgeDto(
    Guid Id,
    string Kind,
    string State,
    string MeetingEventId,
    DateTimeOffset? Start,
    DateTimeOffset? End,
    string? TimeZone,
    string? Tone,
    bool? Invite,
    string? Reason,
    string? ReasonText,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? NextMeetingStart = null)
{
    public static NudgeDto From(Nudge nudge)
    {
        ArgumentNullException.ThrowIfNull(nudge);
        TimeZoneInfo? zone = nudge.TimeZoneId is { } zoneId && TimeZones.TryFindByName(zoneId, out var found) ? found : null;
        DateTimeOffset Local(DateTimeOffset instant) => zone is null ? instant.ToUniversalTime() : TimeZoneInfo.ConvertTime(instant, zone);

        var placed = nudge is { State: NudgeState.Placed, SlotStart: not null, SlotEnd: not null };
        var reason = ReasonCodes.Code(nudge.Reason);
        return new NudgeDto(
            nudge.Id,
            nudge.Kind switch { NudgeKind.FollowUp => "followUp", NudgeKind.Prep => "prep", _ => "reflection" },
            ReasonCodes.Camel(nudge.State.ToString()),
            nudge.MeetingEventId,
            placed ? Local(nudge.SlotStart!.Value) : null,
            placed ? Local(nudge.SlotEnd!.Value) : null,
            placed && zone is not null ? nudge.TimeZoneId : null,
            nudge.Tone is { } tone ? ReasonCodes.Camel(tone.ToString()) : null,
            nudge.Kind == NudgeKind.FollowUp ? nudge.Invite ?? false : null,
            reason,
            ReasonCodes.Text(reason),
            Local(nudge.UpdatedAt),
            nudge.NextMeetingStart is { } next ? Local(next) : null);
    }
}

/// <summary>Our stored reason codes (<see cref="NudgeReasons"/>) as the contract's camelCase codes and short sentences.</summary>
public static class ReasonCodes
{
    private static readonly Dictionary<string, string> Texts = new(StringComparer.Ordinal)
    {
        ["calendarFull"] = "Your calendar had no free time that fit.",
        ["horizonPassed"] = "The time to place it had already passed.",
        ["noWorkingTimeInHorizon"] = "There was no working time left in the days that fit.",
        ["noCommonWorkingTime"] = "You and your manager have no working time in common in the next few days.",
        ["managerOutOfOffice"] = "Your manager is away on the days that would fit.",
        ["meetingCancelled"] = "The meeting was cancelled.",
        ["meetingGone"] = "The meeting is no longer in your calendar.",
        ["optedOut"] = "You opted out, so nothing was placed.",
        ["userNotActive"] = "BossTalk is paused or off for you, so nothing was placed.",
        ["noManager"] = "No manager is set for you in the directory.",
        ["mailboxForbidden"] = "BossTalk is not allowed to use your calendar.",
        ["userNotFound"] = "Your account or calendar was not found.",
        ["graphUnavailable"] = "Your calendar could not be reached, even after several tries.",
        ["graphRejected"] = "Your calendar refused the change.",
        ["declined"] = "You declined the meeting.",
        ["notWithManager"] = "The meeting was not with your manager.",
        ["notTwoPeople"] = "The meeting was not just the two of you.",
        ["tooLong"] = "The meeting was too long to count as a one-on-one.",
        ["notEnded"] = "The meeting has not ended yet.",
        ["allDay"] = "All-day events do not count.",
        ["cancelled"] = "The meeting was cancelled.",
        ["seriesMaster"] = "Open a single occurrence of the series instead.",
        ["skipped"] = "You chose to skip it.",
        ["ourOwnEvent"] = "This is one of BossTalk's own calendar entries.",
        ["eventDeleted"] = "You removed it from your calendar.",
        ["wentFine"] = "You said it went fine, so nothing more is needed.",
        ["noNextOneOnOne"] = "There is no one-on-one with your manager in the coming days to prepare for.",
        ["nextMeetingGone"] = "Your next one-on-one was cancelled, so the prep time was taken off your calendar.",
    };

    /// <summary>The contract code for a stored reason: the part after "no-slot:" or "not-one-on-one:", Graph failures by effect.</summary>
    public static string? Code(string? reason) => reason switch
    {
        null or "" => null,
        "graph-forbidden" => "mailboxForbidden",
        "graph-not-found" => "userNotFound",
        NudgeReasons.RetriesExhausted or "graph-throttled" or "graph-transient" => "graphUnavailable",
        "graph-invalid" or NudgeReasons.DuplicateTransaction => "graphRejected",
        _ when reason.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 => Camel(reason[(colon + 1)..]),
        _ => Camel(reason),
    };

    /// <summary>The contract code of a meeting verdict's reason; null when it counts.</summary>
    public static string? Of(Core.Meetings.NotOneOnOneReason reason) =>
        reason == Core.Meetings.NotOneOnOneReason.None ? null : Camel(reason.ToString());

    public static string? Text(string? code) => code is not null && Texts.TryGetValue(code, out var text) ? text : null;

    /// <summary>"calendar-full" or "CalendarFull" → "calendarFull".</summary>
    public static string Camel(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length);
        var upper = false;
        foreach (var c in value)
        {
            if (c == '-')
            {
                upper = true;
                continue;
            }

            builder.Append(builder.Length == 0 ? char.ToLowerInvariant(c) : upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return builder.ToString();
    }
}

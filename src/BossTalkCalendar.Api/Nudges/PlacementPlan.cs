using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Nudges;
using BossTalkCalendar.Core.Texts;

namespace BossTalkCalendar.Api.Nudges;

/// <summary>What a placer decided to put on the calendar; the placement job creates it, once.</summary>
/// <param name="Slot">When.</param>
/// <param name="Text">Subject and body we wrote.</param>
/// <param name="Zone">The owner's zone, in which the event's times are written.</param>
/// <param name="Attendees">Addresses to invite; empty for a private block.</param>
/// <param name="IsPrivate">Sensitivity private.</param>
public sealed record PlacementPlan(Interval Slot, EventText Text, TimeZoneInfo Zone, IReadOnlyList<string> Attendees, bool IsPrivate)
{
    /// <summary>
    /// True for an invitation: it carries no category and no extended property of ours, because what the organizer's
    /// item carries can travel to the invitee's copy; it is found again by its slot and invitee instead
    /// (<see cref="PlacedEvents"/>).
    /// </summary>
    public bool IsInvitation => Attendees.Count > 0;
}

/// <summary>
/// A placer's answer: a plan, the outcome that stops the nudge (no slot, meeting gone, …), or the time before which
/// there is nothing to place yet (the meeting moved later and has not ended, or a prep block's reflection is not placed yet).
/// </summary>
public sealed record PlacementDecision(PlacementPlan? Plan, PlacementOutcome? Stop, DateTimeOffset? NotBefore = null)
{
    public static PlacementDecision Later(DateTimeOffset notBefore) => new(null, null, notBefore);

    public static implicit operator PlacementDecision(PlacementPlan plan) => new(plan, null);

    public static implicit operator PlacementDecision(PlacementOutcome stop) => new(null, stop);
}

/// <summary>
/// Decides where one kind of nudge goes: reads what it needs from Graph, re-checks the meeting, runs the slot finder
/// and writes the text. It never writes to the calendar; the placement job does, for every kind the same way.
/// </summary>
public interface INudgePlacer
{
    NudgeKind Kind { get; }

    Task<PlacementDecision> DecideAsync(Nudge nudge, EnrolledUser user, CancellationToken cancellationToken);
}

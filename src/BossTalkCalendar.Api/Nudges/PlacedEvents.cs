using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Graph;
using BossTalkCalendar.Core.Nudges;

namespace BossTalkCalendar.Api.Nudges;

/// <summary>
/// Finds the event a nudge made, when the answer to its create was lost: before a retried create (so nothing is made
/// twice), after Graph refused a reused transactionId, and in reconciliation.
/// </summary>
/// <remarks>
/// Blocks and private holds carry our single-value extended property and are found by it (docs/graph.md, "Finding our
/// events by extended property"). An invitation carries nothing of ours (docs/graph.md, "Invitations carry nothing of
/// ours"), so it is found as the meeting the user organised at exactly the slot the nudge recorded before the create
/// was sent, with the manager as its only attendee: that slot was free when it was chosen, so nothing else sits there.
/// </remarks>
public sealed class PlacedEvents(ICalendarGateway graph, MeetingJudge judge)
{
    /// <summary>Our event of <paramref name="nudge"/>, an invitation looked for at the slot the nudge recorded.</summary>
    public Task<CreatedEvent?> FindAsync(Nudge nudge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nudge);
        return FindAsync(nudge, nudge is { SlotStart: { } start, SlotEnd: { } end } ? new Interval(start, end) : null, cancellationToken);
    }

    /// <summary>Our event of <paramref name="nudge"/>, an invitation looked for at <paramref name="sentSlot"/>, where its create went.</summary>
    public async Task<CreatedEvent?> FindAsync(Nudge nudge, Interval? sentSlot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nudge);
        if (nudge.Invite != true)
        {
            return await graph.FindOurEventAsync(nudge.UserId, NudgeKeys.SourceValue(nudge.Kind, nudge.MeetingICalUId), cancellationToken);
        }

        if (sentSlot is not { } slot || (await judge.PeopleAsync(nudge.UserId, cancellationToken)).Manager is not { } manager)
        {
            return null;
        }

        var (start, end) = (slot.Start, slot.End);
        var calendar = await graph.GetCalendarViewAsync(nudge.UserId, slot, cancellationToken);
        var invitation = calendar.FirstOrDefault(m =>
            m is { IsOrganizer: true, IsCancelled: false, IsOurs: false }
            && m.Start == start && m.End == end
            && m.Attendees is [var only] && string.Equals(only.Email, manager.Email, StringComparison.OrdinalIgnoreCase));
        return invitation is null ? null : new CreatedEvent(invitation.EventId, invitation.Interval);
    }
}

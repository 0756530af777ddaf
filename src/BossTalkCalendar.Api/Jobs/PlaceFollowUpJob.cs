using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Graph;
using BossTalkCalendar.Core.Meetings;
using BossTalkCalendar.Core.Nudges;
using BossTalkCalendar.Core.Scheduling;
using BossTalkCalendar.Core.Texts;
using Hangfire;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Jobs;

/// <summary>
/// <c>place-follow-up</c>: only ever queued by the user's own request in the add-in. Re-reads the meeting, reads
/// both people's free/busy in one getSchedule request made as the user, finds a slot that respects both working
/// days and the manager's day, and creates either a private hold on the user's calendar (the default) or, when the
/// user asked for it, an invitation to the manager with a neutral text. Idempotent like the reflection job.
/// </summary>
[AutomaticRetry(Attempts = 2)] // Graph failures are retried by NudgePlacement on Graph's terms; this covers the unexpected
public sealed class PlaceFollowUpJob(
    NudgePlacement placement,
    ICalendarGateway graph,
    NudgePolicies policies,
    IOptions<ServiceOptions> service,
    TimeProvider time)
{
    // The finder weighs free time up to a day before the earliest start.
    private static readonly TimeSpan ScheduleLookbehind = TimeSpan.FromDays(1);

    /// <param name="nudgeId">The planned follow-up.</param>
    /// <param name="cancellationToken">Replaced by Hangfire with the server's shutdown token.</param>
    public Task RunAsync(Guid nudgeId, CancellationToken cancellationToken) =>
        placement.RunAsync(nudgeId, PlaceAsync, cancellationToken);

    private async Task<PlacementOutcome> PlaceAsync(Nudge nudge, EnrolledUser user, CancellationToken cancellationToken)
    {
        if (nudge.Tone is not { } tone || tone == FollowUpTone.Skip)
        {
            return PlacementOutcome.Cancelled(NudgeReasons.Skipped);
        }

        // A follow-up is always with the manager, whatever counts as a one-on-one for reflections.
        var (rechecked, stop) = await placement.RecheckMeetingAsync(user, nudge, Counterpart.Manager, cancellationToken);
        if (rechecked is not { Manager: { } manager })
        {
            return stop ?? PlacementOutcome.Cancelled(NudgeReasons.NoManager);
        }

        var meeting = rechecked.Meeting;
        var now = time.GetUtcNow();
        var anchor = meeting.End > now ? meeting.End : now;
        var policy = policies.FollowUp;
        var window = new Interval(anchor - ScheduleLookbehind, anchor + Lookahead(policy));
        var schedules = await graph.GetSchedulesAsync(user.UserId, [rechecked.Owner.Email, manager.Email], window, cancellationToken);
        var userSchedule = schedules.Count > 0 ? schedules[0] : null;
        var managerSchedule = schedules.Count > 1 ? schedules[1] : null;

        var profile = await graph.GetMailboxProfileAsync(user.UserId, cancellationToken);
        var managerHours = managerSchedule?.WorkingHours
            ?? (await graph.GetMailboxProfileAsync(manager.Id, cancellationToken)).WorkingHours;

        var found = FollowUpSlotFinder.Find(
            meeting.End,
            now,
            policy.DurationFor(tone),
            profile.WorkingHours,
            userSchedule?.Items ?? [],
            managerHours,
            managerSchedule?.Items ?? [],
            policy);
        if (!found.Found || found.Slot is not { } slot)
        {
            return PlacementOutcome.NoSlot(NudgeReasons.NoSlot(found.Reason));
        }

        var invite = nudge.Invite == true;
        var text = invite ? FollowUpText.Invitation() : FollowUpText.PrivateHold(tone, service.Value.TaskPaneLink(nudge.MeetingEventId));
        var created = await graph.CreateEventAsync(
            user.UserId,
            new NewEvent(
                text.Subject,
                text.BodyHtml,
                slot,
                profile.TimeZone,
                nudge.TransactionId,
                nudge.MeetingICalUId,
                NudgeKeys.KindName(NudgeKind.FollowUp),
                RequiredAttendees: invite ? [manager.Email] : [],
                // The invitation is a normal meeting the manager can see; its text is neutral by design.
                IsPrivate: !invite,
                policies.ReminderMinutes),
            cancellationToken);

        return PlacementOutcome.Placed(created.Id, created.Slot, ZoneIds.IanaOf(profile.TimeZone));
    }

    // The earliest slot is the manager's next working day at least MinimumDelay on, and the horizon that many
    // working days from there; a week holds five working days and a few days more cover weekends at both ends.
    private static TimeSpan Lookahead(FollowUpPolicy policy) =>
        policy.MinimumDelay + TimeSpan.FromDays(Math.Ceiling(policy.HorizonWorkingDays * 7 / 5.0) + 4);
}

using BossTalkCalendar.Api.Hosting;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Graph;
using BossTalkCalendar.Core.Meetings;
using BossTalkCalendar.Core.Nudges;
using BossTalkCalendar.Core.Scheduling;
using BossTalkCalendar.Core.Texts;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Nudges;

/// <summary>
/// Where a follow-up goes (only ever asked for by the user in the add-in): re-reads the meeting, reads both people's
/// free/busy in one getSchedule request made as the user, and finds a slot that respects both working days and the
/// manager's day. The plan is a private hold on the user's calendar (the default) or, when the user asked for it, an
/// invitation to the manager with a neutral text.
/// </summary>
public sealed class FollowUpPlacer(
    ICalendarGateway graph,
    MeetingJudge judge,
    NudgePolicies policies,
    IOptions<ServiceOptions> service,
    TimeProvider time) : INudgePlacer
{
    // The finder weighs free time up to a day before the earliest start.
    private static readonly TimeSpan ScheduleLookbehind = TimeSpan.FromDays(1);

    public NudgeKind Kind => NudgeKind.FollowUp;

    public async Task<PlacementDecision> DecideAsync(Nudge nudge, EnrolledUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nudge);
        ArgumentNullException.ThrowIfNull(user);
        if (nudge.Tone is not { } tone || tone == FollowUpTone.Skip)
        {
            return PlacementOutcome.Cancelled(NudgeReasons.Skipped);
        }

        // A follow-up is always with the manager, whatever counts as a one-on-one for reflections.
        var meeting = await graph.GetEventAsync(user.UserId, nudge.MeetingEventId, cancellationToken);
        var (people, stop) = await judge.RecheckAsync(user, meeting, Counterpart.Manager, cancellationToken);
        if (people is not { Manager: { } manager })
        {
            return stop ?? PlacementOutcome.Cancelled(NudgeReasons.NoManager);
        }

        var now = time.GetUtcNow();
        var anchor = meeting!.End > now ? meeting.End : now;
        var policy = policies.FollowUp;
        var window = new Interval(anchor - ScheduleLookbehind, anchor + Lookahead(policy));
        var schedules = await graph.GetSchedulesAsync(user.UserId, [people.Owner.Email, manager.Email], window, cancellationToken);
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
        // The private hold speaks the user's language; the invitation the manager's (English when unknown).
        var text = invite
            ? FollowUpText.Invitation(Catalogs.For(await ManagerLocaleAsync(manager.Id, cancellationToken)), tone)
            : FollowUpText.PrivateHold(Catalogs.For(profile.Locale), tone, service.Value.TaskPaneLink(nudge.MeetingEventId));
        // The invitation is a normal meeting the manager can see; its text is neutral by design.
        return new PlacementPlan(slot, text, profile.TimeZone, invite ? [manager.Email] : [], IsPrivate: !invite);
    }

    /// <summary>
    /// The manager's mailbox locale, through the same cached mailboxSettings read as their working hours. A mailbox the
    /// app may not read (an application access policy) or that is gone gives null, so the invitation falls back to
    /// English instead of failing; a transient failure still retries the placement.
    /// </summary>
    private async Task<string?> ManagerLocaleAsync(string managerId, CancellationToken cancellationToken)
    {
        try
        {
            return (await graph.GetMailboxProfileAsync(managerId, cancellationToken)).Locale;
        }
        catch (GatewayException e) when (e.Failure is GatewayFailure.Forbidden or GatewayFailure.NotFound)
        {
            return null;
        }
    }

    // The earliest slot is the manager's next working day at least MinimumDelay on, and the horizon that many
    // working days from there; a week holds five working days and a few days more cover weekends at both ends.
    private static TimeSpan Lookahead(FollowUpPolicy policy) =>
        policy.MinimumDelay + TimeSpan.FromDays(Math.Ceiling(policy.HorizonWorkingDays * 7 / 5.0) + 4);
}

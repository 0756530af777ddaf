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
/// Where a reflection block goes: reads the user's calendar at run time from the meeting's start on (so the meeting
/// is re-checked in the same answer) up to the finder's horizon, and finds the earliest slot. One calendar read per
/// placement, plus the mailbox settings when they are not cached. The user's other BossTalk blocks are on that
/// calendar and count as busy, which is why placements of one user run one at a time (<see cref="UserLeases"/>).
/// </summary>
public sealed class ReflectionPlacer(
    ICalendarGateway graph,
    MeetingJudge judge,
    NudgePolicies policies,
    IOptions<ServiceOptions> service,
    TimeProvider time) : INudgePlacer
{
    public NudgeKind Kind => NudgeKind.Reflection;

    public async Task<PlacementDecision> DecideAsync(Nudge nudge, EnrolledUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nudge);
        ArgumentNullException.ThrowIfNull(user);
        var now = time.GetUtcNow();
        var policy = policies.ReflectionFor(user);
        // Asked for in the add-in: "now" means from the request on, without the cool-down.
        if (nudge.RequestedAt is not null)
        {
            policy = policy with { CoolDown = TimeSpan.Zero };
        }

        // Cached for hours; needed first, because the working hours bound how much calendar to read.
        var profile = await graph.GetMailboxProfileAsync(user.UserId, cancellationToken);
        var calendar = await graph.GetCalendarViewAsync(user.UserId, CalendarWindow(nudge, nudge.OccurrenceStart, nudge.MeetingEnd, profile, policy, now), cancellationToken);
        // Not in the window: it moved, so it is read on its own.
        var current = calendar.FirstOrDefault(item => item.EventId == nudge.MeetingEventId)
            ?? await graph.GetEventAsync(user.UserId, nudge.MeetingEventId, cancellationToken);
        // Planned ahead for a meeting that has since moved later: nothing to place until it has ended.
        if (current is { IsCancelled: false } && current.End > now && nudge.RequestedAt is null)
        {
            return PlacementDecision.Later(current.End);
        }

        var (people, stop) = await judge.RecheckAsync(user, current, user.Counterpart ?? Counterpart.Manager, cancellationToken);
        if (people is null)
        {
            return stop!;
        }

        var meeting = current!;
        if (meeting.Start != nudge.OccurrenceStart || meeting.End != nudge.MeetingEnd)
        {
            calendar = await graph.GetCalendarViewAsync(user.UserId, CalendarWindow(nudge, meeting.Start, meeting.End, profile, policy, now), cancellationToken);
        }

        var busy = calendar
            .Where(item => !item.IsCancelled && item.Kind != EventKind.SeriesMaster)
            .Select(item => new BusyInterval(item.Interval, item.ShowAs))
            .ToList();
        var found = ReflectionSlotFinder.Find(Anchor(nudge, meeting.End), now, profile.WorkingHours, busy, policy);
        if (!found.Found || found.Slot is not { } slot)
        {
            return PlacementOutcome.NoSlot(NudgeReasons.NoSlot(found.Reason));
        }

        // In the mailbox's own language (mailboxSettings.language.locale), English when we do not have it.
        var text = ReflectionText.Create(
            Catalogs.For(profile.Locale),
            service.Value.TaskPaneLink(nudge.MeetingEventId, "fine"), service.Value.TaskPaneLink(nudge.MeetingEventId, "rough"));
        return new PlacementPlan(slot, text, profile.TimeZone, Attendees: [], IsPrivate: true);
    }

    /// <summary>
    /// Where the finder starts counting: the meeting's end, or for a reflection asked for in the add-in the request
    /// (when later), so an older meeting still gets its reflection.
    /// </summary>
    private static DateTimeOffset Anchor(Nudge nudge, DateTimeOffset meetingEnd) =>
        nudge.RequestedAt is { } requestedAt && requestedAt > meetingEnd ? requestedAt : meetingEnd;

    /// <summary>
    /// From the meeting's start (so the meeting is in the answer) to the finder's horizon plus the buffer (the end of
    /// the next working day, usually one or two days of calendar), and never less than the meeting itself.
    /// </summary>
    private static Interval CalendarWindow(Nudge nudge, DateTimeOffset meetingStart, DateTimeOffset meetingEnd, MailboxProfile profile, ReflectionPolicy policy, DateTimeOffset now)
    {
        var from = meetingStart < now ? meetingStart : now;
        var horizon = ReflectionSlotFinder.HorizonEnd(Anchor(nudge, meetingEnd), profile.WorkingHours) + policy.Buffer;
        var to = horizon > meetingEnd ? horizon.Value : meetingEnd;
        return new Interval(from, to > from ? to : from + policy.Duration);
    }
}

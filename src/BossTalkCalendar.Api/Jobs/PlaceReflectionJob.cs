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
/// <c>place-reflection</c>: reads the user's calendar at run time (from the meeting's start on, so the meeting is
/// re-checked in the same request), finds a slot and creates the private reflection block: one calendar read and
/// one create per placement, plus the mailbox settings when they are not cached. The calendar is read only up to
/// the finder's horizon. Safe to run twice or concurrently: the create carries the nudge's deterministic
/// transactionId (Graph answers a repeat with the existing event) and the result is written only while the nudge is
/// still planned (see <see cref="NudgePlacement"/>).
/// </summary>
[AutomaticRetry(Attempts = 2)] // Graph failures are retried by NudgePlacement on Graph's terms; this covers the unexpected
public sealed class PlaceReflectionJob(
    NudgePlacement placement,
    ICalendarGateway graph,
    NudgePolicies policies,
    IOptions<ServiceOptions> service,
    IOptions<JobsOptions> jobs,
    TimeProvider time)
{
    /// <param name="nudgeId">The planned nudge.</param>
    /// <param name="cancellationToken">Replaced by Hangfire with the server's shutdown token.</param>
    public Task RunAsync(Guid nudgeId, CancellationToken cancellationToken) =>
        placement.RunAsync(nudgeId, PlaceAsync, cancellationToken);

    /// <summary>The new nudges of one scan batch, a few at a time; each settles (or comes back later) on its own.</summary>
    /// <param name="nudgeIds">Planned nudges.</param>
    /// <param name="cancellationToken">Replaced by Hangfire with the server's shutdown token.</param>
    public Task RunManyAsync(Guid[] nudgeIds, CancellationToken cancellationToken) =>
        placement.RunManyAsync(nudgeIds, PlaceAsync, jobs.Value.BatchParallelism, cancellationToken);

    private async Task<PlacementOutcome> PlaceAsync(Nudge nudge, EnrolledUser user, CancellationToken cancellationToken)
    {
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
        var (rechecked, stop) = await placement.JudgeMeetingAsync(user, current, user.Counterpart ?? Counterpart.Manager, cancellationToken);
        if (rechecked is null)
        {
            return stop!;
        }

        var meeting = rechecked.Meeting;
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

        var text = ReflectionText.Create(service.Value.TaskPaneLink(nudge.MeetingEventId));
        var created = await graph.CreateEventAsync(
            user.UserId,
            new NewEvent(
                text.Subject,
                text.BodyHtml,
                slot,
                profile.TimeZone,
                nudge.TransactionId,
                nudge.MeetingICalUId,
                NudgeKeys.KindName(NudgeKind.Reflection),
                RequiredAttendees: [],
                IsPrivate: true,
                policies.ReminderMinutes),
            cancellationToken);

        // A repeated create returns the event made by the earlier run, which may sit at a slot computed then.
        return PlacementOutcome.Placed(created.Id, created.Slot, ZoneIds.IanaOf(profile.TimeZone));
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

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
/// <c>place-reflection</c>: re-reads the meeting and the user's calendar at run time, finds a slot and creates the
/// private reflection block. Safe to run twice or concurrently: the create carries the nudge's deterministic
/// transactionId (Graph answers a repeat with the existing event) and the result is written only while the
/// nudge is still planned (see <see cref="NudgePlacement"/>).
/// </summary>
[AutomaticRetry(Attempts = 2)] // Graph failures are retried by NudgePlacement on Graph's terms; this covers the unexpected
public sealed class PlaceReflectionJob(
    NudgePlacement placement,
    ICalendarGateway graph,
    NudgePolicies policies,
    IOptions<ServiceOptions> service,
    TimeProvider time)
{
    // Enough calendar to cover the finder's horizon (end of the next working day) even after a long weekend.
    private static readonly TimeSpan BusyLookahead = TimeSpan.FromDays(8);

    /// <param name="nudgeId">The planned nudge.</param>
    /// <param name="cancellationToken">Replaced by Hangfire with the server's shutdown token.</param>
    public Task RunAsync(Guid nudgeId, CancellationToken cancellationToken) =>
        placement.RunAsync(nudgeId, PlaceAsync, cancellationToken);

    private async Task<PlacementOutcome> PlaceAsync(Nudge nudge, EnrolledUser user, CancellationToken cancellationToken)
    {
        var (rechecked, stop) = await placement.RecheckMeetingAsync(user, nudge, user.Counterpart ?? Counterpart.Manager, cancellationToken);
        if (rechecked is null)
        {
            return stop!;
        }

        var meeting = rechecked.Meeting;
        var now = time.GetUtcNow();
        var profile = await graph.GetMailboxProfileAsync(user.UserId, cancellationToken);
        var policy = policies.ReflectionFor(user);

        // Asked for in the add-in: "now" means from the request on, without the cool-down, and the horizon counts
        // from the request too, so an older meeting still gets its reflection.
        var anchor = meeting.End;
        if (nudge.RequestedAt is { } requestedAt)
        {
            policy = policy with { CoolDown = TimeSpan.Zero };
            anchor = requestedAt > meeting.End ? requestedAt : meeting.End;
        }

        var from = anchor < now ? anchor : now;
        var earliest = anchor + policy.CoolDown;
        var to = (earliest > now ? earliest : now) + BusyLookahead;
        var calendar = await graph.GetCalendarViewAsync(user.UserId, new Interval(from, to), cancellationToken);
        var busy = calendar
            .Where(item => !item.IsCancelled && item.Kind != EventKind.SeriesMaster)
            .Select(item => new BusyInterval(item.Interval, item.ShowAs))
            .ToList();

        var found = ReflectionSlotFinder.Find(anchor, now, profile.WorkingHours, busy, policy);
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
}

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
/// Where a prep block goes, after the user said a one-on-one was rough: before the next one-on-one with the same
/// manager (<see cref="NextOneOnOne"/>), by <see cref="PrepSlotFinder"/>'s rules. One calendar read covers the rough
/// meeting and the days ahead; the body links to the user's own reflection block by its web link, so whatever they
/// wrote there stays in their mailbox.
/// </summary>
public sealed class PrepPlacer(
    ICalendarGateway graph,
    MeetingJudge judge,
    NudgeStore store,
    NudgePolicies policies,
    IOptions<ServiceOptions> service,
    TimeProvider time) : INudgePlacer
{
    /// <summary>How long a prep block waits, each time, for the reflection it links to.</summary>
    public static readonly TimeSpan ReflectionWait = TimeSpan.FromSeconds(5);

    public NudgeKind Kind => NudgeKind.Prep;

    public async Task<PlacementDecision> DecideAsync(Nudge nudge, EnrolledUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nudge);
        ArgumentNullException.ThrowIfNull(user);
        var now = time.GetUtcNow();

        // The block links to the reflection of the same meeting, so that one is placed first: "rough" with no
        // reflection yet plans both at once, and their jobs may run in either order (or the reflection's may be
        // waiting out a Graph failure). Until the reflection has settled, the prep block waits for it.
        var reflectionKey = NudgeKeys.UniqueKey(nudge.TenantId, nudge.UserId, nudge.MeetingICalUId, nudge.OccurrenceStart, NudgeKind.Reflection);
        if (await store.StateAsync(reflectionKey, cancellationToken) == NudgeState.Planned)
        {
            return PlacementDecision.Later(now + ReflectionWait);
        }
        var profile = await graph.GetMailboxProfileAsync(user.UserId, cancellationToken);
        var from = nudge.OccurrenceStart < now ? nudge.OccurrenceStart : now;
        var after = nudge.MeetingEnd > now ? nudge.MeetingEnd : now;
        var calendar = await graph.GetCalendarViewAsync(user.UserId, new Interval(from, after + NextOneOnOne.SeriesLookAhead), cancellationToken);
        var last = calendar.FirstOrDefault(item => item.EventId == nudge.MeetingEventId)
            ?? await graph.GetEventAsync(user.UserId, nudge.MeetingEventId, cancellationToken);
        var (people, stop) = await judge.RecheckAsync(user, last, Counterpart.Manager, cancellationToken);
        if (people is null)
        {
            return stop!;
        }

        var next = NextOneOnOne.Pick(last!, calendar, meeting => judge.Judge(meeting, people, Counterpart.Manager).IsOneOnOne, now);
        if (next is null)
        {
            return PlacementOutcome.NoSlot(NudgeReasons.NoNextOneOnOne);
        }

        // Recorded before the create, so reconciliation can tell when that one-on-one moves or is cancelled.
        await store.AimAsync(nudge.Id, next.EventId, next.Start, cancellationToken);
        var busy = calendar
            .Where(item => !item.IsCancelled && item.Kind != EventKind.SeriesMaster)
            .Select(item => new BusyInterval(item.Interval, item.ShowAs))
            .ToList();
        var found = PrepSlotFinder.Find(next.Start, now, profile.WorkingHours, busy, policies.Prep);
        if (!found.Found || found.Slot is not { } slot)
        {
            return PlacementOutcome.NoSlot(NudgeReasons.NoSlot(found.Reason));
        }

        var reflection = await graph.FindOurEventAsync(user.UserId, NudgeKeys.SourceValue(NudgeKind.Reflection, nudge.MeetingICalUId), cancellationToken);
        // In the mailbox's language; the next one-on-one's start is written the locale's way, in the user's own zone.
        var text = PrepText.Create(Catalogs.For(profile.Locale), reflection?.WebLink, service.Value.TaskPaneLink(next.EventId), next.Start, profile.TimeZone);
        return new PlacementPlan(slot, text, profile.TimeZone, Attendees: [], IsPrivate: true);
    }
}

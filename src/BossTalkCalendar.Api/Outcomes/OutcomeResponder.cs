using BossTalkCalendar.Api.Auth;
using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Graph;
using BossTalkCalendar.Core.Nudges;
using BossTalkCalendar.Core.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Api.Outcomes;

/// <summary>What an answer changed, and the follow-up tone the user's relationship suggests.</summary>
public sealed record OutcomeResult(TalkOutcome Outcome, IReadOnlyList<Nudge> Changed, FollowUpTone? SuggestedTone);

/// <summary>
/// Acts on the user's answer to "how did it go?" for a one-on-one that ended (docs/architecture.md, "How did it go?"):
/// <list type="bullet">
/// <item>Fine: the reflection block is removed if it has not started, and the nudge is recorded as dismissed (a
/// dismissed nudge also keeps the scan from planning one later); a prep block asked for earlier goes too.</item>
/// <item>Mixed: the reflection stays as it is; a prep block asked for earlier goes.</item>
/// <item>Rough: the reflection is planned if there is none (right away when the cool-down has passed), and a prep block
/// before the next one-on-one with the same manager is planned.</item>
/// </list>
/// Every change goes through <see cref="NudgeStore"/>'s transitions, so two answers racing each other or a placement
/// cannot leave an event behind that the records do not know about.
/// </summary>
public sealed class OutcomeResponder(
    MeetingOutcomes outcomes,
    NudgeStore store,
    NudgeRequests requests,
    INudgeScheduler scheduler,
    NudgePolicies policies,
    ICalendarGateway graph,
    IDbContextFactory<BossTalkDbContext> contexts,
    TimeProvider time)
{
    /// <param name="user">The caller.</param>
    /// <param name="row">The caller's enrolled row.</param>
    /// <param name="meeting">The one-on-one, already checked to be the caller's, ended, and with the manager.</param>
    /// <param name="outcome">The answer.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public async Task<OutcomeResult> ApplyAsync(ApiUser user, EnrolledUser row, Meeting meeting, TalkOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(meeting);
        await outcomes.RecordAsync(user.TenantId, user.UserId, meeting.ICalUId, meeting.Start, outcome, cancellationToken);

        var changed = new List<Guid>();
        var reflection = await ReadAsync(user, meeting, NudgeKind.Reflection, cancellationToken);
        var prep = await ReadAsync(user, meeting, NudgeKind.Prep, cancellationToken);
        switch (outcome)
        {
            case TalkOutcome.Fine:
                if (reflection is null)
                {
                    changed.AddRange((await store.PlanAsync([store.NewDismissed(user.TenantId, user.UserId, meeting, NudgeKind.Reflection)], cancellationToken)).Select(n => n.Id));
                }
                else if (await WithdrawAsync(reflection, cancellationToken))
                {
                    changed.Add(reflection.Id);
                }

                await WithdrawPrepAsync(prep, changed, cancellationToken);
                break;
            case TalkOutcome.Mixed:
                await WithdrawPrepAsync(prep, changed, cancellationToken);
                break;
            case TalkOutcome.Rough:
                if (await PlanReflectionAsync(user, row, meeting, reflection, cancellationToken) is { } planned)
                {
                    changed.Add(planned);
                }

                var asked = await requests.RequestAsync(user, meeting, NudgeKind.Prep, tone: null, invite: null, cancellationToken);
                if (asked.Outcome is RequestOutcome.Created or RequestOutcome.Replanned)
                {
                    changed.Add(asked.Nudge.Id);
                }

                break;
        }

        return new OutcomeResult(outcome, await ReadAsync(changed, cancellationToken), SuggestedTone(row.Relationship));
    }

    /// <summary>The tone a relationship suggests; null when the user has not said.</summary>
    public static FollowUpTone? SuggestedTone(Relationship? relationship) => relationship switch
    {
        Relationship.Friendly => FollowUpTone.Casual,
        Relationship.Formal => FollowUpTone.Formal,
        Relationship.LetGo => FollowUpTone.Skip,
        _ => null,
    };

    /// <summary>
    /// Rough with no reflection yet (the user places them only when flagged, or the scan has not come by): one is
    /// planned as the scan would, so the cool-down holds; once it has passed, as asked for now. A dismissed one (an
    /// earlier "fine") is asked for again.
    /// </summary>
    private async Task<Guid?> PlanReflectionAsync(ApiUser user, EnrolledUser row, Meeting meeting, Nudge? reflection, CancellationToken cancellationToken)
    {
        var coolDownOver = time.GetUtcNow() >= meeting.End + policies.ReflectionFor(row).CoolDown;
        if (reflection is null && !coolDownOver)
        {
            var planned = await store.PlanAsync([store.New(user.TenantId, user.UserId, meeting, NudgeKind.Reflection)], cancellationToken);
            if (planned.Count == 0)
            {
                return null;
            }

            await scheduler.QueueAsync([planned[0].Id], cancellationToken);
            return planned[0].Id;
        }

        if (reflection is not null && !NudgeStore.Revivable.Contains(reflection.State))
        {
            return null;
        }

        var asked = await requests.RequestAsync(user, meeting, NudgeKind.Reflection, tone: null, invite: null, cancellationToken);
        return asked.Outcome is RequestOutcome.Created or RequestOutcome.Replanned ? asked.Nudge.Id : null;
    }

    private async Task WithdrawPrepAsync(Nudge? prep, List<Guid> changed, CancellationToken cancellationToken)
    {
        if (prep is not null && await WithdrawAsync(prep, cancellationToken))
        {
            changed.Add(prep.Id);
        }
    }

    /// <summary>
    /// Dismisses a planned nudge, or a placed one whose event has not started (the event is deleted first). A block
    /// that has started or passed stays: it is the user's time now. A placement creating the event right now finds
    /// its nudge dismissed and takes the event back (PlaceNudgesJob).
    /// </summary>
    private async Task<bool> WithdrawAsync(Nudge nudge, CancellationToken cancellationToken)
    {
        switch (nudge.State)
        {
            case NudgeState.Planned:
                if (!await store.DismissAsync(nudge.Id, NudgeState.Planned, cancellationToken))
                {
                    return false;
                }

                await scheduler.DeleteUnusedAsync(nudge.HangfireJobId is { } jobId ? [jobId] : [], cancellationToken);
                return true;
            case NudgeState.Placed when nudge.SlotStart > time.GetUtcNow() && nudge.CreatedEventId is { } eventId:
                await graph.DeleteEventAsync(nudge.UserId, eventId, cancellationToken);
                return await store.DismissAsync(nudge.Id, NudgeState.Placed, cancellationToken);
            default:
                return false;
        }
    }

    private async Task<Nudge?> ReadAsync(ApiUser user, Meeting meeting, NudgeKind kind, CancellationToken cancellationToken)
    {
        var key = NudgeKeys.UniqueKey(user.TenantId, user.UserId, meeting.ICalUId, meeting.Start, kind);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Nudges.AsNoTracking().SingleOrDefaultAsync(n => n.UniqueKey == key, cancellationToken);
    }

    private async Task<List<Nudge>> ReadAsync(List<Guid> ids, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Nudges.AsNoTracking().Where(n => ids.Contains(n.Id)).ToListAsync(cancellationToken);
    }
}

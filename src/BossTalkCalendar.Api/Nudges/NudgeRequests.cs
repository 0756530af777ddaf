using BossTalkCalendar.Api.Auth;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Nudges;
using BossTalkCalendar.Core.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Api.Nudges;

/// <summary>How a request for a nudge was met.</summary>
public enum RequestOutcome
{
    /// <summary>A new nudge was recorded (and its placement queued unless skipped).</summary>
    Created,

    /// <summary>One that had put nothing on the calendar (no slot, failed, cancelled, skipped) is tried again.</summary>
    Replanned,

    /// <summary>The same request was made before; that nudge is the answer.</summary>
    Existing,

    /// <summary>A different follow-up (tone or invitation) was already planned or placed; nothing changed.</summary>
    Conflict,
}

/// <summary>The nudge and how the request was met.</summary>
public sealed record RequestResult(Nudge Nudge, RequestOutcome Outcome);

/// <summary>
/// Nudges a user asks for in the add-in. One nudge per meeting occurrence and kind (the unique key), so asking
/// twice never places twice; a request may revive a nudge that put nothing on the calendar.
/// </summary>
public sealed class NudgeRequests(NudgeStore store, INudgeScheduler scheduler, IDbContextFactory<BossTalkDbContext> contexts, TimeProvider time)
{
    /// <param name="user">The caller.</param>
    /// <param name="meeting">The one-on-one, already checked to be the caller's, ended, and with the right person.</param>
    /// <param name="kind">Reflection, follow-up or prep.</param>
    /// <param name="tone">Follow-up only.</param>
    /// <param name="invite">Follow-up only.</param>
    /// <param name="cancellationToken">Stops the request.</param>
    public async Task<RequestResult> RequestAsync(ApiUser user, Meeting meeting, NudgeKind kind, FollowUpTone? tone, bool? invite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(meeting);
        var candidate = store.New(user.TenantId, user.UserId, meeting, kind, time.GetUtcNow(), tone, invite);
        if (await store.PlanAsync([candidate], cancellationToken) is [var created])
        {
            return new RequestResult(await QueueIfPlannedAsync(created, cancellationToken), RequestOutcome.Created);
        }

        // The key was taken: asked before (or a double click made it a moment ago).
        var existing = await ReadAsync(candidate.UniqueKey, cancellationToken);
        if (SameRequest(existing, tone, invite) && existing.State is NudgeState.Planned or NudgeState.Placed or NudgeState.Skipped)
        {
            return new RequestResult(existing, RequestOutcome.Existing);
        }

        if (!NudgeStore.Revivable.Contains(existing.State))
        {
            return new RequestResult(existing, RequestOutcome.Conflict);
        }

        var request = new RevivalRequest(kind == NudgeKind.FollowUp, tone, invite, meeting.EventId, meeting.End);
        var revived = await store.ReviveAsync(existing.Id, existing.State, reason: null, request, cancellationToken);
        var current = await ReadAsync(candidate.UniqueKey, cancellationToken);
        if (!revived)
        {
            // Changed under us (a job settled it, or another request revived it): answer with what it is now.
            return new RequestResult(current, SameRequest(current, tone, invite) ? RequestOutcome.Existing : RequestOutcome.Conflict);
        }

        return new RequestResult(await QueueIfPlannedAsync(current, cancellationToken), RequestOutcome.Replanned);
    }

    // A reflection or a prep block has no options; a follow-up is the same request when tone and invitation match.
    private static bool SameRequest(Nudge nudge, FollowUpTone? tone, bool? invite) =>
        nudge.Kind != NudgeKind.FollowUp || (nudge.Tone == tone && (nudge.Invite ?? false) == (invite ?? false));

    private async Task<Nudge> ReadAsync(string uniqueKey, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Nudges.AsNoTracking().SingleAsync(n => n.UniqueKey == uniqueKey, cancellationToken);
    }

    private async Task<Nudge> QueueIfPlannedAsync(Nudge nudge, CancellationToken cancellationToken)
    {
        // The scheduler records the job on the row (NudgeStore.AttachJobAsync); the caller reads only the nudge's key and state.
        if (nudge.State == NudgeState.Planned)
        {
            await scheduler.QueueAsync([nudge.Id], cancellationToken);
        }

        return nudge;
    }
}

using BossTalkCalendar.Api.Auth;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Nudges;
using BossTalkCalendar.Core.Scheduling;
using Hangfire;
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
public sealed class NudgeRequests(IDbContextFactory<BossTalkDbContext> contexts, IBackgroundJobClient jobs, TimeProvider time)
{
    private static readonly NudgeState[] Revivable = [NudgeState.NoSlot, NudgeState.Failed, NudgeState.Cancelled, NudgeState.Skipped];

    /// <param name="user">The caller.</param>
    /// <param name="meeting">The one-on-one, already checked to be the caller's, ended, and with the right person.</param>
    /// <param name="kind">Reflection or follow-up.</param>
    /// <param name="tone">Follow-up only.</param>
    /// <param name="invite">Follow-up only.</param>
    /// <param name="cancellationToken">Stops the request.</param>
    public async Task<RequestResult> RequestAsync(ApiUser user, Meeting meeting, NudgeKind kind, FollowUpTone? tone, bool? invite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(meeting);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var key = NudgeKeys.UniqueKey(user.TenantId, user.UserId, meeting.ICalUId, meeting.Start, kind);
        var now = time.GetUtcNow();
        var state = tone == FollowUpTone.Skip ? NudgeState.Skipped : NudgeState.Planned;

        var existing = await db.Nudges.AsNoTracking().SingleOrDefaultAsync(n => n.UniqueKey == key, cancellationToken);
        if (existing is null)
        {
            var nudge = new Nudge
            {
                Id = Guid.NewGuid(),
                TenantId = user.TenantId,
                UserId = user.UserId,
                Kind = kind,
                UniqueKey = key,
                MeetingEventId = meeting.EventId,
                MeetingICalUId = meeting.ICalUId,
                OccurrenceStart = meeting.Start,
                MeetingEnd = meeting.End,
                State = state,
                Reason = state == NudgeState.Skipped ? NudgeReasons.Skipped : null,
                TransactionId = NudgeKeys.TransactionId(key),
                Tone = tone,
                Invite = kind == NudgeKind.FollowUp ? invite ?? false : null,
                RequestedAt = now,
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Nudges.Add(nudge);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new RequestResult(await QueueIfPlannedAsync(db, nudge, cancellationToken), RequestOutcome.Created);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation())
            {
                // The same request arrived twice at once (a double click): the other one made the nudge.
                db.Entry(nudge).State = EntityState.Detached;
                existing = await db.Nudges.AsNoTracking().SingleAsync(n => n.UniqueKey == key, cancellationToken);
            }
        }

        if (SameRequest(existing, tone, invite) && existing.State is NudgeState.Planned or NudgeState.Placed or NudgeState.Skipped)
        {
            return new RequestResult(existing, RequestOutcome.Existing);
        }

        if (!Revivable.Contains(existing.State))
        {
            return new RequestResult(existing, RequestOutcome.Conflict);
        }

        var followUp = kind == NudgeKind.FollowUp;
        var revived = await db.Nudges
            .Where(n => n.Id == existing.Id && n.State == existing.State)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(n => n.State, state)
                    .SetProperty(n => n.Reason, state == NudgeState.Skipped ? NudgeReasons.Skipped : null)
                    .SetProperty(n => n.Tone, followUp ? tone : existing.Tone)
                    .SetProperty(n => n.Invite, followUp ? invite ?? false : existing.Invite)
                    .SetProperty(n => n.MeetingEventId, meeting.EventId)
                    .SetProperty(n => n.MeetingEnd, meeting.End)
                    .SetProperty(n => n.Attempts, 0)
                    .SetProperty(n => n.RequestedAt, now)
                    .SetProperty(n => n.UpdatedAt, now),
                cancellationToken);
        var current = await db.Nudges.AsNoTracking().SingleAsync(n => n.Id == existing.Id, cancellationToken);
        if (revived == 0)
        {
            // Changed under us (a job settled it, or another request revived it): answer with what it is now.
            return new RequestResult(current, SameRequest(current, tone, invite) ? RequestOutcome.Existing : RequestOutcome.Conflict);
        }

        return new RequestResult(await QueueIfPlannedAsync(db, current, cancellationToken), RequestOutcome.Replanned);
    }

    // A reflection has no options; a follow-up is the same request when tone and invitation match.
    private static bool SameRequest(Nudge nudge, FollowUpTone? tone, bool? invite) =>
        nudge.Kind == NudgeKind.Reflection || (nudge.Tone == tone && (nudge.Invite ?? false) == (invite ?? false));

    private async Task<Nudge> QueueIfPlannedAsync(BossTalkDbContext db, Nudge nudge, CancellationToken cancellationToken)
    {
        if (nudge.State != NudgeState.Planned)
        {
            return nudge;
        }

        nudge.HangfireJobId = await NudgeJobs.QueueAsync(db, jobs, nudge.Kind, nudge.Id, cancellationToken);
        return nudge;
    }
}

using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Graph;
using BossTalkCalendar.Core.Nudges;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Jobs;

/// <summary>
/// Recurring <c>reconcile</c> (<see cref="JobsOptions.ReconcileCron"/>): repairs the records against the calendars,
/// both ways, for the recent past.
/// <list type="bullet">
/// <item>A nudge recorded failed or cancelled after its create was sent may have its event on the calendar after
/// all (the answer was lost and the retries ran out). Failed: the event is adopted and the nudge is placed.
/// Cancelled (the user opted out meanwhile): the event is deleted, so an opt-out leaves nothing behind.</item>
/// <item>A placed nudge whose event is gone (the user deleted it) is marked removed, so nobody counts it as placed;
/// with change notifications, a little after Graph says so (<see cref="CheckPlacedAsync(Guid[], CancellationToken)"/>).</item>
/// <item>A dismissed nudge (the user said it went fine while its create was out) loses its event like a cancelled one.</item>
/// <item>A placed prep block follows its next one-on-one: it goes when that meeting is cancelled, and is placed again
/// when it moved.</item>
/// </list>
/// An event of ours with no nudge at all cannot arise: a nudge is written before its create is sent.
/// </summary>
[AutomaticRetry(Attempts = 0)] // the next run is never far away
public sealed class ReconcileJob(
    IDbContextFactory<BossTalkDbContext> contexts,
    NudgeStore store,
    PlacedEvents placed,
    INudgeScheduler scheduler,
    ICalendarGateway graph,
    IOptions<JobsOptions> options,
    TimeProvider time,
    ILogger<ReconcileJob> logger)
{
    public const string RecurringJobId = "reconcile";

    private static readonly NudgeState[] MaybeWritten = [NudgeState.Failed, NudgeState.Cancelled, NudgeState.Dismissed];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var since = now - TimeSpan.FromDays(options.Value.ReconcileDays);
        List<Nudge> candidates;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            // The time filter runs here: SQLite cannot compare DateTimeOffset values in SQL.
            candidates = (await db.Nudges.AsNoTracking()
                    .Where(n => (MaybeWritten.Contains(n.State) && n.CreateSentAt != null) || (n.State == NudgeState.Placed && n.CreatedEventId != null))
                    .ToListAsync(cancellationToken))
                .Where(n => n.State == NudgeState.Placed ? n.SlotEnd > now : n.UpdatedAt >= since)
                .ToList();
        }

        int adopted = 0, withdrawn = 0, removed = 0, moved = 0;
        foreach (var nudge in candidates)
        {
            try
            {
                switch (nudge.State)
                {
                    case NudgeState.Placed:
                        (moved, removed) = await CheckPlacedAsync(nudge, moved, removed, cancellationToken);
                        break;
                    case NudgeState.Failed or NudgeState.Cancelled or NudgeState.Dismissed:
                        var found = await placed.FindAsync(nudge, cancellationToken);
                        if (found is null)
                        {
                            break;
                        }

                        if (nudge.State != NudgeState.Failed)
                        {
                            await graph.DeleteEventAsync(nudge.UserId, found.Id, cancellationToken);
                            withdrawn++;
                        }
                        else if (await store.AdoptAsync(nudge.Id, found.Id, found.Slot, ZoneIds.IanaOf((await graph.GetMailboxProfileAsync(nudge.UserId, cancellationToken)).TimeZone), cancellationToken))
                        {
                            adopted++;
                        }

                        break;
                }
            }
            catch (GatewayException ex)
            {
                // One mailbox that cannot be read now does not hold up the others; the next run tries again.
                logger.ReconcileFailed(nudge.Id, ex.Failure);
            }
        }

        logger.Reconciled(candidates.Count, adopted, withdrawn, removed, moved);
    }

    /// <summary>
    /// This check for the given nudges only, a little after Graph said the user deleted their block
    /// (Notifications/NotificationReceiver.cs), instead of at the next run. Nudges no longer placed are left alone.
    /// </summary>
    public async Task CheckPlacedAsync(Guid[] nudgeIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nudgeIds);
        List<Nudge> blocks;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            blocks = await db.Nudges.AsNoTracking()
                .Where(n => nudgeIds.Contains(n.Id) && n.State == NudgeState.Placed && n.CreatedEventId != null)
                .ToListAsync(cancellationToken);
        }

        int moved = 0, removed = 0;
        foreach (var nudge in blocks)
        {
            try
            {
                (moved, removed) = await CheckPlacedAsync(nudge, moved, removed, cancellationToken);
            }
            catch (GatewayException ex)
            {
                // The hourly run reads it again.
                logger.ReconcileFailed(nudge.Id, ex.Failure);
            }
        }

        logger.Reconciled(blocks.Count, 0, 0, removed, moved);
    }

    /// <summary>A placed nudge whose event is gone is removed; a placed prep block follows its next one-on-one.</summary>
    private async Task<(int Moved, int Removed)> CheckPlacedAsync(Nudge nudge, int moved, int removed, CancellationToken cancellationToken)
    {
        if (await graph.GetEventAsync(nudge.UserId, nudge.CreatedEventId!, cancellationToken) is null)
        {
            return (moved, removed + (await store.MarkRemovedAsync(nudge.Id, NudgeReasons.EventDeleted, cancellationToken) ? 1 : 0));
        }

        return nudge is { Kind: NudgeKind.Prep, NextMeetingEventId: { } nextId }
            ? await FollowNextMeetingAsync(nudge, nextId, moved, removed, cancellationToken)
            : (moved, removed);
    }

    /// <summary>
    /// A prep block follows its next one-on-one: when that meeting is cancelled or gone, the block is withdrawn and
    /// the nudge removed; when it moved, the block is withdrawn and the nudge planned again before the new time.
    /// Deleting first is safe twice over: a second run's delete finds nothing, and only one run wins the transition.
    /// </summary>
    private async Task<(int Moved, int Removed)> FollowNextMeetingAsync(Nudge nudge, string nextId, int moved, int removed, CancellationToken cancellationToken)
    {
        var next = await graph.GetEventAsync(nudge.UserId, nextId, cancellationToken);
        if (next is not null && !next.IsCancelled && next.Start == nudge.NextMeetingStart)
        {
            return (moved, removed);
        }

        await graph.DeleteEventAsync(nudge.UserId, nudge.CreatedEventId!, cancellationToken);
        if (next is null || next.IsCancelled)
        {
            return (moved, removed + (await store.MarkRemovedAsync(nudge.Id, NudgeReasons.NextMeetingGone, cancellationToken) ? 1 : 0));
        }

        if (!await store.ReplanAsync(nudge.Id, cancellationToken))
        {
            return (moved, removed);
        }

        await scheduler.QueueAsync([nudge.Id], cancellationToken);
        return (moved + 1, removed);
    }
}

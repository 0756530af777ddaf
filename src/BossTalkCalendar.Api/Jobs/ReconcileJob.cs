using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Graph;
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
/// <item>A placed nudge whose event is gone (the user deleted it) is marked removed, so nobody counts it as placed.</item>
/// </list>
/// An event of ours with no nudge at all cannot arise: a nudge is written before its create is sent.
/// </summary>
[AutomaticRetry(Attempts = 0)] // the next run is never far away
public sealed class ReconcileJob(
    IDbContextFactory<BossTalkDbContext> contexts,
    NudgeStore store,
    PlacedEvents placed,
    ICalendarGateway graph,
    IOptions<JobsOptions> options,
    TimeProvider time,
    ILogger<ReconcileJob> logger)
{
    public const string RecurringJobId = "reconcile";

    private static readonly NudgeState[] MaybeWritten = [NudgeState.Failed, NudgeState.Cancelled];

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

        int adopted = 0, withdrawn = 0, removed = 0;
        foreach (var nudge in candidates)
        {
            try
            {
                switch (nudge.State)
                {
                    case NudgeState.Placed:
                        if (await graph.GetEventAsync(nudge.UserId, nudge.CreatedEventId!, cancellationToken) is null
                            && await store.MarkRemovedAsync(nudge.Id, cancellationToken))
                        {
                            removed++;
                        }

                        break;
                    case NudgeState.Failed or NudgeState.Cancelled:
                        var found = await placed.FindAsync(nudge, cancellationToken);
                        if (found is null)
                        {
                            break;
                        }

                        if (nudge.State == NudgeState.Cancelled)
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
                logger.LogWarning("Reconciling nudge {NudgeId} hit {Failure}", nudge.Id, ex.Failure);
            }
        }

        logger.Reconciled(candidates.Count, adopted, withdrawn, removed);
    }
}

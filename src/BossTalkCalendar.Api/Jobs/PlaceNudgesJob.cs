using System.Data.Common;
using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Outcomes;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Graph;
using BossTalkCalendar.Core.Nudges;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Jobs;

/// <summary>
/// <c>place-nudges</c>: the one job that writes nudges to calendars, for every kind. For each planned nudge it makes
/// sure the user still wants it, asks the kind's <see cref="INudgePlacer"/> for a plan, creates the event once, and
/// settles the nudge through <see cref="NudgeStore"/> (see docs/architecture.md, "A nudge's life").
/// </summary>
/// <remarks>
/// <para>Safe when it runs twice, concurrently, on two instances, and when any answer is lost after the write:</para>
/// <list type="bullet">
/// <item>A user's nudges are placed one at a time under that user's lease (<see cref="UserLeases"/>), so a second
/// block sees the first on the calendar as busy; a job that finds the lease taken leaves the nudge for a moment.</item>
/// <item>Before the create is sent, the nudge records that it was (<see cref="NudgeStore.MarkCreateSentAsync"/>). Any
/// later attempt first looks for our event by its extended property and adopts it, instead of finding another slot
/// and re-sending the transactionId with a different body, which Graph refuses (<c>ErrorDuplicateTransactionId</c>,
/// docs/graph.md). That refusal is answered the same way: look up, adopt.</item>
/// <item>Every state change is conditional on the nudge still being planned, so only one run records a result.</item>
/// </list>
/// <para>Transient Graph failures come back later on Graph's terms (Retry-After, else back-off) up to
/// <see cref="JobsOptions.MaxAttempts"/>; throttling does not use up an attempt. Permanent ones are recorded. A fault
/// of our own database (a SQLite file busy past its timeout, a PostgreSQL connection lost) is transient too: the nudge
/// comes back after the same back-off and counts an attempt, rather than waiting on Hangfire's own retry, which knows
/// nothing of our attempts and records no reason.</para>
/// </remarks>
[AutomaticRetry(Attempts = 2)] // Graph failures are retried below on Graph's terms; this covers the unexpected
public sealed class PlaceNudgesJob(
    IDbContextFactory<BossTalkDbContext> contexts,
    NudgeStore store,
    UserLeases leases,
    IEnumerable<INudgePlacer> placers,
    PlacedEvents placed,
    ICalendarGateway graph,
    INudgeScheduler scheduler,
    NudgePolicies policies,
    IOptions<JobsOptions> options,
    TimeProvider time,
    ILogger<PlaceNudgesJob> logger)
{
    /// <summary>How long a nudge waits when another placement holds its user's calendar.</summary>
    private static readonly TimeSpan LeaseWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// True when the user still wants this nudge: enrolled and not opted out; a pause stops only the nudges the
    /// scan found, not the ones the user asked for.
    /// </summary>
    public static bool MayPlace(EnrolledUser? user, Nudge nudge)
    {
        ArgumentNullException.ThrowIfNull(nudge);
        return user is { Enrolled: true, OptedOut: false } && (nudge.RequestedAt is not null || !user.Paused);
    }

    /// <summary>
    /// Places the planned nudges among <paramref name="nudgeIds"/> (the rest are skipped): users
    /// <see cref="JobsOptions.BatchParallelism"/> at a time, each user's nudges one after the other, earliest meeting first.
    /// </summary>
    /// <param name="nudgeIds">Nudges of a scan batch, a request, or one coming back after a failure.</param>
    /// <param name="cancellationToken">Replaced by Hangfire with the server's shutdown token.</param>
    public async Task RunAsync(Guid[] nudgeIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nudgeIds);
        List<Nudge> nudges;
        Dictionary<(string TenantId, string UserId), EnrolledUser> users;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            nudges = await db.Nudges.AsNoTracking().Where(n => nudgeIds.Contains(n.Id) && n.State == NudgeState.Planned).ToListAsync(cancellationToken);
            var userIds = nudges.Select(n => n.UserId).Distinct().ToList();
            users = (await db.EnrolledUsers.AsNoTracking().Where(u => userIds.Contains(u.UserId)).ToListAsync(cancellationToken))
                .ToDictionary(u => (u.TenantId, u.UserId));
        }

        await Parallel.ForEachAsync(
            nudges.GroupBy(n => (n.TenantId, n.UserId)),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.BatchParallelism, CancellationToken = cancellationToken },
            async (group, ct) => await PlaceForUserAsync(group.Key, [.. group.OrderBy(n => n.MeetingEnd).ThenBy(n => n.Kind)], users.GetValueOrDefault(group.Key), ct));
    }

    private async Task PlaceForUserAsync((string TenantId, string UserId) key, IReadOnlyList<Nudge> nudges, EnrolledUser? user, CancellationToken cancellationToken)
    {
        UserLeases.Lease? lease;
        try
        {
            lease = await leases.TryAcquireAsync(key.TenantId, key.UserId, cancellationToken);
        }
        catch (Exception ex) when (IsDatabaseFault(ex))
        {
            // Whether the lease was taken is unknown: come back once it would have lapsed anyway.
            logger.PlacementDatabaseFault(key.UserId, ex.GetType().Name);
            foreach (var nudge in nudges)
            {
                await RetryLaterAsync(nudge, null, UserLeases.Duration, cancellationToken);
            }

            return;
        }

        await using var held = lease;
        if (lease is null)
        {
            foreach (var nudge in nudges)
            {
                await WaitForTurnAsync(nudge, cancellationToken);
            }

            return;
        }

        foreach (var nudge in nudges)
        {
            try
            {
                await SettleAsync(nudge, user, lease, cancellationToken);
            }
            catch (Exception ex) when (IsDatabaseFault(ex))
            {
                // Safe to repeat from any point: a create already sent is found and adopted by the next attempt.
                logger.PlacementDatabaseFault(nudge.UserId, ex.GetType().Name);
                await RetryLaterAsync(nudge, null, null, cancellationToken);
            }
        }
    }

    private async Task SettleAsync(Nudge nudge, EnrolledUser? user, UserLeases.Lease lease, CancellationToken cancellationToken)
    {
        if (!MayPlace(user, nudge))
        {
            var reason = user is { OptedOut: true } ? NudgeReasons.OptedOut : NudgeReasons.UserNotActive;
            await RecordAsync(nudge, PlacementOutcome.Cancelled(reason), null, cancellationToken);
            return;
        }

        PlacementOutcome? outcome;
        try
        {
            outcome = await PlaceAsync(nudge, user!, lease, cancellationToken);
        }
        catch (GatewayException ex) when (ex.IsTransient)
        {
            await RetryLaterAsync(nudge, ex.Failure, ex.RetryAfter, cancellationToken);
            return;
        }
        catch (GatewayException ex)
        {
            outcome = PlacementOutcome.Failed(NudgeReasons.Graph(ex.Failure));
        }

        if (outcome is not null)
        {
            await RecordAsync(nudge, outcome, null, cancellationToken);
        }
    }

    private static bool IsDatabaseFault(Exception ex) => ex is DbException or DbUpdateException;

    /// <summary>The placement itself; null when there is nothing to record (the nudge changed, or its turn is later).</summary>
    private async Task<PlacementOutcome?> PlaceAsync(Nudge nudge, EnrolledUser user, UserLeases.Lease lease, CancellationToken cancellationToken)
    {
        // An earlier attempt sent the create and never heard back: the event may be there.
        if (nudge.CreateSentAt is not null && await placed.FindAsync(nudge, cancellationToken) is { } earlier)
        {
            logger.PlacementAdopted(nudge.Id);
            var zone = (await graph.GetMailboxProfileAsync(user.UserId, cancellationToken)).TimeZone;
            return PlacementOutcome.Placed(earlier.Id, earlier.Slot, ZoneIds.IanaOf(zone));
        }

        var placer = placers.Single(p => p.Kind == nudge.Kind);
        var decision = await placer.DecideAsync(nudge, user, cancellationToken);
        if (decision.NotBefore is { } notBefore)
        {
            var jobId = scheduler.Schedule(nudge.Id, notBefore > time.GetUtcNow() ? notBefore - time.GetUtcNow() : TimeSpan.Zero);
            await store.RescheduleAsync(nudge.Id, nudge.Attempts, jobId, cancellationToken);
            return null;
        }

        if (decision.Plan is not { } plan)
        {
            return decision.Stop!;
        }

        // The lease could have lapsed during slow Graph calls; never create without holding it.
        if (!await lease.RenewAsync(cancellationToken))
        {
            await WaitForTurnAsync(nudge, cancellationToken);
            return null;
        }

        if (!await store.MarkCreateSentAsync(nudge.Id, plan.Slot, cancellationToken))
        {
            return null;
        }

        CreatedEvent created;
        try
        {
            created = await graph.CreateEventAsync(
                user.UserId,
                new NewEvent(
                    plan.Text.Subject,
                    plan.Text.BodyHtml,
                    plan.Slot,
                    plan.Zone,
                    nudge.TransactionId,
                    plan.IsInvitation ? null : NudgeKeys.SourceValue(nudge.Kind, nudge.MeetingICalUId),
                    plan.Attendees,
                    plan.IsPrivate,
                    policies.ReminderMinutes),
                cancellationToken);
        }
        catch (GatewayException ex) when (ex.Failure == GatewayFailure.DuplicateTransaction)
        {
            // Our transactionId already made an event: ours, from an attempt whose answer was lost.
            // Looked for where this create went (the slot just recorded on the row).
            var existing = await placed.FindAsync(nudge, plan.Slot, cancellationToken);
            if (existing is null)
            {
                return PlacementOutcome.Failed(NudgeReasons.DuplicateTransaction);
            }

            logger.PlacementAdopted(nudge.Id);
            created = existing;
        }

        // A repeated create returns the event made by the earlier run, which may sit at a slot computed then.
        return PlacementOutcome.Placed(created.Id, created.Slot, ZoneIds.IanaOf(plan.Zone));
    }

    /// <param name="nudge">The nudge to try again.</param>
    /// <param name="failure">Graph's failure, or null for a fault of our database.</param>
    /// <param name="retryAfter">The least wait: Graph's Retry-After, or none.</param>
    /// <param name="cancellationToken">The job's token.</param>
    private async Task RetryLaterAsync(Nudge nudge, GatewayFailure? failure, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        // A 429 is Graph asking us to wait, not a fault of this nudge: it does not use up an attempt. The wait is
        // Graph's Retry-After, and a nudge has one job at a time, so throttling never piles work up.
        var failures = failure == GatewayFailure.Throttled ? nudge.Attempts : nudge.Attempts + 1;
        if (failures >= options.Value.MaxAttempts)
        {
            logger.PlacementGaveUp(nudge.Id, failures, failure?.ToString() ?? "database");
            // Recorded as failed; if the create went out after all, reconciliation finds the event and adopts it.
            var reason = failure is null ? NudgeReasons.DatabaseRetriesExhausted : NudgeReasons.RetriesExhausted;
            await RecordAsync(nudge, PlacementOutcome.Failed(reason), failures, cancellationToken);
            return;
        }

        var delay = Backoff.Delay(failures, retryAfter, options.Value.RetryDelay);
        var jobId = scheduler.Schedule(nudge.Id, delay);
        logger.PlacementRetry(nudge.Id, failure?.ToString() ?? "database", delay);
        await store.RescheduleAsync(nudge.Id, failures, jobId, cancellationToken);
    }

    /// <summary>Another placement holds the user's calendar: come back shortly, without using up an attempt.</summary>
    private async Task WaitForTurnAsync(Nudge nudge, CancellationToken cancellationToken)
    {
        var jobId = scheduler.Schedule(nudge.Id, LeaseWait);
        await store.RescheduleAsync(nudge.Id, nudge.Attempts, jobId, cancellationToken);
    }

    private async Task RecordAsync(Nudge nudge, PlacementOutcome outcome, int? attempts, CancellationToken cancellationToken)
    {
        // A placed prep block's answer has done its job: it is erased in the same transaction, so the answer is never
        // seen next to the placed block, nor gone while the block is still planned.
        Func<BossTalkDbContext, CancellationToken, Task>? eraseAnswer = nudge.Kind == NudgeKind.Prep && outcome.State == NudgeState.Placed
            ? (db, ct) => MeetingOutcomes.EraseAsync(db, nudge.TenantId, nudge.UserId, nudge.MeetingICalUId, nudge.OccurrenceStart, ct)
            : null;
        if (await store.SettleAsync(nudge.Id, outcome, attempts, eraseAnswer, cancellationToken))
        {
            logger.NudgeSettled(nudge.Id, nudge.UserId, outcome.State, outcome.Reason ?? "");
            JobMetrics.NudgeSettled(nudge.Kind, outcome.State);
            return;
        }

        // The user opted out or said the meeting went fine while this run was creating the event: take it back, so
        // an opt-out or a "fine" really leaves nothing behind. A concurrent run that recorded the same event is fine.
        if (outcome is { State: NudgeState.Placed, EventId: { } eventId } && await store.IsWithdrawnAsync(nudge.Id, cancellationToken))
        {
            await graph.DeleteEventAsync(nudge.UserId, eventId, cancellationToken);
            logger.PlacementWithdrawn(nudge.Id);
        }
    }
}

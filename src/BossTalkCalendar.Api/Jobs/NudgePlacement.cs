using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Graph;
using BossTalkCalendar.Core.Meetings;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Jobs;

/// <summary>What a placement came to.</summary>
/// <param name="State">Placed, no slot, cancelled, failed or skipped.</param>
/// <param name="Reason">One of <see cref="NudgeReasons"/>, null when placed.</param>
/// <param name="EventId">The event created on the user's calendar.</param>
/// <param name="Slot">Where it was placed.</param>
/// <param name="TimeZoneId">IANA id of the zone the event was written in.</param>
public sealed record PlacementOutcome(NudgeState State, string? Reason, string? EventId, Interval? Slot, string? TimeZoneId)
{
    public static PlacementOutcome Placed(string eventId, Interval slot, string? timeZoneId) => new(NudgeState.Placed, null, eventId, slot, timeZoneId);

    public static PlacementOutcome NoSlot(string reason) => new(NudgeState.NoSlot, reason, null, null, null);

    public static PlacementOutcome Cancelled(string reason) => new(NudgeState.Cancelled, reason, null, null, null);

    public static PlacementOutcome Failed(string reason) => new(NudgeState.Failed, reason, null, null, null);
}

/// <summary>The meeting as it is now, with the people it is judged against.</summary>
public sealed record RecheckedMeeting(Meeting Meeting, DirectoryUser Owner, DirectoryUser? Manager);

/// <summary>
/// The life every placement job shares, whatever it places: load the planned nudge, make sure the user still wants
/// it, run the kind's own placement, and record the result only while the nudge is still planned (so a second or
/// concurrent run cannot overwrite it). Transient Graph failures come back later on Graph's terms (Retry-After,
/// else back-off) up to <see cref="JobsOptions.MaxAttempts"/> (throttling does not count); permanent ones end in a
/// recorded failure.
/// </summary>
public sealed class NudgePlacement(
    IDbContextFactory<BossTalkDbContext> contexts,
    ICalendarGateway graph,
    IOptions<JobsOptions> options,
    IBackgroundJobClient jobs,
    TimeProvider time,
    ILogger<NudgePlacement> logger)
{
    /// <summary>
    /// True when the user still wants this nudge: enrolled and not opted out; a pause stops only the nudges the
    /// scan found, not the ones the user asked for.
    /// </summary>
    public static bool MayPlace(EnrolledUser? user, Nudge nudge)
    {
        ArgumentNullException.ThrowIfNull(nudge);
        return user is { Enrolled: true, OptedOut: false } && (nudge.RequestedAt is not null || !user.Paused);
    }

    /// <param name="nudgeId">The planned nudge.</param>
    /// <param name="place">The kind's placement: reads Graph, finds a slot, creates the event.</param>
    /// <param name="cancellationToken">The job's token.</param>
    public async Task RunAsync(Guid nudgeId, Func<Nudge, EnrolledUser, CancellationToken, Task<PlacementOutcome>> place, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(place);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var nudge = await db.Nudges.AsNoTracking().SingleOrDefaultAsync(n => n.Id == nudgeId, cancellationToken);
        if (nudge is not { State: NudgeState.Planned })
        {
            return;
        }

        var user = await db.EnrolledUsers.AsNoTracking()
            .SingleOrDefaultAsync(u => u.TenantId == nudge.TenantId && u.UserId == nudge.UserId, cancellationToken);
        await SettleAsync(db, nudge, user, place, cancellationToken);
    }

    /// <summary>
    /// Several planned nudges, <paramref name="parallelism"/> at a time, read in two queries rather than two per
    /// nudge; each settles (or comes back later) on its own, exactly as through <see cref="RunAsync"/>.
    /// </summary>
    /// <param name="nudgeIds">The nudges; those no longer planned are skipped.</param>
    /// <param name="place">The kind's placement.</param>
    /// <param name="parallelism">How many placements talk to Graph at the same time.</param>
    /// <param name="cancellationToken">The job's token.</param>
    public async Task RunManyAsync(
        IReadOnlyCollection<Guid> nudgeIds, Func<Nudge, EnrolledUser, CancellationToken, Task<PlacementOutcome>> place, int parallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nudgeIds);
        ArgumentNullException.ThrowIfNull(place);
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
            nudges,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (nudge, ct) =>
            {
                await using var db = await contexts.CreateDbContextAsync(ct);
                await SettleAsync(db, nudge, users.GetValueOrDefault((nudge.TenantId, nudge.UserId)), place, ct);
            });
    }

    private async Task SettleAsync(
        BossTalkDbContext db, Nudge nudge, EnrolledUser? user, Func<Nudge, EnrolledUser, CancellationToken, Task<PlacementOutcome>> place, CancellationToken cancellationToken)
    {
        if (!MayPlace(user, nudge))
        {
            var reason = user is { OptedOut: true } ? NudgeReasons.OptedOut : NudgeReasons.UserNotActive;
            await RecordAsync(db, nudge, PlacementOutcome.Cancelled(reason), cancellationToken);
            return;
        }

        PlacementOutcome outcome;
        try
        {
            outcome = await place(nudge, user!, cancellationToken);
        }
        catch (GatewayException ex) when (ex.IsTransient)
        {
            await RetryLaterAsync(db, nudge, ex, cancellationToken);
            return;
        }
        catch (GatewayException ex)
        {
            outcome = PlacementOutcome.Failed(NudgeReasons.Graph(ex.Failure));
        }

        await RecordAsync(db, nudge, outcome, cancellationToken);
    }

    /// <summary>
    /// Re-reads the meeting at run time (it may have been cancelled, declined or changed since it was found) and
    /// judges it against <paramref name="counterpart"/>; returns the reason to stop, or the meeting.
    /// </summary>
    public async Task<(RecheckedMeeting? Meeting, PlacementOutcome? Stop)> RecheckMeetingAsync(
        EnrolledUser user, Nudge nudge, Counterpart counterpart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(nudge);
        var meeting = await graph.GetEventAsync(user.UserId, nudge.MeetingEventId, cancellationToken);
        return await JudgeMeetingAsync(user, meeting, counterpart, cancellationToken);
    }

    /// <summary>Judges the meeting as it is now (null: it is gone) against <paramref name="counterpart"/>.</summary>
    public async Task<(RecheckedMeeting? Meeting, PlacementOutcome? Stop)> JudgeMeetingAsync(
        EnrolledUser user, Meeting? meeting, Counterpart counterpart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (meeting is null)
        {
            return (null, PlacementOutcome.Cancelled(NudgeReasons.MeetingGone));
        }

        if (meeting.IsCancelled)
        {
            return (null, PlacementOutcome.Cancelled(NudgeReasons.MeetingCancelled));
        }

        var owner = await graph.GetUserAsync(user.UserId, cancellationToken);
        var manager = await graph.GetManagerAsync(user.UserId, cancellationToken);
        if (counterpart == Counterpart.Manager && manager is null)
        {
            return (null, PlacementOutcome.Cancelled(NudgeReasons.NoManager));
        }

        var check = OneOnOneDetector.Check(meeting, owner.Email, manager?.Email, counterpart, time.GetUtcNow());
        return check.IsOneOnOne
            ? (new RecheckedMeeting(meeting, owner, manager), null)
            : (null, PlacementOutcome.Cancelled(NudgeReasons.NotOneOnOne(check.Reason)));
    }

    private async Task RetryLaterAsync(BossTalkDbContext db, Nudge nudge, GatewayException ex, CancellationToken cancellationToken)
    {
        // A 429 is Graph asking us to wait, not a fault of this nudge: it does not use up an attempt. The wait is
        // Graph's Retry-After, and a nudge has one job at a time, so throttling never piles work up.
        var failures = ex.Failure == GatewayFailure.Throttled ? nudge.Attempts : nudge.Attempts + 1;
        if (failures >= options.Value.MaxAttempts)
        {
            logger.LogWarning("Placing nudge {NudgeId} failed {Failures} times ({Failure}); giving up", nudge.Id, failures, ex.Failure);
            await RecordAsync(db, nudge, PlacementOutcome.Failed(NudgeReasons.RetriesExhausted), cancellationToken, failures);
            return;
        }

        var delay = Backoff.Delay(failures, ex.RetryAfter);
        var jobId = NudgeJobs.Schedule(jobs, nudge.Kind, nudge.Id, delay);
        logger.PlacementRetry(nudge.Id, ex.Failure, delay);
        var now = time.GetUtcNow();
        await db.Nudges
            .Where(n => n.Id == nudge.Id && n.State == NudgeState.Planned)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(n => n.Attempts, failures)
                    .SetProperty(n => n.HangfireJobId, jobId)
                    .SetProperty(n => n.UpdatedAt, now),
                cancellationToken);
    }

    private async Task RecordAsync(BossTalkDbContext db, Nudge nudge, PlacementOutcome outcome, CancellationToken cancellationToken, int? attempts = null)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? slotStart = outcome.Slot?.Start;
        DateTimeOffset? slotEnd = outcome.Slot?.End;
        var written = await db.Nudges
            .Where(n => n.Id == nudge.Id && n.State == NudgeState.Planned)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(n => n.State, outcome.State)
                    .SetProperty(n => n.Reason, outcome.Reason)
                    .SetProperty(n => n.CreatedEventId, outcome.EventId)
                    .SetProperty(n => n.SlotStart, slotStart)
                    .SetProperty(n => n.SlotEnd, slotEnd)
                    .SetProperty(n => n.TimeZoneId, outcome.TimeZoneId)
                    .SetProperty(n => n.Attempts, attempts ?? nudge.Attempts)
                    .SetProperty(n => n.UpdatedAt, now),
                cancellationToken);

        if (written == 1)
        {
            logger.NudgeSettled(nudge.Id, nudge.UserId, outcome.State, outcome.Reason ?? "");
            Observability.JobMetrics.NudgeSettled(nudge.Kind, outcome.State);
            return;
        }

        // The user opted out (or the nudge was otherwise cancelled) while this run was creating the event: take it
        // back, so an opt-out really leaves nothing behind. A concurrent run that recorded the same event is fine.
        if (outcome is { State: NudgeState.Placed, EventId: { } eventId }
            && await db.Nudges.AsNoTracking().AnyAsync(n => n.Id == nudge.Id && n.State == NudgeState.Cancelled, cancellationToken))
        {
            await graph.DeleteEventAsync(nudge.UserId, eventId, cancellationToken);
            logger.PlacementWithdrawn(nudge.Id);
        }
    }
}

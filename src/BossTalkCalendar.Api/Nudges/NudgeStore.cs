using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Nudges;
using BossTalkCalendar.Core.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Api.Nudges;

/// <summary>What a placement came to.</summary>
/// <param name="State">Placed, no slot, cancelled or failed.</param>
/// <param name="Reason">One of <see cref="NudgeReasons"/>, null when placed.</param>
/// <param name="EventId">The event on the user's calendar.</param>
/// <param name="Slot">Where it is.</param>
/// <param name="TimeZoneId">IANA id of the zone the event was written in.</param>
public sealed record PlacementOutcome(NudgeState State, string? Reason, string? EventId, Interval? Slot, string? TimeZoneId)
{
    public static PlacementOutcome Placed(string eventId, Interval slot, string? timeZoneId) => new(NudgeState.Placed, null, eventId, slot, timeZoneId);

    public static PlacementOutcome NoSlot(string reason) => new(NudgeState.NoSlot, reason, null, null, null);

    public static PlacementOutcome Cancelled(string reason) => new(NudgeState.Cancelled, reason, null, null, null);

    public static PlacementOutcome Failed(string reason) => new(NudgeState.Failed, reason, null, null, null);
}

/// <summary>
/// The one owner of a nudge's life. Every change of a nudge's state goes through a named transition here, each a
/// single conditional statement on the row ("only while still planned", "only while cancelled for opting out"), so two
/// jobs, two workers or two instances racing on the same nudge can never both win:
/// <code>
///            plan ──► Planned ──settle──► Placed ──remove──► Removed
///                      ▲  │ │ │              │ ▲
///           revive ────┘  │ │ └─dismiss──────┴─┼──► Dismissed ("it went fine")
///          replan ◄───────┼─┼────────────────┘ │
///   (prep: next 1:1 moved) │ └──settle──► NoSlot / Failed / Cancelled
///                         │                  │ adopt (reconciliation found our event)
///      attach job, aim, mark create sent,    └──────────────► Placed
///      reschedule (stay Planned)
/// </code>
/// See docs/architecture.md, "A nudge's life".
/// </summary>
public sealed class NudgeStore(IDbContextFactory<BossTalkDbContext> contexts, TimeProvider time)
{
    /// <summary>States in which a nudge has put nothing on the calendar, so asking again may revive it.</summary>
    public static readonly IReadOnlyList<NudgeState> Revivable = NudgeTransitions.From(NudgeTransition.Revive);

    /// <summary>A new nudge for one meeting occurrence; the only place a nudge is made.</summary>
    /// <param name="tenantId">The user's tenant.</param>
    /// <param name="userId">The user.</param>
    /// <param name="meeting">The one-on-one.</param>
    /// <param name="kind">Reflection or follow-up.</param>
    /// <param name="requestedAt">When the user asked for it themselves; null for a nudge the scan found.</param>
    /// <param name="tone">Follow-up only.</param>
    /// <param name="invite">Follow-up only.</param>
    public Nudge New(string tenantId, string userId, Meeting meeting, NudgeKind kind, DateTimeOffset? requestedAt = null, FollowUpTone? tone = null, bool? invite = null) =>
        New(tenantId, userId, meeting, kind, requestedAt, tone, invite, dismissed: false);

    /// <summary>A nudge for a meeting the user said went fine before anything was planned: it stops the scan from planning one.</summary>
    public Nudge NewDismissed(string tenantId, string userId, Meeting meeting, NudgeKind kind) =>
        New(tenantId, userId, meeting, kind, requestedAt: null, tone: null, invite: null, dismissed: true);

    private Nudge New(string tenantId, string userId, Meeting meeting, NudgeKind kind, DateTimeOffset? requestedAt, FollowUpTone? tone, bool? invite, bool dismissed)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        var key = NudgeKeys.UniqueKey(tenantId, userId, meeting.ICalUId, meeting.Start, kind);
        var now = time.GetUtcNow();
        var skipped = tone == FollowUpTone.Skip;
        return new Nudge
        {
            Id = Guid.NewGuid(),
            TenantId = tenantId,
            UserId = userId,
            Kind = kind,
            UniqueKey = key,
            MeetingEventId = meeting.EventId,
            MeetingICalUId = meeting.ICalUId,
            MeetingSeriesMasterId = meeting.SeriesMasterId,
            OccurrenceStart = meeting.Start,
            MeetingEnd = meeting.End,
            State = dismissed ? NudgeState.Dismissed : skipped ? NudgeState.Skipped : NudgeState.Planned,
            Reason = dismissed ? NudgeReasons.WentFine : skipped ? NudgeReasons.Skipped : null,
            TransactionId = NudgeKeys.TransactionId(key),
            Tone = tone,
            Invite = kind == NudgeKind.FollowUp ? invite ?? false : null,
            RequestedAt = requestedAt,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>
    /// Plan: inserts the nudges whose unique key is not taken yet and returns those it inserted. A key taken by a
    /// concurrent scan or request (on this instance or another) is left to whoever took it.
    /// </summary>
    public async Task<List<Nudge>> PlanAsync(IReadOnlyCollection<Nudge> candidates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var distinct = candidates.DistinctBy(n => n.UniqueKey).ToList();
        if (distinct.Count == 0)
        {
            return [];
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var keys = distinct.Select(n => n.UniqueKey).ToList();
        var existing = (await db.Nudges.AsNoTracking().Where(n => keys.Contains(n.UniqueKey)).Select(n => n.UniqueKey).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var fresh = distinct.Where(n => !existing.Contains(n.UniqueKey)).ToList();
        if (fresh.Count == 0)
        {
            return [];
        }

        db.Nudges.AddRange(fresh);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return fresh;
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
        }

        // Some keys were taken between the read and the insert: insert the others one by one.
        var added = new List<Nudge>(fresh.Count);
        foreach (var nudge in fresh)
        {
            db.Nudges.Add(nudge);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                added.Add(nudge);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation())
            {
                db.ChangeTracker.Clear();
            }
        }

        return added;
    }

    /// <summary>Attach job: records the Hangfire job that will place these nudges, while they are still planned.</summary>
    public async Task AttachJobAsync(IReadOnlyCollection<Guid> nudgeIds, string jobId, CancellationToken cancellationToken)
    {
        var from = NudgeTransitions.OnlyFrom(NudgeTransition.AttachJob);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Nudges
            .Where(n => nudgeIds.Contains(n.Id) && n.State == from)
            .ExecuteUpdateAsync(set => set.SetProperty(n => n.HangfireJobId, jobId), cancellationToken);
    }

    /// <summary>
    /// Mark create sent: written with the planned slot before the create goes to Graph, so that after a lost answer
    /// every later attempt looks for the event first (<see cref="PlacedEvents"/>). False when the nudge is no longer
    /// planned (cancelled meanwhile): do not create.
    /// </summary>
    public async Task<bool> MarkCreateSentAsync(Guid nudgeId, Interval slot, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? start = slot.Start;
        DateTimeOffset? end = slot.End;
        var from = NudgeTransitions.OnlyFrom(NudgeTransition.MarkCreateSent);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Nudges
            .Where(n => n.Id == nudgeId && n.State == from)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(n => n.CreateSentAt, now)
                    .SetProperty(n => n.SlotStart, start)
                    .SetProperty(n => n.SlotEnd, end)
                    .SetProperty(n => n.UpdatedAt, now),
                cancellationToken) == 1;
    }

    /// <summary>Aim (prep only): records the next one-on-one the block goes before, while the nudge is planned.</summary>
    public async Task AimAsync(Guid nudgeId, string nextMeetingEventId, DateTimeOffset nextMeetingStart, CancellationToken cancellationToken)
    {
        DateTimeOffset? start = nextMeetingStart;
        var from = NudgeTransitions.OnlyFrom(NudgeTransition.Aim);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Nudges
            .Where(n => n.Id == nudgeId && n.State == from)
            .ExecuteUpdateAsync(set => set.SetProperty(n => n.NextMeetingEventId, nextMeetingEventId).SetProperty(n => n.NextMeetingStart, start), cancellationToken);
    }

    /// <summary>
    /// Dismiss: the user said the meeting went fine. From planned (nothing is placed), or from placed once the caller
    /// has deleted the event that had not started yet; only while the nudge is still in <paramref name="from"/>.
    /// </summary>
    public async Task<bool> DismissAsync(Guid nudgeId, NudgeState from, CancellationToken cancellationToken)
    {
        NudgeTransitions.Guard(NudgeTransition.Dismiss, from);
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Nudges
            .Where(n => n.Id == nudgeId && n.State == from)
            .ExecuteUpdateAsync(
                set => set.SetProperty(n => n.State, NudgeState.Dismissed).SetProperty(n => n.Reason, NudgeReasons.WentFine).SetProperty(n => n.UpdatedAt, now),
                cancellationToken) == 1;
    }

    /// <summary>
    /// Replan (prep only): the next one-on-one moved, and the caller has deleted the block placed before it; the nudge
    /// is planned again from scratch, with a fresh transactionId (the old one made the deleted event).
    /// </summary>
    public async Task<bool> ReplanAsync(Guid nudgeId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var transactionId = Guid.NewGuid().ToString("D");
        var from = NudgeTransitions.OnlyFrom(NudgeTransition.Replan);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Nudges
            .Where(n => n.Id == nudgeId && n.State == from && n.Kind == NudgeKind.Prep)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(n => n.State, NudgeState.Planned)
                    .SetProperty(n => n.Reason, (string?)null)
                    .SetProperty(n => n.TransactionId, transactionId)
                    .SetProperty(n => n.CreatedEventId, (string?)null)
                    .SetProperty(n => n.CreateSentAt, (DateTimeOffset?)null)
                    .SetProperty(n => n.SlotStart, (DateTimeOffset?)null)
                    .SetProperty(n => n.SlotEnd, (DateTimeOffset?)null)
                    .SetProperty(n => n.NextMeetingEventId, (string?)null)
                    .SetProperty(n => n.NextMeetingStart, (DateTimeOffset?)null)
                    .SetProperty(n => n.Attempts, 0)
                    .SetProperty(n => n.UpdatedAt, now),
                cancellationToken) == 1;
    }

    /// <summary>
    /// Follow: the meeting of a nudge planned ahead moved before its placement began; the nudge keeps its identity and
    /// takes the meeting's new times, and <paramref name="jobId"/> places it at the new time.
    /// </summary>
    /// <returns>
    /// Whether it followed, and the job it waited on until then, read and replaced in one conditional statement: two
    /// scans following at once each replace a different job, so neither job is left scheduled with nobody waiting on it.
    /// </returns>
    public async Task<Released> FollowAsync(Guid nudgeId, DateTimeOffset start, DateTimeOffset end, string jobId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var from = NudgeTransitions.OnlyFrom(NudgeTransition.Follow);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        while (true)
        {
            var current = await db.Nudges.AsNoTracking()
                .Where(n => n.Id == nudgeId && n.State == from && n.CreateSentAt == null)
                .Select(n => new { n.HangfireJobId })
                .SingleOrDefaultAsync(cancellationToken);
            if (current is null)
            {
                return default;
            }

            var replaced = current.HangfireJobId;
            var followed = await db.Nudges
                .Where(n => n.Id == nudgeId && n.State == from && n.CreateSentAt == null && n.HangfireJobId == replaced)
                .ExecuteUpdateAsync(
                    set => set
                        .SetProperty(n => n.OccurrenceStart, start)
                        .SetProperty(n => n.MeetingEnd, end)
                        .SetProperty(n => n.HangfireJobId, jobId)
                        .SetProperty(n => n.UpdatedAt, now),
                    cancellationToken) == 1;
            if (followed)
            {
                return new Released(true, replaced);
            }
        }
    }

    /// <summary>Withdraw: a nudge planned ahead whose meeting stopped counting (cancelled, declined, …) before its placement began.</summary>
    /// <returns>
    /// Whether it was withdrawn, and the job it waited on then, read just after the statement: the one the caller read
    /// may have been replaced by a concurrent follow, and no follow can replace it any more (a follow needs it planned).
    /// </returns>
    public async Task<Released> WithdrawPlannedAsync(Guid nudgeId, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var from = NudgeTransitions.OnlyFrom(NudgeTransition.Withdraw);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var withdrawn = await db.Nudges
            .Where(n => n.Id == nudgeId && n.State == from && n.CreateSentAt == null)
            .ExecuteUpdateAsync(
                set => set.SetProperty(n => n.State, NudgeState.Cancelled).SetProperty(n => n.Reason, reason).SetProperty(n => n.UpdatedAt, now),
                cancellationToken) == 1;
        if (!withdrawn)
        {
            return default;
        }

        var jobId = await db.Nudges.AsNoTracking().Where(n => n.Id == nudgeId).Select(n => n.HangfireJobId).SingleAsync(cancellationToken);
        return new Released(true, jobId);
    }

    /// <summary>Reschedule: the nudge stays planned and comes back with <paramref name="jobId"/> after a transient failure.</summary>
    public async Task RescheduleAsync(Guid nudgeId, int attempts, string jobId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var from = NudgeTransitions.OnlyFrom(NudgeTransition.Reschedule);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Nudges
            .Where(n => n.Id == nudgeId && n.State == from)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(n => n.Attempts, attempts)
                    .SetProperty(n => n.HangfireJobId, jobId)
                    .SetProperty(n => n.UpdatedAt, now),
                cancellationToken);
    }

    /// <summary>Settle: records what the placement came to, only while the nudge is still planned; false when it was not.</summary>
    /// <param name="nudgeId">The nudge.</param>
    /// <param name="outcome">What the placement came to.</param>
    /// <param name="attempts">The attempts to record, or null to keep the count.</param>
    /// <param name="alongside">
    /// Another module's change that belongs to this settle: it commits in the same transaction, and only when the
    /// settle wins, so no reader ever sees one without the other (a placed prep block and its erased answer).
    /// </param>
    /// <param name="cancellationToken">Stops the update.</param>
    public async Task<bool> SettleAsync(
        Guid nudgeId, PlacementOutcome outcome, int? attempts, Func<BossTalkDbContext, CancellationToken, Task>? alongside, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        NudgeTransitions.Target(NudgeTransition.Settle, outcome.State);
        var from = NudgeTransitions.OnlyFrom(NudgeTransition.Settle);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var target = db.Nudges.Where(n => n.Id == nudgeId && n.State == from);
        if (alongside is null)
        {
            return await WriteOutcomeAsync(target, outcome, attempts, cancellationToken) == 1;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await WriteOutcomeAsync(target, outcome, attempts, cancellationToken) != 1)
        {
            return false;
        }

        await alongside(db, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Adopt: reconciliation found the event of a nudge recorded as failed (its create was answered after all, or the
    /// answer was lost): the nudge is placed after all.
    /// </summary>
    public async Task<bool> AdoptAsync(Guid nudgeId, string eventId, Interval slot, string? timeZoneId, CancellationToken cancellationToken)
    {
        var from = NudgeTransitions.OnlyFrom(NudgeTransition.Adopt);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var outcome = PlacementOutcome.Placed(eventId, slot, timeZoneId);
        return await WriteOutcomeAsync(db.Nudges.Where(n => n.Id == nudgeId && n.State == from), outcome, null, cancellationToken) == 1;
    }

    /// <summary>
    /// Remove: the event of a placed nudge is gone (the user deleted it, or a prep block's next one-on-one was
    /// cancelled and the block withdrawn); nothing more is done for it.
    /// </summary>
    public async Task<bool> MarkRemovedAsync(Guid nudgeId, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var from = NudgeTransitions.OnlyFrom(NudgeTransition.Remove);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Nudges
            .Where(n => n.Id == nudgeId && n.State == from)
            .ExecuteUpdateAsync(
                set => set.SetProperty(n => n.State, NudgeState.Removed).SetProperty(n => n.Reason, reason).SetProperty(n => n.UpdatedAt, now),
                cancellationToken) == 1;
    }

    /// <summary>
    /// Revive: a nudge that put nothing on the calendar is planned again (or skipped, for a follow-up asked for with
    /// tone skip), only while it is still in <paramref name="from"/> (and, when given, with reason <paramref name="reason"/>).
    /// </summary>
    /// <param name="nudgeId">The nudge.</param>
    /// <param name="from">The state it was read in; one of <see cref="Revivable"/>.</param>
    /// <param name="reason">Revive only a nudge with this reason (null: any).</param>
    /// <param name="request">The user's new request, or null to revive as it was (an opt-in resuming its reflections).</param>
    /// <param name="cancellationToken">Stops the update.</param>
    public async Task<bool> ReviveAsync(Guid nudgeId, NudgeState from, string? reason, RevivalRequest? request, CancellationToken cancellationToken)
    {
        NudgeTransitions.Guard(NudgeTransition.Revive, from);
        var now = time.GetUtcNow();
        var state = request?.Tone == FollowUpTone.Skip ? NudgeState.Skipped : NudgeState.Planned;
        var newReason = state == NudgeState.Skipped ? NudgeReasons.Skipped : null;
        var transactionId = Guid.NewGuid().ToString("D");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Nudges
            .Where(n => n.Id == nudgeId && n.State == from && (reason == null || n.Reason == reason))
            .ExecuteUpdateAsync(
                set =>
                {
                    // A fresh transactionId: the old one may have made an event that was deleted since (an opt-out
                    // withdraws it), and Graph refuses a transactionId reused for a different event. An event of the
                    // earlier life that is still there is found by the placement's look-up first, so nothing doubles.
                    set.SetProperty(n => n.State, state)
                        .SetProperty(n => n.Reason, newReason)
                        .SetProperty(n => n.TransactionId, transactionId)
                        .SetProperty(n => n.Attempts, 0)
                        .SetProperty(n => n.UpdatedAt, now);
                    if (request is not null)
                    {
                        set.SetProperty(n => n.MeetingEventId, request.MeetingEventId)
                            .SetProperty(n => n.MeetingEnd, request.MeetingEnd)
                            .SetProperty(n => n.RequestedAt, now);
                    }

                    if (request is { IsFollowUp: true })
                    {
                        set.SetProperty(n => n.Tone, request.Tone).SetProperty(n => n.Invite, request.Invite ?? false);
                    }
                },
                cancellationToken) == 1;
    }

    /// <summary>Cancel: every planned nudge of these users becomes cancelled with <paramref name="reason"/>; returns their job ids.</summary>
    public async Task<(int Cancelled, IReadOnlyList<string> JobIds)> CancelPlannedAsync(
        string tenantId, IReadOnlyCollection<string> userIds, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        if (userIds.Count == 0)
        {
            return (0, []);
        }

        var from = NudgeTransitions.OnlyFrom(NudgeTransition.Cancel);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var planned = await db.Nudges.AsNoTracking()
            .Where(n => n.TenantId == tenantId && userIds.Contains(n.UserId) && n.State == from)
            .Select(n => new { n.Id, n.HangfireJobId })
            .ToListAsync(cancellationToken);
        if (planned.Count == 0)
        {
            return (0, []);
        }

        var ids = planned.Select(n => n.Id).ToList();
        var now = time.GetUtcNow();
        // Only while still planned: a placement that finished a moment ago keeps its result.
        var cancelled = await db.Nudges
            .Where(n => ids.Contains(n.Id) && n.State == from)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(n => n.State, NudgeState.Cancelled)
                    .SetProperty(n => n.Reason, reason)
                    .SetProperty(n => n.UpdatedAt, now),
                cancellationToken);
        return (cancelled, [.. planned.Select(n => n.HangfireJobId).OfType<string>().Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// Erase: deletes every nudge of the user, in the caller's transaction on <paramref name="db"/> (the retention
    /// job's deletion of a former member's data); not a transition, the records end.
    /// </summary>
    public static Task<int> EraseAllOfUserAsync(BossTalkDbContext db, string tenantId, string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Nudges.Where(n => n.TenantId == tenantId && n.UserId == userId).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>
    /// The user's latest <paramref name="count"/> nudges, newest first, read untracked on <paramref name="db"/> (the
    /// caller's <c>/me</c> page and send-time check). Raw SQL because EF cannot order by DateTimeOffset on SQLite; there
    /// the stored ISO text orders correctly, as every instant is written in UTC. It lives here because raw SQL over
    /// the nudges' table is the store's alone (docs/architecture.md, "Who writes which rows").
    /// </summary>
    public static async Task<List<Nudge>> LatestOfUserAsync(BossTalkDbContext db, string tenantId, string userId, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return (await db.Nudges
                .FromSql($"""SELECT * FROM "Nudges" WHERE "TenantId" = {tenantId} AND "UserId" = {userId} ORDER BY "CreatedAt" DESC LIMIT {count}""")
                .AsNoTracking()
                .ToListAsync(cancellationToken))
            .OrderByDescending(n => n.CreatedAt)
            .ToList();
    }

    /// <summary>True when a planned nudge still names this placement job.</summary>
    public async Task<bool> IsAwaitedAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Nudges.AsNoTracking().AnyAsync(n => n.HangfireJobId == jobId && n.State == NudgeState.Planned, cancellationToken);
    }

    /// <summary>The state of the nudge with this key, or null when there is none.</summary>
    public async Task<NudgeState?> StateAsync(string uniqueKey, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Nudges.AsNoTracking().Where(n => n.UniqueKey == uniqueKey).Select(n => (NudgeState?)n.State).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// True when a change to one of these events of the user's can matter soon: a one-on-one whose nudge is still
    /// planned, or its series (Graph notifies a change to an occurrence under its series master), or the next
    /// one-on-one a prep block is placed before (or about to be), usually the next occurrence of the same series, until
    /// it starts. A change to any other event can wait for the user's next folded read (Notifications/UserRescans.cs).
    /// </summary>
    public async Task<bool> IsFollowedAsync(string tenantId, string userId, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        if (eventIds.Count == 0)
        {
            return false;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var candidates = await db.Nudges.AsNoTracking()
            .Where(n => n.TenantId == tenantId && n.UserId == userId
                && (n.State == NudgeState.Planned || (n.Kind == NudgeKind.Prep && n.State == NudgeState.Placed))
                && (eventIds.Contains(n.MeetingEventId)
                    || (n.MeetingSeriesMasterId != null && eventIds.Contains(n.MeetingSeriesMasterId))
                    || (n.NextMeetingEventId != null && eventIds.Contains(n.NextMeetingEventId))))
            .Select(n => new { n.Kind, n.State, n.MeetingEventId, n.MeetingSeriesMasterId, n.NextMeetingEventId, n.NextMeetingStart })
            .ToListAsync(cancellationToken);
        // The prep's time bound is checked here: SQLite cannot compare DateTimeOffset in SQL.
        var now = time.GetUtcNow();
        bool Named(string? id) => id is not null && eventIds.Contains(id);
        return candidates.Any(n =>
            (n.State == NudgeState.Planned && (Named(n.MeetingEventId) || Named(n.MeetingSeriesMasterId)))
            || (n.Kind == NudgeKind.Prep && (Named(n.NextMeetingEventId) || Named(n.MeetingSeriesMasterId))
                && (n.State == NudgeState.Planned || n.NextMeetingStart > now)));
    }

    /// <summary>
    /// True when the nudge ended cancelled or dismissed while its event was being created (the user opted out, or said
    /// the meeting went fine): the event must not stay.
    /// </summary>
    public async Task<bool> IsWithdrawnAsync(Guid nudgeId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Nudges.AsNoTracking()
            .AnyAsync(n => n.Id == nudgeId && (n.State == NudgeState.Cancelled || n.State == NudgeState.Dismissed), cancellationToken);
    }

    private async Task<int> WriteOutcomeAsync(IQueryable<Nudge> target, PlacementOutcome outcome, int? attempts, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? slotStart = outcome.Slot?.Start;
        DateTimeOffset? slotEnd = outcome.Slot?.End;
        return await target.ExecuteUpdateAsync(
            set =>
            {
                set.SetProperty(n => n.State, outcome.State)
                    .SetProperty(n => n.Reason, outcome.Reason)
                    .SetProperty(n => n.CreatedEventId, outcome.EventId)
                    .SetProperty(n => n.TimeZoneId, outcome.TimeZoneId)
                    .SetProperty(n => n.UpdatedAt, now);
                // An outcome without a slot keeps the one recorded before a create was sent: reconciliation may
                // still need it to find an invitation (only a placed nudge's slot is ever shown).
                if (slotStart is not null)
                {
                    set.SetProperty(n => n.SlotStart, slotStart).SetProperty(n => n.SlotEnd, slotEnd);
                }
                if (attempts is { } count)
                {
                    set.SetProperty(n => n.Attempts, count);
                }
            },
            cancellationToken);
    }
}

/// <summary>A user's new request laid over a nudge being revived.</summary>
/// <param name="IsFollowUp">True for a follow-up (tone and invitation are taken from the request).</param>
/// <param name="Tone">Follow-up only.</param>
/// <param name="Invite">Follow-up only.</param>
/// <param name="MeetingEventId">The meeting's event id now.</param>
/// <param name="MeetingEnd">The meeting's end now.</param>
public sealed record RevivalRequest(bool IsFollowUp, FollowUpTone? Tone, bool? Invite, string MeetingEventId, DateTimeOffset MeetingEnd);

/// <summary>A transition that takes a nudge off a placement job: whether it happened, and that job, now for the caller to delete.</summary>
/// <param name="Done">False when the nudge was no longer in a state the transition starts from.</param>
/// <param name="JobId">The job the nudge waited on until the transition, if any.</param>
public readonly record struct Released(bool Done, string? JobId);

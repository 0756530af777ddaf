using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Graph;
using BossTalkCalendar.Core.Meetings;
using BossTalkCalendar.Core.Nudges;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Jobs;

/// <summary>
/// <c>scan-user</c>: reads the recent window of one user's calendar, records a reflection nudge for each
/// one-on-one that ended, and queues its placement. Running it twice changes nothing: nudges are unique by key.
/// </summary>
[AutomaticRetry(Attempts = 2)] // Graph failures are handled below; this covers the unexpected (a locked database file)
public sealed class ScanUserJob(
    IDbContextFactory<BossTalkDbContext> contexts,
    ICalendarGateway graph,
    IBackgroundJobClient jobs,
    IOptions<JobsOptions> options,
    TimeProvider time,
    ILogger<ScanUserJob> logger)
{
    /// <param name="tenantId">Tenant of the enrolled user.</param>
    /// <param name="userId">Directory object id of the enrolled user.</param>
    /// <param name="attempt">Transient failures so far (0 for a scan queued by the sweep).</param>
    /// <param name="cancellationToken">Replaced by Hangfire with the server's shutdown token.</param>
    public async Task RunAsync(string tenantId, string userId, int attempt, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.EnrolledUsers.AsNoTracking()
            .SingleOrDefaultAsync(u => u.TenantId == tenantId && u.UserId == userId, cancellationToken);
        if (user is null || !user.IsActive)
        {
            return;
        }

        string? failure;
        try
        {
            failure = await ScanAsync(db, user, cancellationToken);
        }
        catch (GatewayException ex) when (ex.IsTransient && attempt + 1 < options.Value.MaxAttempts)
        {
            var delay = Backoff.Delay(attempt + 1, ex.RetryAfter);
            jobs.Schedule<ScanUserJob>(job => job.RunAsync(tenantId, userId, attempt + 1, CancellationToken.None), delay);
            logger.LogWarning("Scan of user {UserId} hit {Failure}; trying again in {Delay}", userId, ex.Failure, delay);
            return;
        }
        catch (GatewayException ex)
        {
            failure = ex.IsTransient ? NudgeReasons.RetriesExhausted : NudgeReasons.Graph(ex.Failure);
            logger.LogWarning("Scan of user {UserId} failed: {Reason}", userId, failure);
        }

        var now = time.GetUtcNow();
        await db.EnrolledUsers
            .Where(u => u.TenantId == tenantId && u.UserId == userId)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(u => u.LastScanAt, now)
                    .SetProperty(u => u.LastScanFailure, failure)
                    .SetProperty(u => u.UpdatedAt, now),
                cancellationToken);
    }

    /// <returns>Null after a good scan, else the reason code to record on the user.</returns>
    private async Task<string?> ScanAsync(BossTalkDbContext db, EnrolledUser user, CancellationToken cancellationToken)
    {
        var counterpart = user.Counterpart ?? Counterpart.Manager;
        var owner = await graph.GetUserAsync(user.UserId, cancellationToken);
        var manager = await graph.GetManagerAsync(user.UserId, cancellationToken);
        if (counterpart == Counterpart.Manager && manager is null)
        {
            return NudgeReasons.NoManager;
        }

        var now = time.GetUtcNow();
        var window = new Interval(now - TimeSpan.FromHours(options.Value.LookbackHours), now);
        var meetings = await graph.GetCalendarViewAsync(user.UserId, window, cancellationToken);

        var created = 0;
        foreach (var meeting in meetings)
        {
            var check = OneOnOneDetector.Check(meeting, owner.Email, manager?.Email, counterpart, now);
            if (check.IsOneOnOne && await TryAddNudgeAsync(db, user, meeting, now, cancellationToken) is { } nudgeId)
            {
                await QueuePlacementAsync(db, nudgeId, cancellationToken);
                created++;
            }
        }

        if (created > 0)
        {
            logger.ScanPlanned(user.UserId, created);
        }

        return null;
    }

    private static async Task<Guid?> TryAddNudgeAsync(BossTalkDbContext db, EnrolledUser user, Meeting meeting, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = NudgeKeys.UniqueKey(user.TenantId, user.UserId, meeting.ICalUId, meeting.Start, NudgeKind.Reflection);
        if (await db.Nudges.AnyAsync(n => n.UniqueKey == key, cancellationToken))
        {
            return null;
        }

        var nudge = new Nudge
        {
            Id = Guid.NewGuid(),
            TenantId = user.TenantId,
            UserId = user.UserId,
            Kind = NudgeKind.Reflection,
            UniqueKey = key,
            MeetingEventId = meeting.EventId,
            MeetingICalUId = meeting.ICalUId,
            OccurrenceStart = meeting.Start,
            MeetingEnd = meeting.End,
            State = NudgeState.Planned,
            TransactionId = NudgeKeys.TransactionId(key),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Nudges.Add(nudge);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return nudge.Id;
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // A concurrent scan (on this instance or another) inserted the same key first: the nudge exists, and
            // its placement is that scan's job.
            db.Entry(nudge).State = EntityState.Detached;
            return null;
        }
    }

    private async Task QueuePlacementAsync(BossTalkDbContext db, Guid nudgeId, CancellationToken cancellationToken)
    {
        var jobId = jobs.Enqueue<PlaceReflectionJob>(job => job.RunAsync(nudgeId, CancellationToken.None));
        await db.Nudges
            .Where(n => n.Id == nudgeId && n.State == NudgeState.Planned)
            .ExecuteUpdateAsync(set => set.SetProperty(n => n.HangfireJobId, jobId), cancellationToken);
    }
}

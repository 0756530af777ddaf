using BossTalkCalendar.Api.Enrolment;
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
/// <c>scan-users</c>: reads the recent window of a batch of users' calendars (a few users at a time, see
/// <see cref="JobsOptions.BatchParallelism"/>), records a reflection nudge for each one-on-one that ended (for users
/// who want one after every one-on-one, <see cref="NudgeMode"/>), and queues
/// one placement job for the batch's new nudges. Running it twice changes nothing: nudges are unique by key.
/// </summary>
/// <remarks>
/// One job per batch rather than per user: at tenant scale the job queue, not Graph, was the limit (a queued job
/// costs several storage writes). The database work is a few statements per batch; only Graph is per user.
/// </remarks>
[AutomaticRetry(Attempts = 2)] // Graph failures are handled below; this covers the unexpected (a locked database file)
public sealed class ScanUsersJob(
    IDbContextFactory<BossTalkDbContext> contexts,
    EnrolledUsers enrolled,
    ICalendarGateway graph,
    MeetingJudge judge,
    NudgeStore store,
    NudgePolicies policies,
    INudgeScheduler scheduler,
    IBackgroundJobClient jobs,
    IOptions<JobsOptions> options,
    TimeProvider time,
    ILogger<ScanUsersJob> logger)
{
    /// <param name="tenantId">Tenant of the enrolled users.</param>
    /// <param name="userIds">Directory object ids of enrolled users (a batch of the sweep, or the ones to try again).</param>
    /// <param name="attempt">Transient failures so far (0 for a scan queued by the sweep).</param>
    /// <param name="cancellationToken">Replaced by Hangfire with the server's shutdown token.</param>
    public async Task RunAsync(string tenantId, string[] userIds, int attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        // From here on, a change notification asks for a new scan instead of joining this one (see UserRescans).
        await enrolled.ClearRescanMarksAsync(tenantId, userIds, cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        // A user who asked for reflections only when they flag a one-on-one is not scanned: the flag plans it.
        var everyOneOnOne = policies.OrganisationMode == NudgeMode.EveryOneOnOne;
        var users = await db.EnrolledUsers.AsNoTracking()
            .Where(u => u.TenantId == tenantId && userIds.Contains(u.UserId) && u.Enrolled && !u.OptedOut && !u.Paused
                && (u.Mode == NudgeMode.EveryOneOnOne || (u.Mode == null && everyOneOnOne)))
            .ToListAsync(cancellationToken);
        if (users.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        var window = new Interval(now - TimeSpan.FromHours(options.Value.LookbackHours), now + TimeSpan.FromHours(options.Value.LookaheadHours));
        var scans = new UserScan[users.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, users.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.BatchParallelism, CancellationToken = cancellationToken },
            async (i, ct) => scans[i] = await ScanAsync(users[i], window, ct));

        await PlanAsync(db, tenantId, scans, now, cancellationToken);

        // Users whose scan hit throttling or an outage come back together, after the longest wait Graph asked for.
        var retry = attempt + 1 < options.Value.MaxAttempts ? scans.Where(s => s.Transient is not null).ToList() : [];
        if (retry.Count > 0)
        {
            var delay = retry.Max(s => Backoff.Delay(attempt + 1, s.Transient!.RetryAfter, options.Value.RetryDelay));
            var again = retry.Select(s => s.User.UserId).ToArray();
            jobs.Schedule<ScanUsersJob>(job => job.RunAsync(tenantId, again, attempt + 1, CancellationToken.None), delay);
            logger.ScanRetry(again.Length, retry[0].Transient!.Failure, delay);
            JobMetrics.Scanned(again.Length, "retry");
        }

        await RecordScansAsync(tenantId, scans.Except(retry), now, cancellationToken);
    }

    /// <summary>What Graph said about one user: the one-on-ones found, or why the scan failed.</summary>
    private sealed record UserScan(EnrolledUser User, IReadOnlyList<(Meeting Meeting, MeetingVerdict Verdict)> Judged, string? Failure, GatewayException? Transient);

    private async Task<UserScan> ScanAsync(EnrolledUser user, Interval window, CancellationToken cancellationToken)
    {
        try
        {
            var counterpart = user.Counterpart ?? Counterpart.Manager;
            var people = await judge.PeopleAsync(user.UserId, cancellationToken);
            if (counterpart == Counterpart.Manager && people.Manager is null)
            {
                return new UserScan(user, [], NudgeReasons.NoManager, null);
            }

            var meetings = await graph.GetCalendarViewAsync(user.UserId, window, cancellationToken);
            return new UserScan(user, [.. meetings.Select(meeting => (meeting, judge.Judge(meeting, people, counterpart)))], null, null);
        }
        catch (GatewayException ex) when (ex.IsTransient)
        {
            return new UserScan(user, [], null, ex);
        }
        catch (GatewayException ex)
        {
            logger.ScanFailed(user.UserId, ex.Failure);
            return new UserScan(user, [], NudgeReasons.Graph(ex.Failure), null);
        }
    }

    /// <summary>
    /// Turns what the scan saw into nudges. A one-on-one that has ended is placed now; one still ahead is planned and
    /// placed the moment it ends (a delayed job) rather than at the next sweep. The block itself starts after the
    /// user's cool-down (the finder's rule); placing it at the meeting's end reserves that time before anything else
    /// can take it, and the user sees at once that time is set aside. A reflection planned ahead follows its meeting by event id until its placement begins: moved →
    /// new times and a new job; no longer a one-on-one (cancelled, declined, …) → withdrawn.
    /// </summary>
    private async Task PlanAsync(BossTalkDbContext db, string tenantId, UserScan[] scans, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var seen = scans.SelectMany(scan => scan.Judged.Select(j => (scan.User, j.Meeting, j.Verdict))).ToList();
        var eventIds = seen.Select(s => s.Meeting.EventId).Distinct(StringComparer.Ordinal).ToList();
        var scannedUsers = scans.Select(s => s.User.UserId).ToList();
        var known = (await db.Nudges.AsNoTracking()
                .Where(n => n.TenantId == tenantId && scannedUsers.Contains(n.UserId) && n.Kind == NudgeKind.Reflection && eventIds.Contains(n.MeetingEventId))
                .ToListAsync(cancellationToken))
            .ToLookup(n => (n.UserId, n.MeetingEventId));

        var candidates = new List<(Nudge Nudge, DateTimeOffset Due)>();
        var followed = 0;
        foreach (var (user, meeting, verdict) in seen)
        {
            var due = meeting.End;
            var existing = known[(user.UserId, meeting.EventId)].ToList();
            if (existing.Count == 0)
            {
                if (verdict.IsOneOnOne)
                {
                    candidates.Add((store.New(user.TenantId, user.UserId, meeting, NudgeKind.Reflection), due));
                }

                continue;
            }

            foreach (var nudge in existing.Where(n => n is { State: NudgeState.Planned, RequestedAt: null, CreateSentAt: null }))
            {
                if (!verdict.IsOneOnOne)
                {
                    if (await store.WithdrawPlannedAsync(nudge.Id, NudgeReasons.NotOneOnOne(verdict.Reason), cancellationToken) is { Done: true, JobId: { } stale })
                    {
                        await scheduler.DeleteUnusedAsync([stale], cancellationToken);
                    }
                }
                else if (Moved(nudge, meeting))
                {
                    var jobId = scheduler.Schedule(nudge.Id, due > now ? due - now : TimeSpan.Zero);
                    var follow = await store.FollowAsync(nudge.Id, meeting.Start, meeting.End, jobId, cancellationToken);
                    if (follow.Done)
                    {
                        followed++;
                    }

                    // The job given up: the one replaced, or the new one when the nudge no longer follows.
                    if ((follow.Done ? follow.JobId : jobId) is { } unused)
                    {
                        await scheduler.DeleteUnusedAsync([unused], cancellationToken);
                    }
                }
            }
        }

        var planned = await store.PlanAsync([.. candidates.Select(c => c.Nudge)], cancellationToken);
        var dueAt = candidates.ToDictionary(c => c.Nudge.Id, c => c.Due);
        var dueNow = planned.Where(n => dueAt[n.Id] <= now).Select(n => n.Id).ToList();
        if (dueNow.Count > 0)
        {
            await scheduler.QueueAsync(dueNow, cancellationToken);
        }

        foreach (var ahead in planned.Where(n => dueAt[n.Id] > now))
        {
            var jobId = scheduler.Schedule(ahead.Id, dueAt[ahead.Id] - now);
            await store.AttachJobAsync([ahead.Id], jobId, cancellationToken);
        }

        if (planned.Count + followed > 0)
        {
            logger.ScanPlanned(scans.Length, planned.Count);
        }
    }

    /// <summary>
    /// Whether the meeting moved since the nudge was planned. Compared to the microsecond: PostgreSQL keeps instants to
    /// the microsecond while Graph's times carry seven decimals, so a start with ticks below that read back from the
    /// database would otherwise always look moved (and every scan would give the nudge a new job).
    /// </summary>
    private static bool Moved(Nudge nudge, Meeting meeting) =>
        ToMicroseconds(meeting.Start) != ToMicroseconds(nudge.OccurrenceStart) || ToMicroseconds(meeting.End) != ToMicroseconds(nudge.MeetingEnd);

    private static long ToMicroseconds(DateTimeOffset instant) => instant.UtcTicks / (TimeSpan.TicksPerMillisecond / 1000);

    /// <summary>
    /// Stamps the scan time on each user, with the failure reason where there was one (users whose scan is tried
    /// again keep their previous stamp until it runs): one statement per distinct outcome, usually one per batch.
    /// </summary>
    private async Task RecordScansAsync(string tenantId, IEnumerable<UserScan> scans, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var group in scans.GroupBy(s => s.Transient is null ? s.Failure : NudgeReasons.RetriesExhausted))
        {
            var failure = group.Key;
            var ids = group.Select(s => s.User.UserId).ToList();
            JobMetrics.Scanned(ids.Count, failure ?? "ok");
            await enrolled.RecordScanAsync(tenantId, ids, now, failure, cancellationToken);
        }
    }
}

using BossTalkCalendar.Api.Enrolment;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Persistence;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Notifications;

/// <summary>
/// Rescans asked for by notifications, folded and batched. A notification only marks its user with a due time: at
/// once when the changed event can matter soon (a planned one-on-one, the one-on-one a prep block aims at: see
/// <see cref="NudgeStore.IsFollowedAsync"/>), else one fold window later, so that a busy calendar's many other changes
/// (invitations, responses, updates) cost one read per window instead of one each. A dispatcher on each instance, every
/// <see cref="NotificationOptions.Debounce"/>, claims the users due before its previous round and queues one
/// <see cref="ScanUsersJob"/> per <see cref="JobsOptions.BatchSize"/> of them, so a burst across the tenant is a handful
/// of jobs rather than one per user (which Hangfire's SQLite storage did not survive at 10,000 users). The marks live in
/// the app database, so two instances never claim the same user.
/// </summary>
/// <remarks>
/// <c>EnrolledUser.RescanDueUnixMs</c>: null = nothing asked; positive = due at that time, waiting for a dispatch;
/// negative = claimed at minus that time by a dispatch whose scan has not started (the scan clears it). A claim older
/// than <see cref="StaleClaim"/> belonged to a process that died between claiming and queueing: it is claimed again.
/// <para>
/// <c>EnrolledUser.RescanEventId</c> remembers the one event that asked. Graph can notify about a block we create
/// before it answers the create, so the endpoint cannot yet tell it is ours; by the dispatch it can, and a rescan asked
/// for only by our own block is dropped (the notify benchmark saw six in ten placements cost such a rescan).
/// </para>
/// </remarks>
public sealed class UserRescans(
    IDbContextFactory<BossTalkDbContext> contexts,
    EnrolledUsers enrolled,
    IBackgroundJobClient jobs,
    IOptions<JobsOptions> jobOptions,
    IOptions<NotificationOptions> notificationOptions,
    NudgePolicies policies,
    TimeProvider time)
{
    /// <summary>Far longer than a queued scan waits for a worker, so a live claim is never taken twice.</summary>
    private static readonly TimeSpan StaleClaim = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Per user, a folded read waits at most their cool-down less this: time for the dispatch, the scan and the
    /// placement job before the reflection of a one-on-one first heard of just before it ended is due.
    /// </summary>
    public static readonly TimeSpan FoldMargin = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Marks the user for a rescan, for <paramref name="eventId"/> (null: for no one event): due at once when the change
    /// can matter <paramref name="soon"/>, else folded, due one <see cref="FoldFor">fold window</see> later. A mark that
    /// is already there stays, so every change within the window joins one read; a change that matters soon brings it
    /// forward. A second event makes it a rescan for no one event.
    /// </summary>
    public async Task RequestAsync(string tenantId, string userId, string? eventId, bool soon, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.EnrolledUsers.AsNoTracking()
            .FirstOrDefaultAsync(u => u.TenantId == tenantId && u.UserId == userId && u.Enrolled && !u.OptedOut && !u.Paused, cancellationToken);
        if (user is not null)
        {
            var due = time.GetUtcNow() + (soon ? TimeSpan.Zero : FoldFor(user));
            await enrolled.MarkForRescanAsync(tenantId, userId, eventId, due.ToUnixTimeMilliseconds(), cancellationToken);
        }
    }

    /// <summary>
    /// How long a change that cannot matter soon waits for this user: <see cref="NotificationOptions.FoldWindow"/>,
    /// at most their reflection cool-down less <see cref="FoldMargin"/>. A one-on-one first heard of at any time
    /// before it ends is then read before its reflection is due (its end plus the cool-down).
    /// </summary>
    public TimeSpan FoldFor(EnrolledUser user) => Fold(notificationOptions.Value.FoldWindow, policies.ReflectionFor(user).CoolDown);

    /// <summary>The fold window for a cool-down: the window, at most the cool-down less the margin, never negative.</summary>
    public static TimeSpan Fold(TimeSpan window, TimeSpan coolDown)
    {
        var cap = coolDown - FoldMargin;
        return cap <= TimeSpan.Zero ? TimeSpan.Zero : window < cap ? window : cap;
    }

    /// <summary>
    /// Claims the users due at or before <paramref name="dueBy"/> and queues their scans in batches; returns how
    /// many it queued.
    /// </summary>
    public async Task<int> DispatchAsync(DateTimeOffset dueBy, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var dueByUnixMs = dueBy.ToUnixTimeMilliseconds();
        var stale = -(now - StaleClaim).ToUnixTimeMilliseconds();
        // This dispatch's claim: negative, and almost surely distinct from any other dispatch's, so that each reads back
        // only its own (two sharing one would both queue those users: a scan twice, nothing worse). At most a second
        // off the claim's time, which the stale rule does not notice.
        var claim = -now.ToUnixTimeMilliseconds() - Random.Shared.Next(1, 1_000);
        var claimed = await enrolled.ClaimRescansAsync(dueByUnixMs, stale, claim, cancellationToken);
        if (claimed.Count == 0)
        {
            return 0;
        }

        // Asked for only by a block of ours, whose create had not been answered when its notification came.
        var eventIds = claimed.Where(u => u.RescanEventId is not null).Select(u => u.RescanEventId).Distinct().ToList();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ours = eventIds.Count == 0 ? [] : (await db.Nudges.AsNoTracking()
            .Where(n => n.CreatedEventId != null && eventIds.Contains(n.CreatedEventId))
            .Select(n => new { n.TenantId, n.UserId, n.CreatedEventId })
            .ToListAsync(cancellationToken))
            .Select(n => (n.TenantId, n.UserId, n.CreatedEventId))
            .ToHashSet();
        var users = new List<(string TenantId, string UserId)>(claimed.Count);
        foreach (var user in claimed)
        {
            // Dropped only if no other change joined since the claim (that would have cleared RescanEventId).
            var dropped = ours.Contains((user.TenantId, user.UserId, user.RescanEventId)) && await enrolled.DropClaimedRescanAsync(user, claim, cancellationToken);
            if (!dropped)
            {
                users.Add((user.TenantId, user.UserId));
            }
        }

        try
        {
            foreach (var tenant in users.GroupBy(u => u.TenantId))
            {
                foreach (var batch in tenant.Select(u => u.UserId).Chunk(jobOptions.Value.BatchSize))
                {
                    jobs.Enqueue<ScanUsersJob>(job => job.RunAsync(tenant.Key, batch, 0, CancellationToken.None));
                }
            }
        }
        catch
        {
            // Not queued (the job store is overloaded): marked again for the next dispatch. A batch queued before the
            // failure scans its users twice at worst.
            await enrolled.ReturnClaimAsync(claim, dueByUnixMs);
            throw;
        }

        return users.Count;
    }
}

/// <summary>
/// Runs <see cref="UserRescans.DispatchAsync"/> every debounce interval while notifications are on, for the users
/// due before the previous round: a rescan due at once waits between one and two intervals, and changes within it join.
/// </summary>
internal sealed class RescanDispatcher(
    UserRescans rescans,
    IOptions<NotificationOptions> options,
    IOptions<JobsOptions> jobs,
    TimeProvider time,
    ILogger<RescanDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.EndpointUri is null || !jobs.Value.RunServer)
        {
            return;
        }

        // Wall-clock pacing on purpose, like Hangfire's own polling: this is how often work is handed on, not a
        // decision about calendar time.
        var every = options.Value.Debounce > TimeSpan.FromMilliseconds(200) ? options.Value.Debounce : TimeSpan.FromMilliseconds(200);
        var previousRound = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, stoppingToken);
                var round = time.GetUtcNow();
                await rescans.DispatchAsync(previousRound, stoppingToken);
                previousRound = round;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.RescanDispatchFailed(ex.GetType().Name);
            }
        }
    }
}

using System.Security.Cryptography;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Graph;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Notifications;

/// <summary>
/// <c>subscriptions</c> (recurring, <see cref="NotificationOptions.MaintenanceCron"/>): keeps exactly one Graph
/// subscription per watched user — made when a user starts being watched (enrolment, approval, opt-in), renewed well
/// before it expires, made again when Graph lost it, deleted when the user opts out, pauses, leaves the team or the
/// team is revoked. Each subscription is worked on under a short claim in its row, so two jobs on two instances never
/// make two subscriptions for one user.
/// </summary>
[AutomaticRetry(Attempts = 0)] // the next run is minutes away
public sealed class CalendarSubscriptions(
    IDbContextFactory<BossTalkDbContext> contexts,
    ICalendarGateway graph,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<CalendarSubscriptions> logger)
{
    public const string RecurringJobId = "subscriptions";

    /// <summary>How long one job may work on one subscription before another may try.</summary>
    private static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(2);

    /// <summary>Brings every subscription in line; <paramref name="renewUserIds"/> are renewed now whatever their expiry (reauthorizationRequired).</summary>
    public async Task RunAsync(string[]? renewUserIds, CancellationToken cancellationToken)
    {
        if (options.Value.EndpointUri is not { } endpoint)
        {
            return;
        }

        var now = time.GetUtcNow();
        var renewBefore = (now + options.Value.RenewBefore).ToUnixTimeMilliseconds();
        var force = (renewUserIds ?? []).ToHashSet(StringComparer.Ordinal);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var watched = await SweepJob.Active(db).Select(u => new { u.TenantId, u.UserId }).ToListAsync(cancellationToken);
        var rows = await db.CalendarSubscriptions.AsNoTracking().ToListAsync(cancellationToken);
        var byUser = rows.ToDictionary(r => (r.TenantId, r.UserId));
        var watchedKeys = watched.Select(u => (u.TenantId, u.UserId)).ToHashSet();

        var made = 0;
        var renewed = 0;
        var dropped = 0;
        foreach (var user in watched)
        {
            var row = byUser.GetValueOrDefault((user.TenantId, user.UserId));
            if (row is { SubscriptionId: not null } && row.ExpiresAtUnixMs > renewBefore && !force.Contains(user.UserId))
            {
                continue;
            }

            switch (await EnsureAsync(db, user.TenantId, user.UserId, row, endpoint, force.Contains(user.UserId), now, cancellationToken))
            {
                case Change.Made: made++; break;
                case Change.Renewed: renewed++; break;
            }
        }

        foreach (var row in rows.Where(r => !watchedKeys.Contains((r.TenantId, r.UserId))))
        {
            if (await DropAsync(db, row, now, cancellationToken))
            {
                dropped++;
            }
        }

        if (made + renewed + dropped > 0)
        {
            logger.SubscriptionsMaintained(made, renewed, dropped);
        }
    }

    /// <summary>Graph removed a subscription (lifecycle subscriptionRemoved): forget it, so the next run makes a new one.</summary>
    public async Task ForgetAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.CalendarSubscriptions
            .Where(c => c.SubscriptionId == subscriptionId)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.SubscriptionId, (string?)null).SetProperty(c => c.ExpiresAtUnixMs, 0L), cancellationToken);
    }

    private enum Change
    {
        None,
        Made,
        Renewed,
    }

    private async Task<Change> EnsureAsync(BossTalkDbContext db, string tenantId, string userId, CalendarSubscription? row, Uri endpoint, bool force, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (row is null)
        {
            db.CalendarSubscriptions.Add(new CalendarSubscription { TenantId = tenantId, UserId = userId, ClientState = NewClientState(), UpdatedAt = now });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation())
            {
                // Another run added it a moment ago; the claim below decides who works on it.
            }

            db.ChangeTracker.Clear();
        }

        if (!await ClaimAsync(db, tenantId, userId, now, cancellationToken))
        {
            return Change.None;
        }

        var current = await db.CalendarSubscriptions.AsNoTracking().SingleAsync(c => c.TenantId == tenantId && c.UserId == userId, cancellationToken);
        if (current is { SubscriptionId: not null } && current.ExpiresAtUnixMs > (now + options.Value.RenewBefore).ToUnixTimeMilliseconds() && !force)
        {
            // Another run made or renewed it a moment ago.
            await RecordAsync(db, tenantId, userId, current.SubscriptionId, current.ClientState, DateTimeOffset.FromUnixTimeMilliseconds(current.ExpiresAtUnixMs), current.LastFailure, now, cancellationToken);
            return Change.None;
        }

        var expiresAt = now + options.Value.SubscriptionLifetime;
        try
        {
            if (current.SubscriptionId is { } id && await graph.RenewSubscriptionAsync(id, expiresAt, cancellationToken) is { } renewed)
            {
                await RecordAsync(db, tenantId, userId, id, current.ClientState, renewed.ExpiresAt, null, now, cancellationToken);
                return Change.Renewed;
            }

            // None yet, or Graph no longer has it: a new one with a new secret. The old secret stops working with it.
            var clientState = NewClientState();
            var made = await graph.SubscribeToEventsAsync(userId, endpoint, clientState, expiresAt, cancellationToken);
            await RecordAsync(db, tenantId, userId, made.Id, clientState, made.ExpiresAt, null, now, cancellationToken);
            return Change.Made;
        }
        catch (GatewayException ex)
        {
            // Recorded and left to the next run; the safety-net sweep keeps scanning this user meanwhile.
            logger.SubscriptionFailed(userId, ex.Failure);
            await RecordAsync(db, tenantId, userId, current.SubscriptionId, current.ClientState, DateTimeOffset.FromUnixTimeMilliseconds(current.ExpiresAtUnixMs), NudgeReasons.Graph(ex.Failure), now, cancellationToken);
            return Change.None;
        }
    }

    private async Task<bool> DropAsync(BossTalkDbContext db, CalendarSubscription row, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!await ClaimAsync(db, row.TenantId, row.UserId, now, cancellationToken))
        {
            return false;
        }

        try
        {
            if (row.SubscriptionId is { } id)
            {
                await graph.DeleteSubscriptionAsync(id, cancellationToken);
            }
        }
        catch (GatewayException ex)
        {
            // The row goes anyway: its notifications are ignored from now on, and Graph lets it expire.
            logger.SubscriptionFailed(row.UserId, ex.Failure);
        }

        await db.CalendarSubscriptions.Where(c => c.TenantId == row.TenantId && c.UserId == row.UserId).ExecuteDeleteAsync(cancellationToken);
        return true;
    }

    private static async Task<bool> ClaimAsync(BossTalkDbContext db, string tenantId, string userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var until = (now + ClaimFor).ToUnixTimeMilliseconds();
        return await db.CalendarSubscriptions
            .Where(c => c.TenantId == tenantId && c.UserId == userId && c.ClaimedUntilUnixMs < nowMs)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.ClaimedUntilUnixMs, until), cancellationToken) == 1;
    }

    private static Task<int> RecordAsync(
        BossTalkDbContext db, string tenantId, string userId, string? subscriptionId, string clientState, DateTimeOffset expiresAt, string? failure, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.CalendarSubscriptions
            .Where(c => c.TenantId == tenantId && c.UserId == userId)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(c => c.SubscriptionId, subscriptionId)
                    .SetProperty(c => c.ClientState, clientState)
                    .SetProperty(c => c.ExpiresAtUnixMs, expiresAt.ToUnixTimeMilliseconds())
                    .SetProperty(c => c.LastFailure, failure)
                    .SetProperty(c => c.ClaimedUntilUnixMs, 0L)
                    .SetProperty(c => c.UpdatedAt, now),
                cancellationToken);

    /// <summary>32 random bytes, base64url: well under Graph's 128-character limit for clientState.</summary>
    private static string NewClientState() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

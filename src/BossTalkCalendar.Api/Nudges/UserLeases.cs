using BossTalkCalendar.Api.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Api.Nudges;

/// <summary>
/// Serialises placements per user across workers, jobs and instances: whoever holds a user's lease is the only one
/// placing events on that calendar, so a user's second block is found with the first already on the calendar (busy).
/// The lease is a row in the app database, taken with an insert that the primary key lets only one racer win (or one
/// conditional update of a lapsed row), so it works the same on SQLite and on PostgreSQL shared by several instances.
/// </summary>
public sealed class UserLeases(IDbContextFactory<BossTalkDbContext> contexts, TimeProvider time)
{
    /// <summary>
    /// How long a lease lasts unless renewed. A live holder renews it every third of that in the background (and once
    /// more just before it creates an event), so a slow Graph call never lets a successor in; a holder that died frees
    /// the calendar after this long.
    /// </summary>
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    /// <summary>The user's lease, or null when someone else holds it.</summary>
    public async Task<Lease?> TryAcquireAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        var holder = Guid.NewGuid().ToString("N");
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var until = now + (long)Duration.TotalMilliseconds;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // A free calendar: the insert wins for exactly one racer (the key is the user); the others insert nothing,
        // without an error in the log (SQLite and PostgreSQL both know ON CONFLICT DO NOTHING).
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync(
            $"""INSERT INTO "UserLeases" ("TenantId", "UserId", "Holder", "ExpiresAtUnixMs") VALUES ({tenantId}, {userId}, {holder}, {until}) ON CONFLICT DO NOTHING""",
            cancellationToken);
        // A lapsed lease (its holder died): one conditional update takes it over, again for exactly one racer.
        var taken = inserted == 1 || await db.UserLeases
            .Where(l => l.TenantId == tenantId && l.UserId == userId && l.ExpiresAtUnixMs <= now)
            .ExecuteUpdateAsync(set => set.SetProperty(l => l.Holder, holder).SetProperty(l => l.ExpiresAtUnixMs, until), cancellationToken) == 1;
        return taken ? new Lease(this, tenantId, userId, holder, time) : null;
    }

    private async Task<bool> RenewAsync(Lease lease, CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow().ToUnixTimeMilliseconds() + (long)Duration.TotalMilliseconds;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.UserLeases
            .Where(l => l.TenantId == lease.TenantId && l.UserId == lease.UserId && l.Holder == lease.Holder)
            .ExecuteUpdateAsync(set => set.SetProperty(l => l.ExpiresAtUnixMs, until), cancellationToken) == 1;
    }

    private async Task ReleaseAsync(Lease lease)
    {
        // Released even when the job is being stopped: a lease left behind would only delay the user by Duration.
        await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
        await db.UserLeases
            .Where(l => l.TenantId == lease.TenantId && l.UserId == lease.UserId && l.Holder == lease.Holder)
            .ExecuteDeleteAsync(CancellationToken.None);
    }

    /// <summary>A held lease, renewed in the background until disposed; disposing it releases it.</summary>
    public sealed class Lease : IAsyncDisposable
    {
        private readonly UserLeases _owner;
        private readonly CancellationTokenSource _stop = new();
        private readonly PeriodicTimer _ticks;
        private readonly Task _heartbeat;
        private volatile bool _lost;

        internal Lease(UserLeases owner, string tenantId, string userId, string holder, TimeProvider time)
        {
            _owner = owner;
            TenantId = tenantId;
            UserId = userId;
            Holder = holder;
            _ticks = new PeriodicTimer(Duration / 3, time);
            _heartbeat = HeartbeatAsync();
        }

        public string TenantId { get; }

        public string UserId { get; }

        internal string Holder { get; }

        /// <summary>Extends the lease; false when it lapsed and someone else took it (stop placing, try again later).</summary>
        public async Task<bool> RenewAsync(CancellationToken cancellationToken) =>
            !_lost && await _owner.RenewAsync(this, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            // Disposing the timer ends the wait for the next tick without an exception (two per user in a sweep
            // showed up in a profile); only a renewal in flight is cancelled.
            _ticks.Dispose();
            await _stop.CancelAsync();
            try
            {
                await _heartbeat;
            }
            catch (OperationCanceledException)
            {
                // A renewal in flight, stopped as asked.
            }

            _stop.Dispose();
            await _owner.ReleaseAsync(this);
        }

        private async Task HeartbeatAsync()
        {
            while (await _ticks.WaitForNextTickAsync())
            {
                try
                {
                    if (await _owner.RenewAsync(this, _stop.Token))
                    {
                        continue;
                    }
                }
                catch (System.Data.Common.DbException)
                {
                    // Not renewed: from here on the lease may lapse, so this holder creates nothing more.
                }

                _lost = true;
                return;
            }
        }
    }
}

using System.Runtime.ExceptionServices;
using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Tests.Builders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace BossTalkCalendar.Api.Tests.Nudges;

/// <summary><see cref="UserLeases"/> on a real SQLite database and a fake clock.</summary>
public sealed class UserLeaseTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Set only in this test's own flow, which the lease's heartbeat inherits; other tests run in parallel.</summary>
    private static readonly AsyncLocal<bool> InThisTest = new();

    [Fact]
    public async Task AHeldLeaseKeepsOthersOutIsRenewedOnItsClockAndIsReleasedWithoutAnException()
    {
        var ct = CancellationToken.None;
        await using var database = await SqliteStore.CreateAsync();
        var clock = new FakeTimeProvider(Start);
        var leases = new UserLeases(database.Contexts, clock);
        // A sweep takes and releases two leases per user; releasing one used to throw and catch a cancellation.
        var cancellations = 0;
        void Count(object? sender, FirstChanceExceptionEventArgs e)
        {
            if (InThisTest.Value && e.Exception is OperationCanceledException)
            {
                Interlocked.Increment(ref cancellations);
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            InThisTest.Value = true;
            var lease = await leases.TryAcquireAsync("tenant", "user", ct);
            Assert.NotNull(lease);
            Assert.Null(await leases.TryAcquireAsync("tenant", "user", ct));
            var taken = await ExpiryAsync(database);

            clock.Advance(UserLeases.Duration / 3);
            var renewed = taken;
            for (var wait = 0; renewed == taken && wait < 3000; wait++)
            {
                await Task.Delay(10, ct);
                renewed = await ExpiryAsync(database);
            }

            Assert.Equal(taken + (long)(UserLeases.Duration / 3).TotalMilliseconds, renewed);
            Assert.True(await lease.RenewAsync(ct));

            await lease.DisposeAsync();
            await using var db = await database.Contexts.CreateDbContextAsync(ct);
            Assert.Empty(await db.UserLeases.ToListAsync(ct));
        }
        finally
        {
            InThisTest.Value = false;
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        Assert.Equal(0, cancellations);
    }

    private static async Task<long?> ExpiryAsync(SqliteStore database)
    {
        await using var db = await database.Contexts.CreateDbContextAsync();
        return (await db.UserLeases.AsNoTracking().SingleOrDefaultAsync())?.ExpiresAtUnixMs;
    }
}

using System.Security.Cryptography;
using System.Text;
using BossTalkCalendar.Api.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Api.Notifications;

/// <summary>
/// The <c>NotificationReceipts</c> table: a fingerprint of every change notification acted on, so Graph's retry of a
/// delivery (or anyone replaying one) starts nothing twice. Receipts are kept for <see cref="KeepFor"/> and then
/// pruned by the daily retention job (Rollout/RetentionJob.cs).
/// </summary>
public sealed class NotificationReceipts(IDbContextFactory<BossTalkDbContext> contexts, TimeProvider time)
{
    /// <summary>
    /// How long a receipt is kept. Graph retries a failed delivery for up to 4 hours (docs/graph.md, "Change
    /// notifications"), so a receipt older than that can no longer stop a retry; a day leaves a wide margin.
    /// </summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(1);

    /// <summary>
    /// Records the notification's fingerprint (subscription, change, event and its version) and returns it; null when
    /// it was seen before, so a replayed notification starts nothing.
    /// </summary>
    public async Task<string?> FirstTimeAsync(BossTalkDbContext db, string subscriptionId, string? changeType, string? resourceId, string? etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var text = string.Join('\n', subscriptionId, changeType, resourceId, etag);
        var fingerprint = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        db.NotificationReceipts.Add(new NotificationReceipt { Fingerprint = fingerprint, ReceivedAtUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds() });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return fingerprint;
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return null;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>Forgets receipts whose work could not be queued, so Graph's retry of the same delivery is acted on.</summary>
    public Task ForgetAsync(BossTalkDbContext db, IReadOnlyCollection<string> fingerprints)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.NotificationReceipts.Where(r => fingerprints.Contains(r.Fingerprint)).ExecuteDeleteAsync(CancellationToken.None);
    }

    /// <summary>Deletes receipts older than <see cref="KeepFor"/>; returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var cutoff = (time.GetUtcNow() - KeepFor).ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.NotificationReceipts.Where(r => r.ReceivedAtUnixMs < cutoff).ExecuteDeleteAsync(cancellationToken);
    }
}

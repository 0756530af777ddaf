using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Meetings;
using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Api.Outcomes;

/// <summary>
/// The one owner of the user's "how did it go?" answers. An answer is kept only while it can still matter: it is
/// erased once the prep block it asked for is placed, and in any case once the next one-on-one it could prepare for
/// is over (<see cref="KeptFor"/> after the meeting, the furthest <see cref="NextOneOnOne"/> looks ahead).
/// </summary>
public sealed class MeetingOutcomes(IDbContextFactory<BossTalkDbContext> contexts, TimeProvider time)
{
    /// <summary>How long after the meeting an answer is kept at most.</summary>
    public static readonly TimeSpan KeptFor = NextOneOnOne.SeriesLookAhead + TimeSpan.FromDays(1);

    /// <summary>The answer for one meeting, read in <paramref name="db"/> (so a caller can read it in the same snapshot as its nudges).</summary>
    public static async Task<TalkOutcome?> FindAsync(BossTalkDbContext db, string tenantId, string userId, string iCalUId, DateTimeOffset occurrenceStart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var start = occurrenceStart.ToUniversalTime();
        var row = await db.MeetingOutcomes.AsNoTracking()
            .SingleOrDefaultAsync(o => o.TenantId == tenantId && o.UserId == userId && o.MeetingICalUId == iCalUId && o.OccurrenceStart == start, cancellationToken);
        return row?.Outcome;
    }

    /// <summary>Records the answer, replacing an earlier one for the same meeting (the last answer counts).</summary>
    public async Task RecordAsync(string tenantId, string userId, string iCalUId, DateTimeOffset occurrenceStart, TalkOutcome outcome, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var start = occurrenceStart.ToUniversalTime();
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var updated = await db.MeetingOutcomes
                .Where(o => o.TenantId == tenantId && o.UserId == userId && o.MeetingICalUId == iCalUId && o.OccurrenceStart == start)
                .ExecuteUpdateAsync(set => set.SetProperty(o => o.Outcome, outcome).SetProperty(o => o.RecordedAt, now), cancellationToken);
            if (updated == 1)
            {
                return;
            }

            db.MeetingOutcomes.Add(new MeetingOutcome
            {
                TenantId = tenantId, UserId = userId, MeetingICalUId = iCalUId, OccurrenceStart = start, Outcome = outcome, RecordedAt = now,
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException ex) when (attempt == 0 && ex.IsUniqueViolation())
            {
                // Recorded by a concurrent request a moment ago: update that one instead.
            }
        }
    }

    /// <summary>
    /// Erases every answer of the user on <paramref name="db"/>, in the caller's transaction if it has one (the
    /// retention job's deletion of a former member's data, and an opt-out).
    /// </summary>
    public static Task<int> EraseAllOfUserAsync(BossTalkDbContext db, string tenantId, string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.MeetingOutcomes.Where(o => o.TenantId == tenantId && o.UserId == userId).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Erases the answer for one meeting (its prep block is placed), in the caller's transaction on <paramref name="db"/>.</summary>
    public static async Task EraseAsync(BossTalkDbContext db, string tenantId, string userId, string iCalUId, DateTimeOffset occurrenceStart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var start = occurrenceStart.ToUniversalTime();
        await db.MeetingOutcomes
            .Where(o => o.TenantId == tenantId && o.UserId == userId && o.MeetingICalUId == iCalUId && o.OccurrenceStart == start)
            .ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Erases every answer for a meeting more than <see cref="KeptFor"/> ago; returns how many.</summary>
    public async Task<int> EraseExpiredAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - KeptFor;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Compared here, not in SQL: SQLite keeps instants as text.
        var expired = (await db.MeetingOutcomes.AsNoTracking().ToListAsync(cancellationToken)).Where(o => o.OccurrenceStart < cutoff).ToList();
        foreach (var row in expired)
        {
            await db.MeetingOutcomes
                .Where(o => o.TenantId == row.TenantId && o.UserId == row.UserId && o.MeetingICalUId == row.MeetingICalUId && o.OccurrenceStart == row.OccurrenceStart)
                .ExecuteDeleteAsync(cancellationToken);
        }

        return expired.Count;
    }
}

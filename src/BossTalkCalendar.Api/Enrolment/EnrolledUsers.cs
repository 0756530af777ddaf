using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Meetings;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace BossTalkCalendar.Api.Enrolment;

/// <summary>A rescan a dispatch claimed: the user, and the one event that asked for it (null: several, or none).</summary>
public sealed record ClaimedRescan(string TenantId, string UserId, string? RescanEventId);

/// <summary>The preferences a user sent; null leaves one as it is.</summary>
public sealed record PreferenceChange(
    int? CoolDownMinutes, int? ReflectionMinutes, Counterpart? Counterpart, bool? Paused, NudgeMode? Mode, Relationship? Relationship, bool? SendAlert);

/// <summary>
/// The one owner of <see cref="EnrolledUser"/> rows: every write of one goes through a named operation here. What the
/// values mean and when to write them stays with the feature that decides it: rescan marks with
/// <c>Notifications/UserRescans.cs</c>, scan stamps with <c>Jobs/ScanUsersJob.cs</c>, membership with
/// <c>Rollout/TeamEnrolment.cs</c>, the user's own say with <c>Me/Participation.cs</c>, deletion with
/// <c>Rollout/RetentionJob.cs</c>.
/// </summary>
public sealed class EnrolledUsers(IDbContextFactory<BossTalkDbContext> contexts, TimeProvider time)
{
    /// <summary>
    /// Mark for rescan: marks an active user as due at <paramref name="dueUnixMs"/> for <paramref name="eventId"/>, unless
    /// they are marked or claimed already; then a second event makes it a rescan for no one event, and an earlier due
    /// time brings a waiting mark forward.
    /// </summary>
    public async Task MarkForRescanAsync(string tenantId, string userId, string? eventId, long dueUnixMs, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var marked = await db.EnrolledUsers
            .Where(u => u.TenantId == tenantId && u.UserId == userId && u.Enrolled && !u.OptedOut && !u.Paused && u.RescanDueUnixMs == null)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.RescanDueUnixMs, dueUnixMs).SetProperty(u => u.RescanEventId, eventId), cancellationToken);
        if (marked == 0)
        {
            await db.EnrolledUsers
                .Where(u => u.TenantId == tenantId && u.UserId == userId && u.RescanDueUnixMs != null && u.RescanEventId != null && u.RescanEventId != eventId)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.RescanEventId, (string?)null), cancellationToken);
            // Only a waiting mark moves (positive); a claimed one (negative) is about to be read anyway.
            await db.EnrolledUsers
                .Where(u => u.TenantId == tenantId && u.UserId == userId && u.RescanDueUnixMs > dueUnixMs)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.RescanDueUnixMs, dueUnixMs), cancellationToken);
        }
    }

    /// <summary>
    /// Claim marks: claims the users due at or before <paramref name="dueByUnixMs"/>, or claimed before
    /// <paramref name="staleClaim"/> (a negative instant), with <paramref name="claim"/>, and returns them.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedRescan>> ClaimRescansAsync(long dueByUnixMs, long staleClaim, long claim, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // A stale claim is negative and nearer zero than the bound; a waiting mark (positive) only once it is due.
        var claimable = db.EnrolledUsers
            .Where(u => (u.RescanDueUnixMs > 0 && u.RescanDueUnixMs <= dueByUnixMs) || (u.RescanDueUnixMs < 0 && u.RescanDueUnixMs > staleClaim));
        // Read before writing: most ticks find nothing, and a read takes no write lock.
        if (!await claimable.AnyAsync(cancellationToken))
        {
            return [];
        }

        await claimable.ExecuteUpdateAsync(set => set.SetProperty(u => u.RescanDueUnixMs, claim), cancellationToken);
        return await db.EnrolledUsers.AsNoTracking()
            .Where(u => u.RescanDueUnixMs == claim)
            .Select(u => new ClaimedRescan(u.TenantId, u.UserId, u.RescanEventId))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Drop a claimed rescan, only if no other change joined since the claim (that would have cleared
    /// <see cref="EnrolledUser.RescanEventId"/>); false when one did.
    /// </summary>
    public async Task<bool> DropClaimedRescanAsync(ClaimedRescan rescan, long claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rescan);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.EnrolledUsers
            .Where(u => u.TenantId == rescan.TenantId && u.UserId == rescan.UserId && u.RescanDueUnixMs == claim && u.RescanEventId == rescan.RescanEventId)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.RescanDueUnixMs, (long?)null).SetProperty(u => u.RescanEventId, (string?)null), cancellationToken) == 1;
    }

    /// <summary>Return a claim: its users are marked again at <paramref name="markedUnixMs"/>, for the next dispatch.</summary>
    public async Task ReturnClaimAsync(long claim, long markedUnixMs)
    {
        await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
        await db.EnrolledUsers
            .Where(u => u.RescanDueUnixMs == claim)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.RescanDueUnixMs, markedUnixMs), CancellationToken.None);
    }

    /// <summary>Clear marks: a scan of these users starts, so a later change asks for a new one instead of joining it.</summary>
    public async Task ClearRescanMarksAsync(string tenantId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.EnrolledUsers
            .Where(u => u.TenantId == tenantId && userIds.Contains(u.UserId) && u.RescanDueUnixMs != null)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.RescanDueUnixMs, (long?)null).SetProperty(u => u.RescanEventId, (string?)null), cancellationToken);
    }

    /// <summary>Record scans: stamps the scan time on these users, with the failure's code (null: a good scan).</summary>
    public async Task RecordScanAsync(string tenantId, IReadOnlyCollection<string> userIds, DateTimeOffset scannedAt, string? failure, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.EnrolledUsers
            .Where(u => u.TenantId == tenantId && userIds.Contains(u.UserId))
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(u => u.LastScanAt, scannedAt)
                    .SetProperty(u => u.LastScanFailure, failure)
                    .SetProperty(u => u.UpdatedAt, scannedAt),
                cancellationToken);
    }

    /// <summary>
    /// Enrol: makes <paramref name="userIds"/> members of <paramref name="managerId"/>'s team (moving them from any
    /// other team), all in one transaction; returns the ones that were not enrolled in this team before, or none when a
    /// concurrent enrolment of the same users won.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="managerId">The team's manager.</param>
    /// <param name="userIds">The members (the manager is left out).</param>
    /// <param name="optedOutBefore">Of the users with no row, those whose last choice on record was to opt out.</param>
    /// <param name="cancellationToken">Stops the enrolment.</param>
    public async Task<IReadOnlyList<string>> EnrolAsync(
        string tenantId,
        string managerId,
        IEnumerable<string> userIds,
        Func<IReadOnlyCollection<string>, CancellationToken, Task<IReadOnlySet<string>>> optedOutBefore,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(optedOutBefore);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var wanted = userIds.Where(id => !string.Equals(id, managerId, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        var known = await db.EnrolledUsers.AsNoTracking()
            .Where(u => u.TenantId == tenantId && wanted.Contains(u.UserId))
            .ToDictionaryAsync(u => u.UserId, StringComparer.Ordinal, cancellationToken);
        var optedOut = await optedOutBefore(wanted.Except(known.Keys, StringComparer.Ordinal).ToList(), cancellationToken);

        var now = time.GetUtcNow();
        var joined = new List<string>();
        var moved = new List<string>();
        foreach (var id in wanted)
        {
            if (known.TryGetValue(id, out var user))
            {
                if (user.Enrolled && string.Equals(user.ManagerId, managerId, StringComparison.Ordinal))
                {
                    continue;
                }

                moved.Add(id);
            }
            else
            {
                db.EnrolledUsers.Add(new EnrolledUser
                {
                    TenantId = tenantId,
                    UserId = id,
                    ManagerId = managerId,
                    Enrolled = true,
                    OptedOut = optedOut.Contains(id),
                    CreatedAt = now,
                    UpdatedAt = now,
                });
            }

            joined.Add(id);
        }

        if (joined.Count == 0)
        {
            return [];
        }

        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (moved.Count > 0)
            {
                var updated = await db.EnrolledUsers
                    .Where(u => u.TenantId == tenantId && moved.Contains(u.UserId))
                    .ExecuteUpdateAsync(
                        set => set
                            .SetProperty(u => u.Enrolled, true)
                            .SetProperty(u => u.ManagerId, managerId)
                            .SetProperty(u => u.UnenrolledAt, (DateTimeOffset?)null)
                            .SetProperty(u => u.UpdatedAt, now),
                        cancellationToken);
                if (updated != moved.Count)
                {
                    // A row read above was deleted meanwhile (retention): nothing is written (the transaction rolls back),
                    // as when another instance won; the next refresh enrols them anew.
                    return [];
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance enrolled the same users at the same moment: they are enrolled either way.
            return [];
        }

        return joined;
    }

    /// <summary>Unenrol: stops the service for these users (their rows stay until <see cref="DeleteFormerAsync"/>).</summary>
    public async Task UnenrolAsync(string tenantId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        await db.EnrolledUsers
            .Where(u => u.TenantId == tenantId && userIds.Contains(u.UserId) && u.Enrolled)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(u => u.Enrolled, false)
                    .SetProperty(u => u.UnenrolledAt, now)
                    .SetProperty(u => u.UpdatedAt, now),
                cancellationToken);
    }

    /// <summary>Preferences: stores the ones sent; returns the row as it is now.</summary>
    public Task<EnrolledUser> UpdatePreferencesAsync(string tenantId, string userId, PreferenceChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return ChangeOwnAsync(tenantId, userId, _ => false, set =>
        {
            if (change.CoolDownMinutes is { } coolDown)
            {
                set.SetProperty(u => u.CoolDownMinutes, coolDown);
            }

            if (change.ReflectionMinutes is { } reflection)
            {
                set.SetProperty(u => u.ReflectionMinutes, reflection);
            }

            if (change.Counterpart is { } counterpart)
            {
                set.SetProperty(u => u.Counterpart, counterpart);
            }

            if (change.Paused is { } paused)
            {
                set.SetProperty(u => u.Paused, paused);
            }

            if (change.Mode is { } mode)
            {
                set.SetProperty(u => u.Mode, mode);
            }

            if (change.Relationship is { } relationship)
            {
                set.SetProperty(u => u.Relationship, relationship);
            }

            if (change.SendAlert is { } sendAlert)
            {
                set.SetProperty(u => u.SendAlert, sendAlert);
            }
        }, audit: null, cancellationToken);
    }

    /// <summary>
    /// Opt out; when the user was not opted out before, <paramref name="audit"/> adds the audit entry (stamped with the
    /// instant given) to the context given, which saves it in the change's transaction. The audit log owns its rows,
    /// so it writes the entry, not this class (docs/architecture.md, "Who writes which rows").
    /// </summary>
    public Task<EnrolledUser> OptOutAsync(string tenantId, string userId, Action<BossTalkDbContext, DateTimeOffset> audit, CancellationToken cancellationToken) =>
        ChangeOwnAsync(tenantId, userId, row => !row.OptedOut, set => set.SetProperty(u => u.OptedOut, true), audit, cancellationToken);

    /// <summary>Opt in; <paramref name="audit"/> adds the audit entry, as for an opt-out, when the user was opted out before.</summary>
    public Task<EnrolledUser> OptInAsync(string tenantId, string userId, Action<BossTalkDbContext, DateTimeOffset> audit, CancellationToken cancellationToken) =>
        ChangeOwnAsync(tenantId, userId, row => row.OptedOut, set => set.SetProperty(u => u.OptedOut, false), audit, cancellationToken);

    /// <summary>
    /// Delete after retention: deletes the user's row while they are still not enrolled (a refresh may have enrolled
    /// them again since they were listed), and, in the same transaction and only then, runs <paramref name="alongside"/>
    /// (the rest of their data and the audit entry); false when the row stayed.
    /// </summary>
    public async Task<bool> DeleteFormerAsync(string tenantId, string userId, Func<BossTalkDbContext, CancellationToken, Task> alongside, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alongside);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var deleted = await db.EnrolledUsers
            .Where(u => u.TenantId == tenantId && u.UserId == userId && !u.Enrolled)
            .ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return false;
        }

        await alongside(db, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// The user's own change to their row (made if missing, not enrolled), saved with the audit entry when
    /// <paramref name="changes"/> says the row read before changes, in one transaction.
    /// </summary>
    private async Task<EnrolledUser> ChangeOwnAsync(
        string tenantId,
        string userId,
        Func<EnrolledUser, bool> changes,
        Action<UpdateSettersBuilder<EnrolledUser>> set,
        Action<BossTalkDbContext, DateTimeOffset>? audit,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var now = time.GetUtcNow();
            var row = await db.EnrolledUsers.AsNoTracking().SingleOrDefaultAsync(u => u.TenantId == tenantId && u.UserId == userId, cancellationToken);
            if (row is null)
            {
                row = new EnrolledUser { TenantId = tenantId, UserId = userId, Enrolled = false, CreatedAt = now, UpdatedAt = now };
                db.EnrolledUsers.Add(row);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateException ex) when (attempt == 0 && ex.IsUniqueViolation())
                {
                    // The row was made by a concurrent request (or an enrolment) a moment ago: apply the change to it.
                    continue;
                }
            }

            if (changes(row) && audit is not null)
            {
                audit(db, now);
                await db.SaveChangesAsync(cancellationToken);
            }

            await db.EnrolledUsers
                .Where(u => u.TenantId == tenantId && u.UserId == userId)
                .ExecuteUpdateAsync(
                    setters =>
                    {
                        set(setters);
                        setters.SetProperty(u => u.UpdatedAt, now);
                    },
                    cancellationToken);
            var changed = await db.EnrolledUsers.AsNoTracking().SingleAsync(u => u.TenantId == tenantId && u.UserId == userId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return changed;
        }
    }
}

using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Rollout;
using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Api.Nudges;

/// <summary>
/// Who the service works for. Users are enrolled only as members of an approved team (see
/// <see cref="TeamRollout"/>); a user who opted out stays opted out, even across a revoke and a new approval.
/// </summary>
public sealed class Enrollment(IDbContextFactory<BossTalkDbContext> contexts, TimeProvider time)
{
    /// <summary>
    /// Enrolls <paramref name="userIds"/> as members of <paramref name="managerId"/>'s team (moving them from any
    /// other team); returns the ones that were not enrolled in this team before.
    /// </summary>
    public async Task<IReadOnlyList<string>> EnrollAsync(string tenantId, string managerId, IEnumerable<string> userIds, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var wanted = userIds.Where(id => !string.Equals(id, managerId, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        var known = await db.EnrolledUsers
            .Where(u => u.TenantId == tenantId && wanted.Contains(u.UserId))
            .ToDictionaryAsync(u => u.UserId, StringComparer.Ordinal, cancellationToken);
        var optedOut = await LastChoiceWasOptOutAsync(db, tenantId, wanted.Except(known.Keys, StringComparer.Ordinal).ToList(), cancellationToken);

        var now = time.GetUtcNow();
        var joined = new List<string>();
        foreach (var id in wanted)
        {
            if (known.TryGetValue(id, out var user))
            {
                if (user.Enrolled && string.Equals(user.ManagerId, managerId, StringComparison.Ordinal))
                {
                    continue;
                }

                user.Enrolled = true;
                user.ManagerId = managerId;
                user.UnenrolledAt = null;
                user.UpdatedAt = now;
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

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance enrolled the same users at the same moment: they are enrolled either way.
            return [];
        }

        return joined;
    }

    /// <summary>Stops the service for these users (their rows stay until the retention job deletes them).</summary>
    public async Task UnenrollAsync(string tenantId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
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

    /// <summary>
    /// Users whose data was deleted after an earlier membership: the audit trail still holds their last opt-out or
    /// opt-in, and an opt-out must survive the deletion.
    /// </summary>
    private static async Task<HashSet<string>> LastChoiceWasOptOutAsync(BossTalkDbContext db, string tenantId, List<string> userIds, CancellationToken cancellationToken)
    {
        if (userIds.Count == 0)
        {
            return [];
        }

        var choices = await db.AuditEntries.AsNoTracking()
            .Where(e => e.TenantId == tenantId && userIds.Contains(e.SubjectId)
                && (e.Action == AuditActions.OptedOut || e.Action == AuditActions.OptedIn))
            .OrderBy(e => e.Id)
            .Select(e => new { e.SubjectId, e.Action })
            .ToListAsync(cancellationToken);

        return choices
            .GroupBy(c => c.SubjectId, StringComparer.Ordinal)
            .Where(g => g.Last().Action == AuditActions.OptedOut)
            .Select(g => g.Key)
            .ToHashSet(StringComparer.Ordinal);
    }
}

using BossTalkCalendar.Api.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Api.Rollout;

/// <summary>
/// Who the service works for. Users are enrolled only as members of an approved team (see
/// <see cref="TeamRollout"/>); a user who opted out stays opted out, even across a revoke and a new approval.
/// </summary>
public sealed class Enrollment(IDbContextFactory<BossTalkDbContext> contexts, IAuditLog audit, TimeProvider time)
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
        // Users whose data was deleted after an earlier membership: an opt-out must survive the deletion.
        var optedOut = await audit.LastChoiceWasOptOutAsync(tenantId, wanted.Except(known.Keys, StringComparer.Ordinal).ToList(), cancellationToken);

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
}

using BossTalkCalendar.Api.Enrolment;

namespace BossTalkCalendar.Api.Rollout;

/// <summary>
/// Who the service works for. Users are enrolled only as members of an approved team (see
/// <see cref="TeamRollout"/>); a user who opted out stays opted out, even across a revoke and a new approval.
/// </summary>
public sealed class TeamEnrolment(EnrolledUsers enrolled, IAuditLog audit)
{
    /// <summary>
    /// Enrols <paramref name="userIds"/> as members of <paramref name="managerId"/>'s team (moving them from any
    /// other team); returns the ones that were not enrolled in this team before.
    /// </summary>
    public Task<IReadOnlyList<string>> EnrolAsync(string tenantId, string managerId, IEnumerable<string> userIds, CancellationToken cancellationToken) =>
        // Users whose data was deleted after an earlier membership: an opt-out must survive the deletion.
        enrolled.EnrolAsync(tenantId, managerId, userIds, (newcomers, token) => audit.LastChoiceWasOptOutAsync(tenantId, newcomers, token), cancellationToken);

    /// <summary>Stops the service for these users (their rows stay until the retention job deletes them).</summary>
    public Task UnenrolAsync(string tenantId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken) =>
        enrolled.UnenrolAsync(tenantId, userIds, cancellationToken);
}

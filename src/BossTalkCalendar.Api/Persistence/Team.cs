namespace BossTalkCalendar.Api.Persistence;

/// <summary>Where a team is in its rollout. A team without a row is <see cref="NotEnabled"/>.</summary>
public enum TeamState
{
    /// <summary>Nobody approved it yet: its members get nothing.</summary>
    NotEnabled,

    /// <summary>The manager approved it: members are enrolled and get automatic nudges unless they opt out.</summary>
    Approved,

    /// <summary>The manager or an admin revoked it: nothing new happens; members' data goes after the retention period.</summary>
    Revoked,
}

/// <summary>
/// A manager's team: the manager's direct reports as Microsoft Graph lists them, refreshed by
/// <c>Rollout/TeamRefreshJob</c>. Identifiers and instants only.
/// </summary>
public sealed class Team
{
    public required string TenantId { get; set; }

    /// <summary>The manager's directory object id; the members are this user's direct reports.</summary>
    public required string ManagerId { get; set; }

    public TeamState State { get; set; }

    public DateTimeOffset? ApprovedAt { get; set; }

    /// <summary>Object id of whoever approved it last.</summary>
    public string? ApprovedBy { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Object id of whoever revoked it last (the manager or an admin).</summary>
    public string? RevokedBy { get; set; }

    /// <summary>
    /// An administrator revoked the team: it stays revoked, whatever its manager does, until an administrator lifts
    /// the revoke.
    /// </summary>
    public bool AdminRevoked { get; set; }

    /// <summary>When the members were last compared with Graph's direct reports.</summary>
    public DateTimeOffset? RefreshedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace BossTalkCalendar.Api.Persistence;

/// <summary>
/// One line of the append-only audit trail: who (object id), what (<see cref="AuditActions"/>), when, in which
/// tenant and about whom (a manager's or a member's object id). Never meeting data, names or free text.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public required string TenantId { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The signed-in user's object id, or <see cref="AuditActions.SystemActor"/> for the service's own jobs.</summary>
    public required string ActorId { get; set; }

    public required string Action { get; set; }

    /// <summary>The team's manager for team actions, the member for member actions.</summary>
    public required string SubjectId { get; set; }

    /// <summary>Refuses any change to an existing entry: the trail is only ever appended to.</summary>
    internal static void EnsureAppendOnly(ChangeTracker changes)
    {
        foreach (var entry in changes.Entries<AuditEntry>())
        {
            if (entry.State is EntityState.Modified or EntityState.Deleted)
            {
                throw new InvalidOperationException("The audit trail is append-only: entries cannot be changed or deleted.");
            }
        }
    }
}

/// <summary>The actions the audit trail records.</summary>
public static class AuditActions
{
    /// <summary>Actor of entries written by the service's own jobs (team refresh, retention).</summary>
    public const string SystemActor = "system";

    public const string TeamApproved = "teamApproved";
    public const string TeamRevoked = "teamRevoked";
    /// <summary>An administrator lifted their revoke of a team; its manager may approve it again.</summary>
    public const string RevokeLifted = "revokeLifted";
    public const string OptedOut = "optedOut";
    public const string OptedIn = "optedIn";

    /// <summary>The refresh found a new direct report of an approved team and enrolled them.</summary>
    public const string MemberJoined = "memberJoined";

    /// <summary>The refresh found a member no longer reports to the team's manager and stopped their nudges.</summary>
    public const string MemberLeft = "memberLeft";

    /// <summary>The retention job deleted a former member's data (everything but this trail).</summary>
    public const string MemberDataDeleted = "memberDataDeleted";

    public static IReadOnlyList<string> All { get; } = [TeamApproved, TeamRevoked, RevokeLifted, OptedOut, OptedIn, MemberJoined, MemberLeft, MemberDataDeleted];
}

using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Api.Rollout;

/// <summary>Aggregate figures of one team; never anything per person.</summary>
/// <param name="Enrolled">Members enrolled and not opted out.</param>
/// <param name="OptedOut">Members who opted out.</param>
/// <param name="ActiveThisMonth">Members with a nudge placed this calendar month (UTC); null below <see cref="TeamRollout.ActivityThreshold"/> enrolled.</param>
public sealed record TeamCounts(int Enrolled, int OptedOut, int? ActiveThisMonth);

/// <summary>A team's state and figures.</summary>
/// <param name="ManagerId">The team's manager.</param>
/// <param name="State">Where the team is in its rollout.</param>
/// <param name="Counts">Aggregate figures.</param>
/// <param name="ApprovedAt">When it was last approved.</param>
/// <param name="RevokedAt">When it was last revoked.</param>
/// <param name="AdminRevoked">An administrator's revoke stands: only an administrator can lift it.</param>
public sealed record TeamSummary(string ManagerId, TeamState State, TeamCounts Counts, DateTimeOffset? ApprovedAt, DateTimeOffset? RevokedAt, bool AdminRevoked = false);

/// <summary>Who joined and who left a team when it was compared with Graph.</summary>
public sealed record MembershipChange(IReadOnlyList<string> Joined, IReadOnlyList<string> Left);

/// <summary>
/// Approving, revoking and refreshing teams. Callers check who may do it (the team's own manager per Graph, or an
/// admin of the served tenant); this class keeps state, enrollment, pending work and the audit trail in step.
/// </summary>
public sealed class TeamRollout(
    IDbContextFactory<BossTalkDbContext> contexts,
    Enrollment enrollment,
    PendingWork pending,
    TimeProvider time)
{
    /// <summary>Below this many enrolled members an activity figure would point at individuals, so there is none.</summary>
    public const int ActivityThreshold = 5;

    /// <summary>The team's row and figures, or null when it was never approved.</summary>
    public async Task<TeamSummary?> FindAsync(string tenantId, string managerId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var team = await db.Teams.AsNoTracking().SingleOrDefaultAsync(t => t.TenantId == tenantId && t.ManagerId == managerId, cancellationToken);
        return team is null ? null : await SummarizeAsync(db, team, cancellationToken);
    }

    /// <summary>Every team of the tenant that was ever approved.</summary>
    public async Task<IReadOnlyList<TeamSummary>> ListAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var teams = await db.Teams.AsNoTracking().Where(t => t.TenantId == tenantId).OrderBy(t => t.ManagerId).ToListAsync(cancellationToken);
        var summaries = new List<TeamSummary>(teams.Count);
        foreach (var team in teams)
        {
            summaries.Add(await SummarizeAsync(db, team, cancellationToken));
        }

        return summaries;
    }

    /// <summary>
    /// Approves the team (again, after a revoke) and enrolls <paramref name="reportIds"/>, which the caller read from
    /// Graph. Approving an approved team only brings its members up to date. A team an administrator revoked is left
    /// as it is (the summary says <see cref="TeamSummary.AdminRevoked"/>) until an administrator lifts the revoke.
    /// </summary>
    public async Task<TeamSummary> ApproveAsync(string tenantId, string managerId, string actorId, IReadOnlyCollection<string> reportIds, CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var now = time.GetUtcNow();
            var team = await db.Teams.SingleOrDefaultAsync(t => t.TenantId == tenantId && t.ManagerId == managerId, cancellationToken);
            var created = team is null;
            if (team is null)
            {
                team = new Team { TenantId = tenantId, ManagerId = managerId, CreatedAt = now };
                db.Teams.Add(team);
            }

            if (team.AdminRevoked)
            {
                return await SummarizeAsync(db, team, cancellationToken);
            }

            if (team.State != TeamState.Approved)
            {
                team.State = TeamState.Approved;
                team.ApprovedAt = now;
                team.ApprovedBy = actorId;
                team.UpdatedAt = now;
                db.AuditEntries.Add(AuditLog.Entry(tenantId, actorId, AuditActions.TeamApproved, managerId, now));
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateException) when (created)
                {
                    // The same approval arrived twice at once and the other one created the team: it is approved either way.
                }
            }
        }

        await ApplyMembershipAsync(tenantId, managerId, reportIds, cancellationToken);
        return (await FindAsync(tenantId, managerId, cancellationToken))!;
    }

    /// <summary>
    /// Revokes the team: members are unenrolled at once, their pending nudges cancelled (placed events stay) and their
    /// data deleted by <see cref="RetentionJob"/> later. Null when the team was never approved; revoking a revoked
    /// team changes nothing, except that an administrator's revoke of it then stands until an administrator lifts it.
    /// </summary>
    public async Task<TeamSummary?> RevokeAsync(string tenantId, string managerId, string actorId, CancellationToken cancellationToken, bool byAdmin = false)
    {
        List<string> members;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var team = await db.Teams.SingleOrDefaultAsync(t => t.TenantId == tenantId && t.ManagerId == managerId, cancellationToken);
            if (team is null)
            {
                return null;
            }

            if (team.State == TeamState.Revoked)
            {
                if (byAdmin && !team.AdminRevoked)
                {
                    team.AdminRevoked = true;
                    team.RevokedBy = actorId;
                    team.UpdatedAt = time.GetUtcNow();
                    db.AuditEntries.Add(AuditLog.Entry(tenantId, actorId, AuditActions.TeamRevoked, managerId, team.UpdatedAt));
                    await db.SaveChangesAsync(cancellationToken);
                }

                return await SummarizeAsync(db, team, cancellationToken);
            }

            var now = time.GetUtcNow();
            team.State = TeamState.Revoked;
            team.AdminRevoked = byAdmin;
            team.RevokedAt = now;
            team.RevokedBy = actorId;
            team.UpdatedAt = now;
            db.AuditEntries.Add(AuditLog.Entry(tenantId, actorId, AuditActions.TeamRevoked, managerId, now));
            await db.SaveChangesAsync(cancellationToken);

            members = await db.EnrolledUsers
                .Where(u => u.TenantId == tenantId && u.ManagerId == managerId && u.Enrolled)
                .Select(u => u.UserId)
                .ToListAsync(cancellationToken);
        }

        // Unenroll first, so a scan or placement that starts now already finds the member inactive.
        await enrollment.UnenrollAsync(tenantId, members, cancellationToken);
        await pending.CancelAsync(tenantId, members, RolloutReasons.TeamRevoked, cancellationToken);
        return await FindAsync(tenantId, managerId, cancellationToken);
    }

    /// <summary>
    /// Participating members of the team with a nudge placed since <paramref name="since"/>, counted in SQL. Raw SQL
    /// because EF cannot translate a DateTimeOffset comparison for SQLite; there it compares the stored ISO text,
    /// which orders correctly as every instant is written in UTC.
    /// </summary>
    private static Task<int> ActiveSinceAsync(BossTalkDbContext db, Team team, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var placed = nameof(NudgeState.Placed);
        return db.Database.SqlQuery<int>($"""
                SELECT COUNT(DISTINCT n."UserId") AS "Value"
                FROM "Nudges" n
                JOIN "EnrolledUsers" u ON u."TenantId" = n."TenantId" AND u."UserId" = n."UserId"
                WHERE n."TenantId" = {team.TenantId} AND u."ManagerId" = {team.ManagerId}
                  AND u."Enrolled" = {true} AND u."OptedOut" = {false}
                  AND n."State" = {placed} AND n."CreatedAt" >= {since}
                """)
            .SingleAsync(cancellationToken);
    }

    /// <summary>
    /// Lifts an administrator's revoke: the team stays revoked, and its manager may approve it again. Null when the team
    /// was never approved; lifting when no administrator's revoke stands changes nothing.
    /// </summary>
    public async Task<TeamSummary?> LiftRevokeAsync(string tenantId, string managerId, string actorId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var team = await db.Teams.SingleOrDefaultAsync(t => t.TenantId == tenantId && t.ManagerId == managerId, cancellationToken);
        if (team is null)
        {
            return null;
        }

        if (team.AdminRevoked)
        {
            team.AdminRevoked = false;
            team.UpdatedAt = time.GetUtcNow();
            db.AuditEntries.Add(AuditLog.Entry(tenantId, actorId, AuditActions.RevokeLifted, managerId, team.UpdatedAt));
            await db.SaveChangesAsync(cancellationToken);
        }

        return await SummarizeAsync(db, team, cancellationToken);
    }

    /// <summary>
    /// Makes an approved team's members match <paramref name="reportIds"/> (the manager's direct reports in Graph):
    /// newcomers are enrolled, leavers unenrolled and their pending nudges cancelled.
    /// </summary>
    public async Task<MembershipChange> ApplyMembershipAsync(string tenantId, string managerId, IReadOnlyCollection<string> reportIds, CancellationToken cancellationToken)
    {
        List<string> current;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var approved = await db.Teams.AnyAsync(t => t.TenantId == tenantId && t.ManagerId == managerId && t.State == TeamState.Approved, cancellationToken);
            if (!approved)
            {
                return new MembershipChange([], []);
            }

            current = await db.EnrolledUsers
                .Where(u => u.TenantId == tenantId && u.ManagerId == managerId && u.Enrolled)
                .Select(u => u.UserId)
                .ToListAsync(cancellationToken);
        }

        var left = current.Except(reportIds, StringComparer.Ordinal).ToList();
        await enrollment.UnenrollAsync(tenantId, left, cancellationToken);
        await pending.CancelAsync(tenantId, left, RolloutReasons.LeftTeam, cancellationToken);
        var joined = await enrollment.EnrollAsync(tenantId, managerId, reportIds, cancellationToken);

        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var now = time.GetUtcNow();
            var team = await db.Teams.SingleAsync(t => t.TenantId == tenantId && t.ManagerId == managerId, cancellationToken);
            team.RefreshedAt = now;
            team.UpdatedAt = now;
            await db.SaveChangesAsync(cancellationToken);
        }

        return new MembershipChange(joined, left);
    }

    private async Task<TeamSummary> SummarizeAsync(BossTalkDbContext db, Team team, CancellationToken cancellationToken)
    {
        // Counted by the database: a team's figures never load its members' rows, let alone their nudges.
        var enrolled = db.EnrolledUsers.AsNoTracking().Where(u => u.TenantId == team.TenantId && u.ManagerId == team.ManagerId && u.Enrolled);
        var members = await enrolled.CountAsync(cancellationToken);
        var optedOut = await enrolled.CountAsync(u => u.OptedOut, cancellationToken);
        var participating = members - optedOut;

        int? active = null;
        if (participating >= ActivityThreshold)
        {
            var now = time.GetUtcNow();
            var monthStart = new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);
            active = await ActiveSinceAsync(db, team, monthStart, cancellationToken);
        }

        return new TeamSummary(
            team.ManagerId,
            team.State,
            new TeamCounts(participating, optedOut, active),
            team.ApprovedAt,
            team.RevokedAt,
            team.AdminRevoked);
    }
}

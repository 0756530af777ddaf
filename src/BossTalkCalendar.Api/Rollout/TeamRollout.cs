using BossTalkCalendar.Api.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Api.Rollout;

/// <summary>A team's state and figures.</summary>
/// <param name="ManagerId">The team's manager.</param>
/// <param name="State">Where the team is in its rollout.</param>
/// <param name="Figures">Today's figures, as <see cref="GroupSize.Reveal"/> lets them be shown.</param>
/// <param name="ApprovedAt">When it was last approved.</param>
/// <param name="RevokedAt">When it was last revoked.</param>
/// <param name="AdminRevoked">An administrator's revoke stands: only an administrator can lift it.</param>
public sealed record TeamSummary(string ManagerId, TeamState State, TeamFigures Figures, DateTimeOffset? ApprovedAt, DateTimeOffset? RevokedAt, bool AdminRevoked = false);

/// <summary>Who joined and who left a team when it was compared with Graph.</summary>
public sealed record MembershipChange(IReadOnlyList<string> Joined, IReadOnlyList<string> Left);

/// <summary>
/// Approving, revoking and refreshing teams. Callers check who may do it (the team's own manager per Graph, or an
/// admin of the served tenant); this class keeps state, enrolment, pending work and the audit trail in step.
/// </summary>
public sealed class TeamRollout(
    IDbContextFactory<BossTalkDbContext> contexts,
    TeamEnrolment enrolment,
    PendingWork pending,
    TimeProvider time)
{
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
    /// Approves the team (again, after a revoke) and enrols <paramref name="reportIds"/>, which the caller read from
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
                AuditLog.Append(db, tenantId, actorId, AuditActions.TeamApproved, managerId, now);
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
                    AuditLog.Append(db, tenantId, actorId, AuditActions.TeamRevoked, managerId, team.UpdatedAt);
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
            AuditLog.Append(db, tenantId, actorId, AuditActions.TeamRevoked, managerId, now);
            await db.SaveChangesAsync(cancellationToken);

            members = await db.EnrolledUsers
                .Where(u => u.TenantId == tenantId && u.ManagerId == managerId && u.Enrolled)
                .Select(u => u.UserId)
                .ToListAsync(cancellationToken);
        }

        // Unenrol first, so a scan or placement that starts now already finds the member inactive.
        await enrolment.UnenrolAsync(tenantId, members, cancellationToken);
        await pending.CancelAsync(tenantId, members, RolloutReasons.TeamRevoked, cancellationToken);
        return await FindAsync(tenantId, managerId, cancellationToken);
    }

    /// <summary>
    /// Participating members of the team with a nudge placed in [<paramref name="since"/>, <paramref name="until"/>),
    /// counted in SQL. Raw SQL
    /// because EF cannot translate a DateTimeOffset comparison for SQLite; there it compares the stored ISO text,
    /// which orders correctly as every instant is written in UTC.
    /// </summary>
    private static Task<int> ActiveBetweenAsync(BossTalkDbContext db, Team team, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var placed = nameof(NudgeState.Placed);
        return db.Database.SqlQuery<int>($"""
                SELECT COUNT(DISTINCT n."UserId") AS "Value"
                FROM "Nudges" n
                JOIN "EnrolledUsers" u ON u."TenantId" = n."TenantId" AND u."UserId" = n."UserId"
                WHERE n."TenantId" = {team.TenantId} AND u."ManagerId" = {team.ManagerId}
                  AND u."Enrolled" = {true} AND u."OptedOut" = {false}
                  AND n."State" = {placed} AND n."CreatedAt" >= {since} AND n."CreatedAt" < {until}
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
            AuditLog.Append(db, tenantId, actorId, AuditActions.RevokeLifted, managerId, team.UpdatedAt);
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
        await enrolment.UnenrolAsync(tenantId, left, cancellationToken);
        await pending.CancelAsync(tenantId, left, RolloutReasons.LeftTeam, cancellationToken);
        var joined = await enrolment.EnrolAsync(tenantId, managerId, reportIds, cancellationToken);

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

    /// <summary>
    /// Takes today's (UTC) snapshot of each team's figures unless it exists; the first team refresh of the day calls
    /// this, so the figures are normally those of the start of the day.
    /// </summary>
    public async Task SnapshotAsync(string tenantId, string managerId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var team = await db.Teams.AsNoTracking().SingleOrDefaultAsync(t => t.TenantId == tenantId && t.ManagerId == managerId, cancellationToken);
        if (team is not null)
        {
            await TodaysSnapshotAsync(db, team, cancellationToken);
        }
    }

    private async Task<TeamSummary> SummarizeAsync(BossTalkDbContext db, Team team, CancellationToken cancellationToken)
    {
        var snapshot = await TodaysSnapshotAsync(db, team, cancellationToken);
        return new TeamSummary(
            team.ManagerId,
            team.State,
            GroupSize.Reveal(snapshot),
            team.ApprovedAt,
            team.RevokedAt,
            team.AdminRevoked);
    }

    /// <summary>
    /// Today's snapshot of the team, taken now when this is the day's first look: figures never move during a UTC
    /// day, so none moves right after a one-on-one. Earlier days' snapshots of the team are deleted as it is taken.
    /// </summary>
    private async Task<TeamSnapshot> TodaysSnapshotAsync(BossTalkDbContext db, Team team, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var existing = await db.TeamSnapshots.AsNoTracking()
            .SingleOrDefaultAsync(s => s.TenantId == team.TenantId && s.ManagerId == team.ManagerId && s.Day == today, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        // Counted by the database: a team's figures never load its members' rows, let alone their nudges.
        var enrolled = db.EnrolledUsers.AsNoTracking().Where(u => u.TenantId == team.TenantId && u.ManagerId == team.ManagerId && u.Enrolled);
        var dayStart = new DateTimeOffset(today.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var monthStart = new DateTimeOffset(today.Year, today.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var snapshot = new TeamSnapshot
        {
            TenantId = team.TenantId,
            ManagerId = team.ManagerId,
            Day = today,
            Enrolled = await enrolled.CountAsync(cancellationToken),
            OptedOut = await enrolled.CountAsync(u => u.OptedOut, cancellationToken),
            ActiveThisMonth = await ActiveBetweenAsync(db, team, monthStart, dayStart, cancellationToken),
            TakenAt = now,
        };

        await db.TeamSnapshots
            .Where(s => s.TenantId == team.TenantId && s.ManagerId == team.ManagerId && s.Day < today)
            .ExecuteDeleteAsync(cancellationToken);
        db.TeamSnapshots.Add(snapshot);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another request took today's snapshot at the same moment: theirs stands, so everyone reads the same.
            db.ChangeTracker.Clear();
            return await db.TeamSnapshots.AsNoTracking()
                .SingleAsync(s => s.TenantId == team.TenantId && s.ManagerId == team.ManagerId && s.Day == today, cancellationToken);
        }

        return snapshot;
    }
}

using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Graph;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Api.Rollout;

/// <summary>
/// Recurring <c>team-refresh</c>: compares each approved team with its manager's direct reports in Graph, enrols
/// newcomers and drops leavers, then takes the team's figures for the day if nobody has yet (so they are normally the
/// start of the day's). No arguments: everything it needs is in the database and Graph.
/// </summary>
[AutomaticRetry(Attempts = 0)] // the next refresh is at most an hour away
public sealed class TeamRefreshJob(
    IDbContextFactory<BossTalkDbContext> contexts,
    ICalendarGateway graph,
    TeamRollout rollout,
    IAuditLog audit,
    ILogger<TeamRefreshJob> logger)
{
    public const string RecurringJobId = "team-refresh";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        List<(string TenantId, string ManagerId)> teams;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            teams = (await db.Teams.AsNoTracking()
                    .Where(t => t.State == TeamState.Approved)
                    .Select(t => new { t.TenantId, t.ManagerId })
                    .ToListAsync(cancellationToken))
                .Select(t => (t.TenantId, t.ManagerId))
                .ToList();
        }

        foreach (var (tenantId, managerId) in teams)
        {
            IReadOnlyList<string> reports;
            try
            {
                reports = (await graph.RenewTeamAsync(managerId, cancellationToken)).Select(r => r.Id).ToList();
            }
            catch (GatewayException ex) when (ex.Failure == GatewayFailure.NotFound)
            {
                // The manager left the directory: nobody reports to them any more.
                reports = [];
            }
            catch (GatewayException ex)
            {
                logger.RefreshSkipped(managerId, ex.Failure);
                continue;
            }

            var change = await rollout.ApplyMembershipAsync(tenantId, managerId, reports, cancellationToken);
            await rollout.SnapshotAsync(tenantId, managerId, cancellationToken);
            foreach (var joined in change.Joined)
            {
                await audit.WriteAsync(tenantId, AuditActions.SystemActor, AuditActions.MemberJoined, joined, cancellationToken);
            }

            foreach (var left in change.Left)
            {
                await audit.WriteAsync(tenantId, AuditActions.SystemActor, AuditActions.MemberLeft, left, cancellationToken);
            }

            if (change.Joined.Count > 0 || change.Left.Count > 0)
            {
                logger.TeamRefreshed(managerId, change.Joined.Count, change.Left.Count);
            }
        }
    }
}

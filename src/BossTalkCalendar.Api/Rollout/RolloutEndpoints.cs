using System.Globalization;
using BossTalkCalendar.Api.Auth;
using BossTalkCalendar.Api.Hosting;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Graph;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BossTalkCalendar.Api.Rollout;

/// <summary>
/// A manager's view of their team: state and aggregate figures, never anything per person. Each figure is
/// <c>{ "count": n, "fewerThanFive": false }</c>, or <c>{ "count": null, "fewerThanFive": true }</c> when
/// <see cref="GroupSize.Reveal"/> withholds it; figures are those of <c>figuresAsOf</c> (a UTC day) and change at most
/// once a day.
/// </summary>
/// <param name="State"><c>notEnabled</c>, <c>approved</c> or <c>revoked</c>.</param>
/// <param name="Enrolled">Members enrolled, including those who opted out.</param>
/// <param name="OptedOut">Members who opted out.</param>
/// <param name="ActiveThisMonth">Participating members with a reflection placed this month, up to the start of the day.</param>
/// <param name="FiguresAsOf">The UTC day of the figures; null when the team was never approved (then every figure is withheld).</param>
/// <param name="ApprovedAt">When the team was last approved.</param>
/// <param name="RevokedAt">When the team was last revoked.</param>
public sealed record TeamView(
    string State,
    TeamFigure Enrolled,
    TeamFigure OptedOut,
    TeamFigure ActiveThisMonth,
    DateOnly? FiguresAsOf,
    DateTimeOffset? ApprovedAt,
    DateTimeOffset? RevokedAt);

/// <summary>A team as an administrator sees it: the manager's id, state and the same figures under the same rule.</summary>
public sealed record AdminTeamView(
    string ManagerId,
    string State,
    TeamFigure Enrolled,
    TeamFigure OptedOut,
    TeamFigure ActiveThisMonth,
    DateOnly FiguresAsOf,
    DateTimeOffset? ApprovedAt,
    DateTimeOffset? RevokedAt);

/// <summary>
/// The rollout API. Every endpoint acts only in the tenant this instance serves (<see cref="ServedTenant"/>); a
/// caller from another tenant gets 403. <c>teams/mine</c> is the caller's own team as Graph defines it (their direct
/// reports); a caller with no direct reports and no team on record gets 404. Admin endpoints need the admin role.
/// </summary>
public static class RolloutEndpoints
{
    private const int MaxPageSize = 200;
    private const int DefaultPageSize = 50;

    public static IEndpointRouteBuilder MapRollout(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1")
            .RequireAuthorization()
            .AddEndpointFilter(async (context, next) =>
            {
                // Team figures and the audit trail are nobody's business but the caller's: no shared caches.
                context.HttpContext.Response.Headers.CacheControl = "no-store";
                return await next(context);
            })
            .WithTags("Rollout");

        var mine = api.MapGroup("/teams/mine");
        mine.MapGet("", GetMineAsync).WithName("GetMyTeam");
        mine.MapPost("/approve", ApproveMineAsync).WithName("ApproveMyTeam");
        mine.MapPost("/revoke", RevokeMineAsync).WithName("RevokeMyTeam");

        var admin = api.MapGroup("/admin").RequireAuthorization(AuthPolicies.Admin);
        admin.MapGet("/teams", ListTeamsAsync).WithName("ListTeams");
        admin.MapPost("/teams/{managerId}/revoke", RevokeTeamAsync).WithName("RevokeTeam");
        admin.MapPost("/teams/{managerId}/lift-revoke", LiftRevokeAsync).WithName("LiftTeamRevoke");
        admin.MapGet("/audit", ReadAuditAsync).WithName("ReadAudit");
        admin.MapPost("/sweep", QueueSweepAsync).WithName("QueueSweep");
        return endpoints;
    }

    private static async Task<Results<Ok<TeamView>, ProblemHttpResult>> GetMineAsync(ApiUser user, ServedTenant served, TeamRollout rollout, ICalendarGateway graph, CancellationToken cancellationToken)
    {
        if (!served.Serves(user.TenantId))
        {
            return RolloutProblems.OtherTenant();
        }

        var reports = await DirectReportsAsync(graph, user.UserId, cancellationToken);
        if (reports.Problem is { } problem)
        {
            return problem;
        }

        var team = await rollout.FindAsync(served.Id!, user.UserId, cancellationToken);
        if (team is null && reports.Ids.Count == 0)
        {
            return RolloutProblems.NoTeam();
        }

        return TypedResults.Ok(ToView(team));
    }

    private static async Task<Results<Ok<TeamView>, ProblemHttpResult>> ApproveMineAsync(ApiUser user, ServedTenant served, TeamRollout rollout, ICalendarGateway graph, ILogger<TeamRollout> logger, CancellationToken cancellationToken)
    {
        if (!served.Serves(user.TenantId))
        {
            return RolloutProblems.OtherTenant();
        }

        // Graph, not anything the client sends, says whose manager the caller is.
        var reports = await DirectReportsAsync(graph, user.UserId, cancellationToken);
        if (reports.Problem is { } problem)
        {
            return problem;
        }

        if (reports.Ids.Count == 0)
        {
            return RolloutProblems.NoTeam();
        }

        var team = await rollout.ApproveAsync(served.Id!, user.UserId, user.UserId, reports.Ids, cancellationToken);
        if (team.AdminRevoked)
        {
            return RolloutProblems.HeldByAdmin();
        }

        logger.TeamChanged(user.UserId, AuditActions.TeamApproved, user.UserId);
        return TypedResults.Ok(ToView(team));
    }

    private static async Task<Results<Ok<TeamView>, ProblemHttpResult>> RevokeMineAsync(ApiUser user, ServedTenant served, TeamRollout rollout, ICalendarGateway graph, ILogger<TeamRollout> logger, CancellationToken cancellationToken)
    {
        if (!served.Serves(user.TenantId))
        {
            return RolloutProblems.OtherTenant();
        }

        // Revoking only ever stops work, and the team is keyed by the caller's own id: no Graph check needed to allow it.
        var team = await rollout.RevokeAsync(served.Id!, user.UserId, user.UserId, cancellationToken);
        var reports = await DirectReportsAsync(graph, user.UserId, cancellationToken);
        if (team is null)
        {
            return reports.Problem ?? (reports.Ids.Count == 0 ? RolloutProblems.NoTeam() : RolloutProblems.NotApproved());
        }

        logger.TeamChanged(user.UserId, AuditActions.TeamRevoked, user.UserId);
        return TypedResults.Ok(ToView(team));
    }

    private static async Task<Results<Ok<List<AdminTeamView>>, ProblemHttpResult>> ListTeamsAsync(ApiUser user, ServedTenant served, TeamRollout rollout, CancellationToken cancellationToken)
    {
        if (!served.Serves(user.TenantId))
        {
            return RolloutProblems.OtherTenant();
        }

        var teams = await rollout.ListAsync(served.Id!, cancellationToken);
        return TypedResults.Ok(teams.Select(ToAdminView).ToList());
    }

    private static async Task<Results<Ok<AdminTeamView>, ValidationProblem, ProblemHttpResult>> RevokeTeamAsync(string managerId, ApiUser user, ServedTenant served, TeamRollout rollout, ILogger<TeamRollout> logger, CancellationToken cancellationToken)
    {
        if (!served.Serves(user.TenantId))
        {
            return RolloutProblems.OtherTenant();
        }

        if (InvalidManagerId(managerId) is { } invalid)
        {
            return invalid;
        }

        var team = await rollout.RevokeAsync(served.Id!, managerId, user.UserId, cancellationToken, byAdmin: true);
        if (team is null)
        {
            return RolloutProblems.UnknownTeam();
        }

        logger.TeamChanged(managerId, AuditActions.TeamRevoked, user.UserId);
        return TypedResults.Ok(ToAdminView(team));
    }

    /// <summary>Lifts an administrator's revoke; the team stays revoked until its manager approves it again.</summary>
    private static async Task<Results<Ok<AdminTeamView>, ValidationProblem, ProblemHttpResult>> LiftRevokeAsync(string managerId, ApiUser user, ServedTenant served, TeamRollout rollout, ILogger<TeamRollout> logger, CancellationToken cancellationToken)
    {
        if (!served.Serves(user.TenantId))
        {
            return RolloutProblems.OtherTenant();
        }

        if (InvalidManagerId(managerId) is { } invalid)
        {
            return invalid;
        }

        var team = await rollout.LiftRevokeAsync(served.Id!, managerId, user.UserId, cancellationToken);
        if (team is null)
        {
            return RolloutProblems.UnknownTeam();
        }

        logger.TeamChanged(managerId, AuditActions.RevokeLifted, user.UserId);
        return TypedResults.Ok(ToAdminView(team));
    }

    private static ValidationProblem? InvalidManagerId(string managerId) =>
        managerId.Length > 64 || managerId.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            ? TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["managerId"] = ["A manager's directory object id (at most 64 characters, no spaces) is required."] },
                title: "The manager id is not valid.")
            : null;

    private static async Task<Results<Ok<AuditPage>, ValidationProblem, ProblemHttpResult>> ReadAuditAsync(string? page, string? pageSize, ApiUser user, ServedTenant served, IAuditLog audit, CancellationToken cancellationToken)
    {
        if (!served.Serves(user.TenantId))
        {
            return RolloutProblems.OtherTenant();
        }

        var errors = new Dictionary<string, string[]>();
        var pageNumber = ParseOrDefault(page, 1, 1, int.MaxValue / MaxPageSize, "page", "The page must be a whole number of at least 1.", errors);
        var size = ParseOrDefault(pageSize, DefaultPageSize, 1, MaxPageSize, "pageSize", $"The page size must be a whole number from 1 to {MaxPageSize}.", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The paging parameters are not valid.");
        }

        return TypedResults.Ok(await audit.ReadAsync(served.Id!, pageNumber, size, cancellationToken));
    }

    /// <summary>Queues a sweep for everyone, or names the one asked for shortly before (<see cref="SweepRequests"/>).</summary>
    private static async Task<Results<Accepted<SweepQueued>, ProblemHttpResult>> QueueSweepAsync(
        ApiUser user, ServedTenant served, SweepRequests sweeps, CancellationToken cancellationToken)
    {
        if (!served.Serves(user.TenantId))
        {
            return RolloutProblems.OtherTenant();
        }

        return TypedResults.Accepted((string?)null, await sweeps.RequestAsync(cancellationToken));
    }

    private static int ParseOrDefault(string? text, int fallback, int min, int max, string field, string message, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[field] = [message];
        return fallback;
    }

    private static async Task<(IReadOnlyList<string> Ids, ProblemHttpResult? Problem)> DirectReportsAsync(ICalendarGateway graph, string managerId, CancellationToken cancellationToken)
    {
        try
        {
            var reports = await graph.GetDirectReportsAsync(managerId, cancellationToken);
            return (reports.Select(r => r.Id).ToList(), null);
        }
        catch (GatewayException ex) when (ex.Failure == GatewayFailure.NotFound)
        {
            // The caller is not in the directory Graph reads: they have no team here.
            return ([], null);
        }
        catch (GatewayException ex)
        {
            return ([], RolloutProblems.GraphUnavailable(ex));
        }
    }

    private static TeamView ToView(TeamSummary? team) => team is null
        ? new TeamView(StateName(TeamState.NotEnabled), TeamFigure.Withheld, TeamFigure.Withheld, TeamFigure.Withheld, null, null, null)
        : new TeamView(StateName(team.State), team.Figures.Enrolled, team.Figures.OptedOut, team.Figures.ActiveThisMonth, team.Figures.AsOf, team.ApprovedAt, team.RevokedAt);

    private static AdminTeamView ToAdminView(TeamSummary team) =>
        new(team.ManagerId, StateName(team.State), team.Figures.Enrolled, team.Figures.OptedOut, team.Figures.ActiveThisMonth, team.Figures.AsOf, team.ApprovedAt, team.RevokedAt);

    internal static string StateName(TeamState state) => state switch
    {
        TeamState.Approved => "approved",
        TeamState.Revoked => "revoked",
        _ => "notEnabled",
    };
}

/// <summary>The rollout's errors as RFC 9457 problem details, in our own words.</summary>
internal static class RolloutProblems
{
    public static ProblemHttpResult OtherTenant() => TypedResults.Problem(
        statusCode: StatusCodes.Status403Forbidden,
        title: "Another organisation",
        detail: "This BossTalkCalendar service works for another organisation, so there is nothing here you can see or change.");

    public static ProblemHttpResult NoTeam() => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "No team",
        detail: "Your directory lists nobody who reports to you, so there is no team to show or approve.");

    public static ProblemHttpResult NotApproved() => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "Team not enabled",
        detail: "Your team has not been approved, so there is nothing to revoke.");

    public static ProblemHttpResult HeldByAdmin() => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "Revoked by an administrator",
        detail: "An administrator revoked BossTalk for your team. It stays off until an administrator lifts the revoke.");

    public static ProblemHttpResult UnknownTeam() => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "No such team",
        detail: "No team of this manager was ever approved in your organisation.");

    public static ProblemHttpResult GraphUnavailable(GatewayException ex) => ex.IsTransient
        ? TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Directory unavailable",
            detail: "Microsoft Graph did not answer just now. Please try again in a minute.")
        : TypedResults.Problem(
            statusCode: StatusCodes.Status502BadGateway,
            title: "Directory refused",
            detail: "Microsoft Graph refused to list your team. Ask your administrator to check the service's permissions.");
}

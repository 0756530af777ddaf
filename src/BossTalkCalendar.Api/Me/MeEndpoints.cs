using BossTalkCalendar.Api.Api;
using BossTalkCalendar.Api.Auth;
using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Graph;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Api.Me;

/// <summary>/api/v1/me: who the caller is to BossTalk, their preferences, opt-out and opt-in.</summary>
public static class MeEndpoints
{
    private const int RecentNudges = 20;

    private static readonly Dictionary<string, string> Hints = new(StringComparer.Ordinal)
    {
        ["coolDownMinutes"] = "Use a whole number of minutes from 15 to 1440.",
        ["reflectionMinutes"] = "Use a whole number of minutes from 10 to 120.",
        ["counterpart"] = "Use \"manager\" or \"anyOne\".",
        ["paused"] = "Use true or false.",
        ["mode"] = "Use \"everyOneOnOne\" or \"whenIFlag\".",
        ["relationship"] = "Use \"friendly\", \"formal\" or \"letGo\".",
        ["sendAlert"] = "Use true or false.",
    };

    /// <summary>How long "me" waits for Graph's directory and mailbox facts before answering without them.</summary>
    private static readonly TimeSpan GraphTimeBox = TimeSpan.FromMilliseconds(500);

    public static IServiceCollection AddMe(this IServiceCollection services) =>
        services.AddScoped<Participation>().AddSingleton<ParticipationLimit>();

    public static RouteGroupBuilder MapMe(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").WithTags("Me");
        me.MapGet("", GetAsync);
        me.MapGet("/preferences", GetPreferencesAsync);
        me.MapPut("/preferences", PutPreferencesAsync);
        me.MapPost("/opt-out", OptOutAsync);
        me.MapPost("/opt-in", OptInAsync);
        return api;
    }

    private static async Task<Ok<MeDto>> GetAsync(
        ApiUser user, Participation participation, IDbContextFactory<BossTalkDbContext> contexts, ICalendarGateway graph,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var row = await participation.FindAsync(user, cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Only the nudges shown, bounded in SQL.
        var nudges = await NudgeStore.LatestOfUserAsync(db, user.TenantId, user.UserId, RecentNudges, cancellationToken);

        // Directory and mailbox facts are shown when Graph answers; "me" itself must never fail or stall because of
        // Graph, so both reads share one short time box and run side by side.
        var isManager = false;
        string? timeZone = null;
        using var timeBox = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeBox.CancelAfter(GraphTimeBox);
        var reports = graph.GetDirectReportsAsync(user.UserId, timeBox.Token);
        var profile = row is { Enrolled: true } ? graph.GetMailboxProfileAsync(user.UserId, timeBox.Token) : null;
        try
        {
            isManager = (await reports).Count > 0;
        }
        catch (Exception ex) when (Unanswered(ex, timeBox, cancellationToken))
        {
            loggers.CreateLogger(typeof(MeEndpoints)).GraphDetailsUnavailable(user.UserId, (ex as GatewayException)?.Failure);
        }

        if (profile is not null)
        {
            try
            {
                timeZone = ZoneIds.IanaOf((await profile).TimeZone);
            }
            catch (Exception ex) when (Unanswered(ex, timeBox, cancellationToken))
            {
                loggers.CreateLogger(typeof(MeEndpoints)).GraphDetailsUnavailable(user.UserId, (ex as GatewayException)?.Failure);
            }
        }

        return TypedResults.Ok(new MeDto(
            user.UserId,
            user.TenantId,
            row?.Enrolled ?? false,
            row?.OptedOut ?? false,
            isManager,
            participation.Effective(row),
            timeZone,
            [.. nudges.Select(NudgeDto.From)]));
    }

    /// <summary>A Graph failure, or the time box passing while the caller is still waiting.</summary>
    private static bool Unanswered(Exception ex, CancellationTokenSource timeBox, CancellationToken cancellationToken) =>
        ex is GatewayException
        || (ex is OperationCanceledException && timeBox.IsCancellationRequested && !cancellationToken.IsCancellationRequested);

    /// <summary>The caller's preferences as they apply now: their own choices over the organisation's defaults.</summary>
    private static async Task<Ok<PreferencesDto>> GetPreferencesAsync(ApiUser user, Participation participation, CancellationToken cancellationToken) =>
        TypedResults.Ok(participation.Effective(await participation.FindAsync(user, cancellationToken)));

    private static async Task<Results<Ok<PreferencesDto>, ProblemHttpResult>> PutPreferencesAsync(
        ApiUser user, HttpContext context, Participation participation, ParticipationLimit limit, CancellationToken cancellationToken)
    {
        var body = await ApiJson.ReadAsync<PreferencesRequest>(context, Hints);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        var request = body.Value!;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.CoolDownMinutes is < 15 or > 1440)
        {
            errors["coolDownMinutes"] = [Hints["coolDownMinutes"]];
        }

        if (request.ReflectionMinutes is < 10 or > 120)
        {
            errors["reflectionMinutes"] = [Hints["reflectionMinutes"]];
        }

        if (request.Counterpart is { } counterpart && !Enum.IsDefined(counterpart))
        {
            errors["counterpart"] = [Hints["counterpart"]];
        }

        if (request.Mode is { } mode && !Enum.IsDefined(mode))
        {
            errors["mode"] = [Hints["mode"]];
        }

        if (request.Relationship is { } relationship && !Enum.IsDefined(relationship))
        {
            errors["relationship"] = [Hints["relationship"]];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        // Pausing and resuming are participation changes; the other preferences are not.
        if (request.Paused is not null && TooManyChanges(user, context, limit) is { } tooMany)
        {
            return tooMany;
        }

        return TypedResults.Ok(await participation.UpdatePreferencesAsync(user, request, cancellationToken));
    }

    private static async Task<Results<Ok<OptOutResult>, ProblemHttpResult>> OptOutAsync(
        ApiUser user, HttpContext context, Participation participation, ParticipationLimit limit, CancellationToken cancellationToken)
    {
        if (TooManyChanges(user, context, limit) is { } tooMany)
        {
            return tooMany;
        }

        return TypedResults.Ok(new OptOutResult(true, await participation.OptOutAsync(user, cancellationToken)));
    }

    private static async Task<Results<Ok<OptInResult>, ProblemHttpResult>> OptInAsync(
        ApiUser user, HttpContext context, Participation participation, ParticipationLimit limit, CancellationToken cancellationToken)
    {
        if (TooManyChanges(user, context, limit) is { } tooMany)
        {
            return tooMany;
        }

        await participation.OptInAsync(user, cancellationToken);
        return TypedResults.Ok(new OptInResult(false));
    }

    /// <summary>429 with Retry-After when the user made <see cref="ParticipationLimit.PerHour"/> changes in the last hour.</summary>
    private static ProblemHttpResult? TooManyChanges(ApiUser user, HttpContext context, ParticipationLimit limit)
    {
        if (limit.TryTake(user.TenantId, user.UserId) is not { } wait)
        {
            return null;
        }

        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ApiProblems.Problem(
            StatusCodes.Status429TooManyRequests,
            "Too many changes",
            $"You can opt out, opt in, pause or resume at most {ParticipationLimit.PerHour} times an hour. Try again in {seconds} seconds; nothing was changed.");
    }
}

internal static partial class MeLog
{
    /// <remarks><paramref name="failure"/> is null when Graph did not answer within the time box.</remarks>
    [LoggerMessage(LogLevel.Information, "Graph details for user {UserId} unavailable: {Failure}")]
    public static partial void GraphDetailsUnavailable(this ILogger logger, string userId, GatewayFailure? failure);
}

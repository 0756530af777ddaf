using System.Globalization;
using BossTalkCalendar.Api.Api;
using BossTalkCalendar.Api.Auth;
using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Outcomes;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Meetings;
using BossTalkCalendar.Core.Nudges;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Api.Meetings;

/// <summary>/api/v1/meetings: the caller's meetings, read live from Graph, and the nudges they ask for.</summary>
public static class MeetingEndpoints
{
    private const int DefaultDays = 7;
    private const int MaxDays = 14;

    private static readonly Dictionary<string, string> FollowUpHints = new(StringComparer.Ordinal)
    {
        ["tone"] = "Use \"casual\", \"formal\" or \"skip\".",
        ["invite"] = "Use true or false.",
    };

    private static readonly Dictionary<string, string> OutcomeHints = new(StringComparer.Ordinal)
    {
        ["outcome"] = "Use \"fine\", \"mixed\" or \"rough\".",
    };

    public static IServiceCollection AddMeetings(this IServiceCollection services) =>
        services.AddScoped<MeetingLookup>();

    public static RouteGroupBuilder MapMeetings(this RouteGroupBuilder api)
    {
        var meetings = api.MapGroup("/meetings").WithTags("Meetings");
        meetings.MapGet("", ListAsync);
        meetings.MapGet("/{eventId}", GetAsync);
        meetings.MapPost("/{eventId}/reflection", RequestReflectionAsync);
        meetings.MapPost("/{eventId}/follow-up", RequestFollowUpAsync);
        meetings.MapPut("/{eventId}/outcome", PutOutcomeAsync);
        return api;
    }

    private static async Task<Results<Ok<List<MeetingSummaryDto>>, ProblemHttpResult>> ListAsync(
        ApiUser user, string? days, MeetingLookup lookup, MeetingJudge judge, TimeProvider time, CancellationToken cancellationToken)
    {
        var span = DefaultDays;
        if (days is not null && (!int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out span) || span is < 1 or > MaxDays))
        {
            return ApiProblems.Validation("days", $"Use a whole number of days from 1 to {MaxDays}.");
        }

        if (await lookup.EnrolledAsync(user, cancellationToken) is not { } row)
        {
            return ApiProblems.NotEnrolled();
        }

        var now = time.GetUtcNow();
        var calendar = await lookup.CalendarAsync(user.UserId, new Interval(now - TimeSpan.FromDays(span), now + TimeSpan.FromDays(1)), cancellationToken);
        var zone = (await lookup.ProfileAsync(user.UserId, cancellationToken)).TimeZone;
        var people = await judge.PeopleAsync(user.UserId, cancellationToken);
        var counterpart = row.Counterpart ?? Counterpart.Manager;
        var list = calendar
            // BossTalk's own reflection blocks and holds are not meetings to reflect on.
            .Where(m => !m.IsCancelled && !m.IsOurs && m.Kind != EventKind.SeriesMaster)
            .OrderByDescending(m => m.Start)
            .Select(m =>
            {
                var verdict = judge.Judge(m, people, counterpart);
                return new MeetingSummaryDto(m.EventId, Local(m.Start, zone), Local(m.End, zone), ZoneIds.IanaOf(zone), verdict.IsOneOnOne, verdict.Ended);
            })
            .ToList();
        return TypedResults.Ok(list);
    }

    private static async Task<Results<Ok<MeetingDto>, ProblemHttpResult>> GetAsync(
        ApiUser user,
        string eventId,
        MeetingLookup lookup,
        MeetingJudge judge,
        NudgePolicies policies,
        IDbContextFactory<BossTalkDbContext> contexts,
        CancellationToken cancellationToken)
    {
        var (opened, problem) = await lookup.OpenAsync(user, eventId, cancellationToken);
        if (opened is null)
        {
            return problem!;
        }

        var verdict = judge.Judge(opened.Meeting, await judge.PeopleAsync(user.UserId, cancellationToken), opened.User.Counterpart ?? Counterpart.Manager);

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var meeting = opened.Meeting;
        // The nudges and the answer are read in one snapshot: a prep block settles and erases its answer in one
        // transaction, and two separate reads could still see the block placed next to the answer it erased.
        await using var snapshot = await db.BeginSnapshotAsync(cancellationToken);
        var nudges = await db.Nudges.AsNoTracking()
            .Where(n => n.TenantId == user.TenantId && n.UserId == user.UserId && n.MeetingICalUId == meeting.ICalUId)
            .ToListAsync(cancellationToken);
        var outcome = await MeetingOutcomes.FindAsync(db, user.TenantId, user.UserId, meeting.ICalUId, meeting.Start, cancellationToken);
        await snapshot.CommitAsync(cancellationToken);

        var prep = nudges.FirstOrDefault(n => n.Kind == NudgeKind.Prep && n.OccurrenceStart == meeting.Start);
        return TypedResults.Ok(new MeetingDto(
            meeting.EventId,
            meeting.ICalUId,
            Local(meeting.Start, opened.Zone),
            Local(meeting.End, opened.Zone),
            ZoneIds.IanaOf(opened.Zone),
            verdict.Ended,
            verdict.IsOneOnOne,
            ReasonCodes.Of(verdict.Reason),
            [.. nudges.OrderBy(n => n.CreatedAt).Select(NudgeDto.From)],
            outcome,
            Local(meeting.End + policies.ReflectionFor(opened.User).CoolDown, opened.Zone),
            prep?.NextMeetingStart is { } next ? Local(next, opened.Zone) : null,
            OutcomeResponder.SuggestedTone(opened.User.Relationship)));
    }

    private static async Task<Results<Ok<OutcomeDto>, ProblemHttpResult>> PutOutcomeAsync(
        ApiUser user, string eventId, HttpContext context, MeetingLookup lookup, OutcomeResponder responder, CancellationToken cancellationToken)
    {
        // The body first: a bad request changes nothing and costs no Graph call.
        var body = await ApiJson.ReadAsync<OutcomeRequest>(context, OutcomeHints);
        if (body.Problem is { } bad)
        {
            return bad;
        }

        if (body.Value!.Outcome is not { } outcome || !Enum.IsDefined(outcome))
        {
            return ApiProblems.Validation("outcome", OutcomeHints["outcome"]);
        }

        // How it went is asked of a one-on-one with the manager that has ended.
        var (opened, problem) = await lookup.OpenEndedOneOnOneAsync(user, eventId, Counterpart.Manager, cancellationToken);
        if (opened is null)
        {
            return problem!;
        }

        var result = await responder.ApplyAsync(user, opened.User, opened.Meeting, outcome, cancellationToken);
        return TypedResults.Ok(new OutcomeDto(result.Outcome, [.. result.Changed.Select(NudgeDto.From)], result.SuggestedTone));
    }

    private static async Task<Results<Accepted<NudgeDto>, Ok<NudgeDto>, ProblemHttpResult>> RequestReflectionAsync(
        ApiUser user, string eventId, MeetingLookup lookup, NudgeRequests requests, CancellationToken cancellationToken)
    {
        var (opened, problem) = await lookup.OpenEndedOneOnOneAsync(user, eventId, counterpart: null, cancellationToken);
        if (opened is null)
        {
            return problem!;
        }

        var result = await requests.RequestAsync(user, opened.Meeting, NudgeKind.Reflection, tone: null, invite: null, cancellationToken);
        return Answer(result);
    }

    private static async Task<Results<Accepted<NudgeDto>, Ok<NudgeDto>, ProblemHttpResult>> RequestFollowUpAsync(
        ApiUser user, string eventId, HttpContext context, MeetingLookup lookup, NudgeRequests requests, CancellationToken cancellationToken)
    {
        // The body first: a bad request changes nothing and costs no Graph call.
        var body = await ApiJson.ReadAsync<FollowUpRequest>(context, FollowUpHints);
        if (body.Problem is { } bad)
        {
            return bad;
        }

        if (body.Value!.Tone is not { } tone || !Enum.IsDefined(tone))
        {
            return ApiProblems.Validation("tone", FollowUpHints["tone"]);
        }

        // A follow-up is always with the manager, whoever else counts for reflections.
        var (opened, problem) = await lookup.OpenEndedOneOnOneAsync(user, eventId, Counterpart.Manager, cancellationToken);
        if (opened is null)
        {
            return problem!;
        }

        var result = await requests.RequestAsync(user, opened.Meeting, NudgeKind.FollowUp, tone, body.Value.Invite ?? false, cancellationToken);
        if (result.Outcome == RequestOutcome.Conflict)
        {
            var existing = result.Nudge;
            var invited = existing.Invite == true ? "with an invitation to your manager" : "without an invitation";
            return ApiProblems.Problem(
                StatusCodes.Status409Conflict,
                "Follow-up already requested",
                $"You already asked for a {ReasonCodes.Camel(existing.Tone?.ToString() ?? "casual")} follow-up {invited} for this meeting; it stays as it is.",
                new Dictionary<string, object?> { ["nudge"] = NudgeDto.From(existing) });
        }

        return Answer(result);
    }

    private static Results<Accepted<NudgeDto>, Ok<NudgeDto>, ProblemHttpResult> Answer(RequestResult result)
    {
        var dto = NudgeDto.From(result.Nudge);
        return result.Outcome == RequestOutcome.Existing
            ? TypedResults.Ok(dto)
            : TypedResults.Accepted($"{ApiSetup.PathPrefix}/nudges/{dto.Id}", dto);
    }

    private static DateTimeOffset Local(DateTimeOffset instant, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(instant, zone);
}

using System.Buffers;
using BossTalkCalendar.Api.Api;
using BossTalkCalendar.Api.Auth;
using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Graph;
using BossTalkCalendar.Core.Meetings;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Api.Meetings;

/// <summary>A meeting opened from the caller's own calendar, with the zone to show its times in.</summary>
public sealed record OpenedMeeting(EnrolledUser User, Meeting Meeting, TimeZoneInfo Zone);

/// <summary>
/// Finds meetings in the caller's own calendar. The event is read as the caller (token oid) from Graph, so someone
/// else's event id is simply not found; the service reads calendars of enrolled users only.
/// </summary>
public sealed class MeetingLookup(ICalendarGateway graph, MeetingJudge judge, IDbContextFactory<BossTalkDbContext> contexts)
{
    private const int MaxEventIdLength = 512;

    private static readonly SearchValues<char> IdCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=");

    /// <summary>
    /// The REST form of an event id: Office.js hands out EWS ids, which differ only by '+' for '_' and '/' for '-'
    /// (a '/' may arrive escaped as %2F because it cannot travel in a path segment otherwise).
    /// </summary>
    public static bool TryNormaliseEventId(string? raw, out string eventId)
    {
        eventId = (raw ?? "").Trim()
            .Replace("%2F", "/", StringComparison.OrdinalIgnoreCase)
            .Replace("%2B", "+", StringComparison.OrdinalIgnoreCase)
            .Replace("%3D", "=", StringComparison.OrdinalIgnoreCase)
            .Replace('+', '_')
            .Replace('/', '-');
        return eventId.Length is > 0 and <= MaxEventIdLength && !eventId.AsSpan().ContainsAnyExcept(IdCharacters);
    }

    /// <summary>The caller's row, when they are enrolled.</summary>
    public async Task<EnrolledUser?> EnrolledAsync(ApiUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.EnrolledUsers.AsNoTracking()
            .SingleOrDefaultAsync(u => u.TenantId == user.TenantId && u.UserId == user.UserId && u.Enrolled, cancellationToken);
    }

    /// <summary>400 for a malformed id, 403 when not enrolled, 404 when not in the caller's calendar, 422 for a series master.</summary>
    public async Task<(OpenedMeeting? Meeting, ProblemHttpResult? Problem)> OpenAsync(ApiUser user, string? rawEventId, CancellationToken cancellationToken)
    {
        if (!TryNormaliseEventId(rawEventId, out var eventId))
        {
            return (null, ApiProblems.Validation("eventId", "Use the meeting's event id as Outlook or Microsoft Graph gives it."));
        }

        if (await EnrolledAsync(user, cancellationToken) is not { } row)
        {
            return (null, ApiProblems.NotEnrolled());
        }

        Meeting? meeting;
        try
        {
            meeting = await graph.GetEventAsync(user.UserId, eventId, cancellationToken);
        }
        catch (GatewayException ex) when (ex.Failure == GatewayFailure.Invalid)
        {
            // Graph refuses an id it cannot even parse: for the caller that is simply no such meeting.
            meeting = null;
        }

        if (meeting is { IsOurs: true })
        {
            // Opened on one of our own blocks (the pane in Outlook on a reflection block, or its link): it stands for
            // the meeting it was placed for. Ids are immutable ids (docs/graph.md), so the event's id is the one recorded.
            meeting = await SourceMeetingAsync(user, meeting.EventId, cancellationToken);
        }

        if (meeting is null)
        {
            return (null, ApiProblems.MeetingNotFound());
        }

        if (meeting.Kind == EventKind.SeriesMaster)
        {
            return (null, ApiProblems.Problem(
                StatusCodes.Status422UnprocessableEntity,
                "This is a whole series",
                "Open a single occurrence of the recurring meeting instead of the series.",
                new Dictionary<string, object?> { ["reason"] = "seriesMaster" }));
        }

        var zone = (await graph.GetMailboxProfileAsync(user.UserId, cancellationToken)).TimeZone;
        return (new OpenedMeeting(row, meeting, zone), null);
    }

    /// <summary>
    /// The checks every request about an ended one-on-one makes, in one order: the meeting opens (<see cref="OpenAsync"/>),
    /// the caller has not opted out (403), and the judge finds a one-on-one with <paramref name="counterpart"/> (else
    /// 422) that has ended (else 409).
    /// </summary>
    /// <param name="user">The caller.</param>
    /// <param name="rawEventId">The event id as the route gave it.</param>
    /// <param name="counterpart">Whom the meeting must be with; null: the caller's own setting (reflections).</param>
    /// <param name="cancellationToken">Stops the reads.</param>
    public async Task<(OpenedMeeting? Meeting, ProblemHttpResult? Problem)> OpenEndedOneOnOneAsync(
        ApiUser user, string? rawEventId, Counterpart? counterpart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var (opened, problem) = await OpenAsync(user, rawEventId, cancellationToken);
        if (opened is null)
        {
            return (null, problem);
        }

        if (opened.User.OptedOut)
        {
            return (null, ApiProblems.OptedOut());
        }

        var verdict = judge.Judge(opened.Meeting, await judge.PeopleAsync(user.UserId, cancellationToken), counterpart ?? opened.User.Counterpart ?? Counterpart.Manager);
        return NotDue(verdict) is { } notDue ? (null, notDue) : (opened, null);
    }

    /// <summary>422 when the meeting is not a one-on-one that counts, 409 when it is one that has not ended yet.</summary>
    private static ProblemHttpResult? NotDue(MeetingVerdict verdict)
    {
        if (!verdict.IsOneOnOne)
        {
            var reason = ReasonCodes.Of(verdict.Reason);
            return ApiProblems.Problem(
                StatusCodes.Status422UnprocessableEntity,
                "Not a one-on-one",
                ReasonCodes.Text(reason) ?? "This meeting does not count as a one-on-one.",
                new Dictionary<string, object?> { ["reason"] = reason });
        }

        return verdict.Ended
            ? null
            : ApiProblems.Problem(
                StatusCodes.Status409Conflict,
                "Meeting not over yet",
                "Ask again once the meeting has ended.",
                new Dictionary<string, object?> { ["reason"] = "notEnded" });
    }

    private async Task<Meeting?> SourceMeetingAsync(ApiUser user, string ourEventId, CancellationToken cancellationToken)
    {
        string? meetingEventId;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            meetingEventId = await db.Nudges.AsNoTracking()
                .Where(n => n.TenantId == user.TenantId && n.UserId == user.UserId && n.CreatedEventId == ourEventId)
                .Select(n => n.MeetingEventId)
                .FirstOrDefaultAsync(cancellationToken);
        }

        return meetingEventId is null ? null : await graph.GetEventAsync(user.UserId, meetingEventId, cancellationToken);
    }

    public Task<IReadOnlyList<Meeting>> CalendarAsync(string userId, Interval window, CancellationToken cancellationToken) =>
        graph.GetCalendarViewAsync(userId, window, cancellationToken);

    public Task<MailboxProfile> ProfileAsync(string userId, CancellationToken cancellationToken) =>
        graph.GetMailboxProfileAsync(userId, cancellationToken);
}

using BossTalkCalendar.Api.Auth;
using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Graph;
using BossTalkCalendar.Core.Meetings;
using BossTalkCalendar.Core.Nudges;
using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Api.SendCheck;

/// <summary>
/// Decides whether a send to the manager comes soon after the last one-on-one with them. It answers from the app's
/// own records (the reflection nudges the scan keeps: meeting ends only) and the cached directory; only when those
/// have nothing does it read the short stretch of calendar since the user's last scan, so a one-on-one that ended a
/// few minutes ago still counts. Every Graph call shares one time box; whatever does not answer in it means "quiet".
/// </summary>
public sealed class SendChecker(
    IDbContextFactory<BossTalkDbContext> contexts,
    ICalendarGateway graph,
    MeetingJudge judge,
    NudgePolicies policies,
    TimeProvider time,
    ILogger<SendChecker> logger)
{
    /// <summary>A one-on-one the user marked rough ("How did it go?") keeps the alert on this long after it ended.</summary>
    public static readonly TimeSpan RoughWindow = TimeSpan.FromDays(1);

    /// <summary>All Graph reads of one check together; the handler itself gives up after 1.5 s.</summary>
    public static readonly TimeSpan GraphTimeBox = TimeSpan.FromMilliseconds(800);

    /// <summary>How many recent nudges are looked at (newest first); a day's one-on-ones fit easily.</summary>
    private const int RecentNudges = 50;

    /// <summary>Overlap with the last scan, so a meeting ending just as the scan ran is not missed.</summary>
    private static readonly TimeSpan ScanOverlap = TimeSpan.FromMinutes(5);

    public async Task<SendCheckDto> CheckAsync(ApiUser user, SendKind kind, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(recipients);

        // A message speaks to the manager only when they are its one To recipient; a meeting when they are a required attendee.
        if (kind == SendKind.Message && recipients.Count != 1)
        {
            return SendCheckDto.Quiet;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.EnrolledUsers.AsNoTracking()
            .SingleOrDefaultAsync(u => u.TenantId == user.TenantId && u.UserId == user.UserId, cancellationToken);
        if (row is null || !row.IsActive || !policies.SendAlertFor(row))
        {
            return SendCheckDto.Quiet;
        }

        using var timeBox = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeBox.CancelAfter(GraphTimeBox);
        try
        {
            return await CheckActiveAsync(db, row, recipients, timeBox.Token);
        }
        catch (Exception ex) when (ex is GatewayException || (ex is OperationCanceledException && timeBox.IsCancellationRequested && !cancellationToken.IsCancellationRequested))
        {
            logger.SendCheckUnanswered(user.UserId, (ex as GatewayException)?.Failure);
            return SendCheckDto.Quiet;
        }
    }

    private async Task<SendCheckDto> CheckActiveAsync(BossTalkDbContext db, EnrolledUser row, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        var manager = await graph.GetManagerAsync(row.UserId, cancellationToken);
        if (manager is null || !recipients.Any(r => string.Equals(r.Trim(), manager.Email, StringComparison.OrdinalIgnoreCase)))
        {
            return SendCheckDto.Quiet;
        }

        var now = time.GetUtcNow();
        var coolDown = policies.ReflectionFor(row).CoolDown;
        var lookBack = coolDown > RoughWindow ? coolDown : RoughWindow;

        var nudges = await NudgeStore.LatestOfUserAsync(db, row.TenantId, row.UserId, RecentNudges, cancellationToken);
        var recent = nudges
            .Where(n => n.Kind == NudgeKind.Reflection && n.MeetingEnd <= now && now - n.MeetingEnd < lookBack)
            .OrderByDescending(n => n.MeetingEnd)
            .ToList();

        // Marked rough: the answer itself while it is kept, or the prep block it asked for (the answer is erased once
        // that block is placed).
        var rough = (await db.MeetingOutcomes.AsNoTracking()
                .Where(o => o.TenantId == row.TenantId && o.UserId == row.UserId && o.Outcome == TalkOutcome.Rough)
                .Select(o => new { o.MeetingICalUId, o.OccurrenceStart })
                .ToListAsync(cancellationToken))
            .Select(o => (o.MeetingICalUId, o.OccurrenceStart))
            .Concat(nudges.Where(n => n.Kind == NudgeKind.Prep).Select(n => (n.MeetingICalUId, n.OccurrenceStart)))
            .ToHashSet();

        foreach (var nudge in recent)
        {
            // With "anyone" as counterpart a reflection may be for a one-on-one with someone else: ask the calendar.
            if (row.Counterpart is Counterpart.AnyOne && !await WithManagerAsync(row.UserId, nudge.MeetingEventId, cancellationToken))
            {
                continue;
            }

            // The last one-on-one with the manager decides.
            var since = now - nudge.MeetingEnd;
            var isRough = since < RoughWindow && rough.Contains((nudge.MeetingICalUId, nudge.OccurrenceStart));
            return since < coolDown || isRough ? Suggest(since) : SendCheckDto.Quiet;
        }

        // Nothing recorded: a one-on-one may have ended since the last scan, which only the calendar knows yet.
        var from = now - coolDown;
        if (row.LastScanAt is { } scanned && scanned - ScanOverlap > from)
        {
            from = scanned - ScanOverlap;
        }

        if (from >= now)
        {
            return SendCheckDto.Quiet;
        }

        var people = await judge.PeopleAsync(row.UserId, cancellationToken);
        var latest = (await graph.GetCalendarViewAsync(row.UserId, new Interval(from, now), cancellationToken))
            .Where(m => m.End > from && m.End <= now && judge.Judge(m, people, Counterpart.Manager) is { IsOneOnOne: true, Ended: true })
            .Select(m => (DateTimeOffset?)m.End)
            .Max();
        return latest is { } end ? Suggest(now - end) : SendCheckDto.Quiet;
    }

    private async Task<bool> WithManagerAsync(string userId, string eventId, CancellationToken cancellationToken)
    {
        var meeting = await graph.GetEventAsync(userId, eventId, cancellationToken);
        return meeting is not null && judge.Judge(meeting, await judge.PeopleAsync(userId, cancellationToken), Counterpart.Manager).IsOneOnOne;
    }

    private static SendCheckDto Suggest(TimeSpan since) =>
        new(SendVerdict.SuggestWaiting, Math.Max(0, (int)Math.Floor(since.TotalMinutes)));
}

internal static partial class SendCheckLog
{
    /// <remarks>Ids and a failure code only: never the addresses that were checked.</remarks>
    [LoggerMessage(LogLevel.Information, "Send check for user {UserId} answered quiet: Graph did not answer ({Failure})")]
    public static partial void SendCheckUnanswered(this ILogger logger, string userId, GatewayFailure? failure);
}

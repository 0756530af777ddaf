using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Graph;
using BossTalkCalendar.Core.Meetings;

namespace BossTalkCalendar.Api.Nudges;

/// <summary>The calendar owner and their manager, as the directory has them now.</summary>
public sealed record People(DirectoryUser Owner, DirectoryUser? Manager);

/// <summary>Whether a meeting counts, judged live against the directory.</summary>
/// <param name="IsOneOnOne">Two people, the right counterpart, not ours, cancelled, all-day, declined or too long (ended or not).</param>
/// <param name="Ended">It has ended (or ends within the detector's grace).</param>
/// <param name="Reason">The first rule that failed, <see cref="NotOneOnOneReason.NotEnded"/> for a one-on-one still running, or None.</param>
public sealed record MeetingVerdict(bool IsOneOnOne, bool Ended, NotOneOnOneReason Reason);

/// <summary>
/// The one place that decides whether a meeting is a one-on-one that earns a nudge: the scan, the placement (which
/// re-checks the meeting at run time) and the add-in's meeting endpoints all ask here. The rules themselves are
/// <see cref="OneOnOneDetector"/>'s; this adds the directory (who the owner and the manager are) and the live
/// questions (is it gone, cancelled, has it ended).
/// </summary>
public sealed class MeetingJudge(ICalendarGateway graph, TimeProvider time)
{
    /// <summary>The owner and their manager (one cached Graph request).</summary>
    public async Task<People> PeopleAsync(string userId, CancellationToken cancellationToken) =>
        new(await graph.GetUserAsync(userId, cancellationToken), await graph.GetManagerAsync(userId, cancellationToken));

    /// <summary>Judges the meeting's shape apart from time, then whether it has ended, so a 1:1 still running is a 1:1 that has not ended.</summary>
    public MeetingVerdict Judge(Meeting meeting, People people, Counterpart counterpart)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        ArgumentNullException.ThrowIfNull(people);
        var now = time.GetUtcNow();
        var shape = OneOnOneDetector.Check(meeting, people.Owner.Email, people.Manager?.Email, counterpart, meeting.End > now ? meeting.End : now);
        var ended = meeting.End <= now + OneOnOneDetector.EndGrace;
        var reason = !shape.IsOneOnOne ? shape.Reason : ended ? NotOneOnOneReason.None : NotOneOnOneReason.NotEnded;
        return new MeetingVerdict(shape.IsOneOnOne, ended, reason);
    }

    /// <summary>
    /// A placement's re-check: the meeting as it is now (null: it is gone) must still be a one-on-one with the right
    /// person that has ended. Returns the people it was judged against, or the reason to stop.
    /// </summary>
    public async Task<(People? People, PlacementOutcome? Stop)> RecheckAsync(EnrolledUser user, Meeting? meeting, Counterpart counterpart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (meeting is null)
        {
            return (null, PlacementOutcome.Cancelled(NudgeReasons.MeetingGone));
        }

        if (meeting.IsCancelled)
        {
            return (null, PlacementOutcome.Cancelled(NudgeReasons.MeetingCancelled));
        }

        var people = await PeopleAsync(user.UserId, cancellationToken);
        if (counterpart == Counterpart.Manager && people.Manager is null)
        {
            return (null, PlacementOutcome.Cancelled(NudgeReasons.NoManager));
        }

        var check = OneOnOneDetector.Check(meeting, people.Owner.Email, people.Manager?.Email, counterpart, time.GetUtcNow());
        return check.IsOneOnOne
            ? (people, null)
            : (null, PlacementOutcome.Cancelled(NudgeReasons.NotOneOnOne(check.Reason)));
    }
}

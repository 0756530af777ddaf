using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Nudges;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Api.Jobs;

/// <summary>
/// The app database, not Hangfire's storage, is the source of truth for pending work: a planned nudge whose
/// placement job is gone (lost storage, a crash between insert and enqueue, a job Hangfire gave up on) gets a new one.
/// </summary>
public sealed class PendingNudges(
    IDbContextFactory<BossTalkDbContext> contexts,
    JobStorage storage,
    INudgeScheduler scheduler,
    Microsoft.Extensions.Options.IOptions<JobsOptions> options,
    TimeProvider time,
    ILogger<PendingNudges> logger)
{
    // A scan records the job id just after inserting the nudge; leave such fresh nudges alone.
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    /// <param name="afterRestart">True at start-up: a job still marked processing (or enqueued but already fetched) then belonged to a process that is gone.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    /// <returns>How many nudges got a new placement job.</returns>
    public async Task<int> RecoverAsync(bool afterRestart, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var planned = await db.Nudges.AsNoTracking()
            .Where(n => n.State == NudgeState.Planned)
            .Select(n => new { n.Id, n.HangfireJobId, n.CreatedAt, n.MeetingEnd })
            .ToListAsync(cancellationToken);

        var now = time.GetUtcNow();
        var lost = new List<Guid>();
        using var connection = storage.GetConnection();
        // A batch's nudges share one placement job: ask the storage once per job.
        var states = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var nudge in planned)
        {
            if (!afterRestart && now - nudge.CreatedAt < Grace)
            {
                continue;
            }

            string? state = null;
            if (nudge.HangfireJobId is { } jobId && !states.TryGetValue(jobId, out state))
            {
                state = states[jobId] = connection.GetJobData(jobId)?.State;
            }

            // After a crash, a job still marked enqueued may have been fetched by the dead process just before it
            // moved to processing; its queue entry stays invisible until the storage's invisibility timeout (minutes).
            // Placement is idempotent, so queueing it again costs at most one redundant run.
            // A job scheduled for later is alive, unless its meeting has ended meanwhile by our clock (the service was
            // down over the meeting's end, or a move was undone): then it runs now, and the later run finds it settled.
            var alive = (state == ScheduledState.StateName && nudge.MeetingEnd > now) || state == AwaitingState.StateName
                || ((state == EnqueuedState.StateName || state == ProcessingState.StateName) && !afterRestart);
            if (alive)
            {
                continue;
            }

            lost.Add(nudge.Id);
        }

        // One job per batch, as the scan queues them; each user's nudges still take turns under the user's lease.
        foreach (var batch in lost.Chunk(options.Value.BatchSize))
        {
            await scheduler.QueueAsync(batch, cancellationToken);
        }

        if (lost.Count > 0)
        {
            logger.Recovered(lost.Count);
        }

        return lost.Count;
    }
}

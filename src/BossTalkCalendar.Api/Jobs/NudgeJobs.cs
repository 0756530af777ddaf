using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Nudges;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Api.Jobs;

/// <summary>The placement job of each nudge kind, so every caller queues the right one.</summary>
public static class NudgeJobs
{
    public static string Enqueue(IBackgroundJobClient jobs, NudgeKind kind, Guid nudgeId)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        return kind switch
        {
            NudgeKind.Reflection => jobs.Enqueue<PlaceReflectionJob>(job => job.RunAsync(nudgeId, CancellationToken.None)),
            NudgeKind.FollowUp => jobs.Enqueue<PlaceFollowUpJob>(job => job.RunAsync(nudgeId, CancellationToken.None)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown nudge kind."),
        };
    }

    public static string Schedule(IBackgroundJobClient jobs, NudgeKind kind, Guid nudgeId, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        return kind switch
        {
            NudgeKind.Reflection => jobs.Schedule<PlaceReflectionJob>(job => job.RunAsync(nudgeId, CancellationToken.None), delay),
            NudgeKind.FollowUp => jobs.Schedule<PlaceFollowUpJob>(job => job.RunAsync(nudgeId, CancellationToken.None), delay),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown nudge kind."),
        };
    }

    /// <summary>Queues the placement and records the job id while the nudge is still planned.</summary>
    public static async Task<string> QueueAsync(BossTalkDbContext db, IBackgroundJobClient jobs, NudgeKind kind, Guid nudgeId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var jobId = Enqueue(jobs, kind, nudgeId);
        await db.Nudges
            .Where(n => n.Id == nudgeId && n.State == NudgeState.Planned)
            .ExecuteUpdateAsync(set => set.SetProperty(n => n.HangfireJobId, jobId), cancellationToken);
        return jobId;
    }
}

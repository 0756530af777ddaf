using BossTalkCalendar.Api.Nudges;
using Hangfire;

namespace BossTalkCalendar.Api.Jobs;

/// <summary>Placement work as Hangfire jobs: every nudge, whatever its kind, is placed by <see cref="PlaceNudgesJob"/>.</summary>
public sealed class HangfireNudgeScheduler(IBackgroundJobClient jobs, NudgeStore store) : INudgeScheduler
{
    public async Task<string> QueueAsync(IReadOnlyCollection<Guid> nudgeIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nudgeIds);
        var ids = nudgeIds.ToArray();
        var jobId = jobs.Enqueue<PlaceNudgesJob>(job => job.RunAsync(ids, CancellationToken.None));
        await store.AttachJobAsync(ids, jobId, cancellationToken);
        return jobId;
    }

    public string Schedule(Guid nudgeId, TimeSpan delay) =>
        jobs.Schedule<PlaceNudgesJob>(job => job.RunAsync(new[] { nudgeId }, CancellationToken.None), delay);

    public async Task DeleteUnusedAsync(IEnumerable<string> jobIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        foreach (var jobId in jobIds.Distinct(StringComparer.Ordinal))
        {
            // Job ids are never handed out again, so no nudge can start waiting on this one after the look.
            if (!await store.IsAwaitedAsync(jobId, cancellationToken))
            {
                jobs.Delete(jobId);
            }
        }
    }
}

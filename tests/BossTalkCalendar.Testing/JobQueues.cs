using System.Globalization;
using Hangfire.Storage;

namespace BossTalkCalendar.Testing;

/// <summary>Hangfire's queues as the tests wait on them.</summary>
public static class JobQueues
{
    /// <summary>
    /// Nothing queued, fetched or running, and nothing scheduled to run within two minutes. A placement planned ahead
    /// for a one-on-one still to come is scheduled for its end on Hangfire's wall clock, hours away in a test's time:
    /// it is not work the test waits for.
    /// </summary>
    /// <remarks>
    /// Each count is a query of its own, so one reading can miss a job between two states: a worker takes a job off
    /// the queue (fetched) before it marks it processing, and a job that finishes can queue the next one between two
    /// queries. Counting fetched jobs closes the first gap; <see cref="BossTalkCalendarApplication.UntilQueuesDrainAsync"/>
    /// asks for two idle readings in a row to close the second (a CI flake: the placement a rescan queued was taken
    /// for done while a worker had fetched it and not yet marked it processing).
    /// </remarks>
    public static bool IsIdle(IMonitoringApi monitoring) => Busy(monitoring) is null;

    /// <summary>What keeps the queues from being idle (counts and job types), or null when they are idle.</summary>
    /// <remarks>The states are read in the order a job moves through them, so a job moving on is seen in the next.</remarks>
    public static string? Busy(IMonitoringApi monitoring)
    {
        ArgumentNullException.ThrowIfNull(monitoring);
        var enqueued = monitoring.EnqueuedJobs("default", 0, 100).Select(j => j.Value.Job?.Type.Name).ToList();
        // A fetched queue entry of a job already in a final state is not work: a fresh-clone run saw a ScanUsersJob
        // stay fetched for two minutes on PostgreSQL with two instances and nothing processing (its state was not kept).
        var fetched = monitoring.FetchedJobs("default", 0, 100)
            .Where(j => j.Value.State is not ("Succeeded" or "Deleted" or "Failed"))
            .Select(j => string.Create(CultureInfo.InvariantCulture, $"{j.Value.Job?.Type.Name} #{j.Key} ({j.Value.State}, fetched {j.Value.FetchedAt:HH:mm:ss.fff})")).ToList();
        var processing = monitoring.ProcessingJobs(0, 100).Select(j => j.Value.Job?.Type.Name + " on " + j.Value.ServerId).ToList();
#pragma warning disable RS0030 // Hangfire schedules on the wall clock; this compares with it
        var soon = DateTime.UtcNow.AddMinutes(2);
#pragma warning restore RS0030
        var scheduled = monitoring.ScheduledJobs(0, 1000).Where(job => job.Value.EnqueueAt <= soon).Select(j => j.Value.Job?.Type.Name).ToList();
        return enqueued.Count + fetched.Count + processing.Count + scheduled.Count == 0
            ? null
            : $"enqueued [{string.Join(", ", enqueued)}], fetched [{string.Join(", ", fetched)}], processing [{string.Join(", ", processing)}], scheduled within 2 min [{string.Join(", ", scheduled)}]";
    }

    /// <summary>
    /// True when no job of <typeparamref name="TJob"/> is queued, fetched or running (a worker fetches a job before it
    /// marks it processing, so a wait that skips fetched jobs can pass while one is about to run).
    /// </summary>
    public static bool NoneOf<TJob>(IMonitoringApi monitoring)
    {
        ArgumentNullException.ThrowIfNull(monitoring);
        return !monitoring.EnqueuedJobs("default", 0, 1000).Any(j => j.Value.Job?.Type == typeof(TJob))
            && !monitoring.FetchedJobs("default", 0, 1000).Any(j => j.Value.Job?.Type == typeof(TJob))
            && !monitoring.ProcessingJobs(0, 1000).Any(j => j.Value.Job?.Type == typeof(TJob));
    }
}

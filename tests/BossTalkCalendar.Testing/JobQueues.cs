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
    public static bool IsIdle(IMonitoringApi monitoring)
    {
        ArgumentNullException.ThrowIfNull(monitoring);
        if (monitoring.EnqueuedCount("default") != 0 || monitoring.FetchedCount("default") != 0 || monitoring.ProcessingCount() != 0)
        {
            return false;
        }

        var scheduled = monitoring.ScheduledCount();
#pragma warning disable RS0030 // Hangfire schedules on the wall clock; this compares with it
        var soon = DateTime.UtcNow.AddMinutes(2);
#pragma warning restore RS0030
        return scheduled == 0 || monitoring.ScheduledJobs(0, (int)scheduled).All(job => job.Value.EnqueueAt > soon);
    }
}

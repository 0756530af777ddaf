using System.Diagnostics;
using System.Diagnostics.Metrics;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Nudges;
using Hangfire;
using Hangfire.Server;

namespace BossTalkCalendar.Api.Jobs;

/// <summary>
/// The service's own instruments: background jobs by kind and outcome, job and sweep durations, and nudges settled
/// by kind and state. Tags carry kinds and states only, never a user, meeting or text.
/// </summary>
public static class JobMetrics
{
    /// <summary>Name of the <see cref="Meter"/> and <see cref="ActivitySource"/> to subscribe to.</summary>
    public const string Name = "BossTalkCalendar.Jobs";

    /// <summary>Counter of finished job runs, tagged <c>kind</c> (the job class) and <c>outcome</c> (succeeded/failed).</summary>
    public const string JobsInstrument = "bosstalk.jobs";

    /// <summary>Histogram of job run duration in seconds, tagged <c>kind</c> and <c>outcome</c>.</summary>
    public const string JobDurationInstrument = "bosstalk.jobs.duration";

    /// <summary>Histogram of the sweep job's duration in seconds (reading the enrolled users and queueing their scans).</summary>
    public const string SweepDurationInstrument = "bosstalk.sweep.duration";

    /// <summary>Counter of nudges that left the planned state, tagged <c>kind</c> and <c>state</c> (placed, no-slot, ...).</summary>
    public const string NudgesInstrument = "bosstalk.nudges.settled";

    /// <summary>Counter of user scans, tagged <c>outcome</c>: <c>ok</c>, <c>retry</c> (transient, tried again later) or a reason code.</summary>
    public const string ScansInstrument = "bosstalk.scans";

    internal static readonly ActivitySource Source = new(Name);

    private static readonly Lock FilterGate = new();
    private static bool _filterAdded;

    private static readonly Meter Meter = new(Name);
    private static readonly Counter<long> JobRuns = Meter.CreateCounter<long>(JobsInstrument, "{job}", "Background job runs by kind and outcome.");
    private static readonly Histogram<double> JobDuration = Meter.CreateHistogram<double>(JobDurationInstrument, "s", "Background job run duration.");
    private static readonly Histogram<double> SweepDuration = Meter.CreateHistogram<double>(SweepDurationInstrument, "s", "Sweep job duration.");
    private static readonly Counter<long> Nudges = Meter.CreateCounter<long>(NudgesInstrument, "{nudge}", "Nudges settled by kind and state.");
    private static readonly Counter<long> Scans = Meter.CreateCounter<long>(ScansInstrument, "{user}", "User scans by outcome.");

    /// <summary>Called once per batch and outcome with the number of users it applies to.</summary>
    public static void Scanned(int users, string outcome) =>
        Scans.Add(users, new TagList { { "outcome", outcome } });

    /// <summary>Called once a nudge's outcome is recorded.</summary>
    public static void NudgeSettled(NudgeKind kind, NudgeState state) =>
        Nudges.Add(1, new TagList { { "kind", kind.ToString() }, { "state", state.ToString() } });

    /// <summary>Times and counts every job run from now on (once per process, see <see cref="JobMetricsFilter"/>).</summary>
    // Hangfire's filters are process-wide; a second host in the same process (tests, the benchmark) must not count
    // every job twice.
    public static void CountEveryJob()
    {
        lock (FilterGate)
        {
            if (!_filterAdded)
            {
                GlobalJobFilters.Filters.Add(new JobMetricsFilter());
                _filterAdded = true;
            }
        }
    }

    internal static void JobFinished(string kind, bool succeeded, TimeSpan elapsed)
    {
        var tags = new TagList { { "kind", kind }, { "outcome", succeeded ? "succeeded" : "failed" } };
        JobRuns.Add(1, tags);
        JobDuration.Record(elapsed.TotalSeconds, tags);
        if (kind == nameof(SweepJob))
        {
            SweepDuration.Record(elapsed.TotalSeconds);
        }
    }
}

/// <summary>
/// A Hangfire server filter: times every job run and counts its outcome, with a span around it, without touching
/// the jobs' code. A job that reschedules itself after a 429 ends "succeeded" here; its retry is a new run.
/// </summary>
// Durations only, from the monotonic timestamp: the filter is process-wide (see CountEveryJob), so it
// cannot take a host's TimeProvider, and an elapsed time needs no clock.
internal sealed class JobMetricsFilter : IServerFilter
{
    private const string StartedKey = "bosstalk.started";
    private const string ActivityKey = "bosstalk.activity";

    public void OnPerforming(PerformingContext context)
    {
        var kind = context.BackgroundJob.Job?.Type.Name ?? "unknown";
        context.Items[StartedKey] = System.Diagnostics.Stopwatch.GetTimestamp();
        var activity = JobMetrics.Source.StartActivity($"job {kind}", ActivityKind.Internal);
        activity?.SetTag("job.kind", kind);
        if (activity is not null)
        {
            context.Items[ActivityKey] = activity;
        }
    }

    public void OnPerformed(PerformedContext context)
    {
        var kind = context.BackgroundJob.Job?.Type.Name ?? "unknown";
        var succeeded = context.Exception is null || context.ExceptionHandled;
        if (context.Items.TryGetValue(StartedKey, out var started) && started is long timestamp)
        {
            JobMetrics.JobFinished(kind, succeeded, System.Diagnostics.Stopwatch.GetElapsedTime(timestamp));
        }

        if (context.Items.TryGetValue(ActivityKey, out var value) && value is Activity activity)
        {
            activity.SetTag("job.outcome", succeeded ? "succeeded" : "failed");
            if (!succeeded)
            {
                activity.SetStatus(ActivityStatusCode.Error, context.Exception?.GetType().Name);
            }

            activity.Dispose();
        }
    }
}

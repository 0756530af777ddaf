using BossTalkCalendar.Api.Hosting;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Jobs;

/// <summary>Background jobs (section <c>Jobs</c>).</summary>
public sealed class JobsOptions
{
    public const string SectionName = "Jobs";

    /// <summary>When the sweep runs (cron, UTC; five fields, or six with seconds).</summary>
    public string SweepCron { get; set; } = "*/15 * * * *";

    /// <summary>Run a sweep as soon as the service has started; null means on in sandbox mode, off otherwise.</summary>
    public bool? SweepOnStartup { get; set; }

    /// <summary>How far back a scan looks for one-on-ones that ended.</summary>
    public int LookbackHours { get; set; } = 24;

    /// <summary>
    /// How far ahead a scan looks for one-on-ones to plan, so each reflection is placed when it is due (end plus
    /// cool-down) by a delayed job; longer than the time between two sweeps, so none is first seen after it ended.
    /// </summary>
    public int LookaheadHours { get; set; } = 30;

    /// <summary>Hangfire workers in this instance.</summary>
    public int WorkerCount { get; set; } = 4;

    /// <summary>Users per scan job: the sweep queues one job per batch, and one placement job per batch's new nudges.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>Users (or placements) of one batch that talk to Graph at the same time; times <see cref="WorkerCount"/> per instance.</summary>
    public int BatchParallelism { get; set; } = 8;

    /// <summary>
    /// How often Hangfire looks for queued and due jobs. A reflection is placed by a delayed job due at its meeting's
    /// end, which waits for one schedule poll and one queue poll, so this bounds due→placed (at Hangfire's default of
    /// 15 s the p99 was 27 s). An idle poll is a few small queries per worker and the scheduler's short lock per instance;
    /// the sweep benchmark has run 10,000 users on SQLite at 1 s.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Attempts on transient Graph failures (5xx, timeouts, and for a scan also throttling) before a job gives up and
    /// records a failure. A placement that Graph throttles waits its Retry-After without using an attempt.
    /// </summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>
    /// The first wait after a transient failure that came without Retry-After (a 5xx, a timeout, a lost answer); it
    /// doubles per failed attempt, up to 10 minutes. When Graph sends Retry-After, that is the wait.
    /// </summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>When reconciliation runs (cron, UTC): it repairs nudge records against the calendars (see ReconcileJob).</summary>
    public string ReconcileCron { get; set; } = "7 * * * *";

    /// <summary>How many days back reconciliation looks at failed and cancelled nudges whose create was sent.</summary>
    public int ReconcileDays { get; set; } = 7;

    /// <summary>Process jobs in this instance; off for an instance that only serves HTTP.</summary>
    public bool RunServer { get; set; } = true;
}

internal sealed class JobsOptionsValidator : IValidateOptions<JobsOptions>
{
    public ValidateOptionsResult Validate(string? name, JobsOptions options)
    {
        var failures = new List<string>();
        if (!Cron.IsValid(options.SweepCron))
        {
            failures.Add($"Jobs:SweepCron must be a cron expression such as \"*/15 * * * *\" (got '{options.SweepCron}').");
        }

        if (!Cron.IsValid(options.ReconcileCron))
        {
            failures.Add($"Jobs:ReconcileCron must be a cron expression such as \"7 * * * *\" (got '{options.ReconcileCron}').");
        }

        if (options.ReconcileDays is < 1 or > 90)
        {
            failures.Add($"Jobs:ReconcileDays must be between 1 and 90 (got {options.ReconcileDays}).");
        }

        if (options.LookaheadHours is < 0 or > 24 * 14)
        {
            failures.Add($"Jobs:LookaheadHours must be between 0 and 336 (got {options.LookaheadHours}).");
        }

        if (options.LookbackHours is < 1 or > 24 * 14)
        {
            failures.Add($"Jobs:LookbackHours must be between 1 and 336 (got {options.LookbackHours}).");
        }

        if (options.WorkerCount is < 1 or > 100)
        {
            failures.Add($"Jobs:WorkerCount must be between 1 and 100 (got {options.WorkerCount}).");
        }

        if (options.BatchSize is < 1 or > 1000)
        {
            failures.Add($"Jobs:BatchSize must be between 1 and 1000 (got {options.BatchSize}).");
        }

        if (options.BatchParallelism is < 1 or > 64)
        {
            failures.Add($"Jobs:BatchParallelism must be between 1 and 64 (got {options.BatchParallelism}).");
        }

        if (options.PollInterval < TimeSpan.FromMilliseconds(100) || options.PollInterval > TimeSpan.FromMinutes(10))
        {
            failures.Add($"Jobs:PollInterval must be between 00:00:00.1 and 00:10:00 (got {options.PollInterval}).");
        }

        if (options.RetryDelay < TimeSpan.FromMilliseconds(100) || options.RetryDelay > TimeSpan.FromMinutes(10))
        {
            failures.Add($"Jobs:RetryDelay must be between 00:00:00.1 and 00:10:00 (got {options.RetryDelay}).");
        }

        if (options.MaxAttempts is < 1 or > 50)
        {
            failures.Add($"Jobs:MaxAttempts must be between 1 and 50 (got {options.MaxAttempts}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

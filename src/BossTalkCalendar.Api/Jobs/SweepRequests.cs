using System.Globalization;
using Hangfire;

namespace BossTalkCalendar.Api.Jobs;

/// <summary>The answer to a sweep request.</summary>
/// <param name="JobId">The sweep job that will run (or ran): a new one, or the one asked for before.</param>
/// <param name="Coalesced">True when no new sweep was queued because one was queued or ran in the last five minutes.</param>
public sealed record SweepQueued(string JobId, bool Coalesced = false);

/// <summary>
/// Sweeps asked for by hand (an administrator's <c>POST /api/v1/admin/sweep</c>), coalesced: one asked for earlier that
/// is still queued or running, or was asked for in the last five minutes, stands in for a new one. The record lives in
/// Hangfire's storage, so every instance sees it.
/// </summary>
/// <remarks>
/// Requests take turns within an instance only. Two instances asked in the same moment may each queue one, which is
/// harmless: a sweep may always run twice (docs/architecture.md). A distributed lock stood here before: a lock that
/// cannot be taken within its timeout throws, and a slow CI run (2026-12-07) once answered this request with a 500
/// whose exception was not kept. Coalescing does not need to hold up other instances, so nothing here waits on them.
/// </remarks>
public sealed class SweepRequests(IBackgroundJobClient jobs, JobStorage storage, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>How long an asked-for sweep stands in for the next request.</summary>
    internal static readonly TimeSpan SweepCoalescing = TimeSpan.FromMinutes(5);

    private const string LastSweepKey = "bosstalk:requested-sweep";

    /// <summary>Queues a sweep for everyone, or names the one asked for before.</summary>
    public async Task<SweepQueued> RequestAsync(CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            return Request();
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Dispose() => _turn.Dispose();

    private SweepQueued Request()
    {
        using var connection = storage.GetConnection();
        var now = time.GetUtcNow();
        var last = connection.GetAllEntriesFromHash(LastSweepKey);
        if (last is not null
            && last.TryGetValue("jobId", out var lastJobId)
            && last.TryGetValue("at", out var lastAt)
            && DateTimeOffset.TryParse(lastAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var askedAt))
        {
            var state = connection.GetStateData(lastJobId)?.Name;
            var pending = state is "Enqueued" or "Processing" or "Scheduled" or "Awaiting";
            if (pending || (now - askedAt < SweepCoalescing && now >= askedAt))
            {
                return new SweepQueued(lastJobId, Coalesced: true);
            }
        }

        var jobId = jobs.Enqueue<SweepJob>(job => job.RunForEveryoneAsync(CancellationToken.None));
        connection.SetRangeInHash(LastSweepKey, new Dictionary<string, string>
        {
            ["jobId"] = jobId,
            ["at"] = now.ToString("O", CultureInfo.InvariantCulture),
        });
        return new SweepQueued(jobId);
    }
}

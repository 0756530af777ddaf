namespace BossTalkCalendar.Api.Nudges;

/// <summary>
/// Queues placement work. Implemented over Hangfire in <c>Jobs/</c>; the Nudges module only says what to place and
/// when, so it does not depend on the job machinery.
/// </summary>
public interface INudgeScheduler
{
    /// <summary>Queues one placement job for these planned nudges and records it on them; returns its id.</summary>
    Task<string> QueueAsync(IReadOnlyCollection<Guid> nudgeIds, CancellationToken cancellationToken);

    /// <summary>Places this nudge again after <paramref name="delay"/>; returns the job id (not yet recorded).</summary>
    string Schedule(Guid nudgeId, TimeSpan delay);

    /// <summary>
    /// Deletes the placement jobs among <paramref name="jobIds"/> that no planned nudge waits on any more. Call it after
    /// the nudge that named a job moved on (withdrawn, dismissed, cancelled, or given a new job): one job places a whole
    /// batch, and deleting it under the batch's other nudges would leave them planned with no job (Hangfire cancels a
    /// running job that is deleted).
    /// </summary>
    Task DeleteUnusedAsync(IEnumerable<string> jobIds, CancellationToken cancellationToken);
}

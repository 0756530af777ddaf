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

    /// <summary>Deletes queued or scheduled placement jobs (a job already running finds its nudge no longer planned).</summary>
    void Delete(IEnumerable<string> jobIds);
}

using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BossTalkCalendar.Api.Jobs;

/// <summary>
/// Hangfire's storage (its SQLite file, or the <c>hangfire</c> schema on PostgreSQL) answers a read: the recurring
/// sweep's entry, which every instance registers at start-up. Hangfire's storage API is synchronous, so the read runs
/// on the thread pool and the check gives up when its timeout cancels the token.
/// </summary>
public sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await Task.Run(
                () =>
                {
                    using var connection = storage.GetConnection();
                    _ = connection.GetAllEntriesFromHash($"recurring-job:{SweepJob.RecurringJobId}");
                },
                cancellationToken).WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("Hangfire's job storage cannot be read.", ex);
        }
    }
}

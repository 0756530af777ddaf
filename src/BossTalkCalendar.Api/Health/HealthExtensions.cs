using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Persistence;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BossTalkCalendar.Api.Health;

public static class HealthExtensions
{
    /// <summary>Checks answered by the liveness endpoint.</summary>
    public const string LiveTag = "live";

    /// <summary>Checks answered by the readiness endpoint.</summary>
    public const string ReadyTag = "ready";

    // A database that hangs must turn into an answer (503) before an orchestrator's probe gives up on its own.
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [LiveTag, ReadyTag], timeout: CheckTimeout)
            .AddCheck<JobStorageHealthCheck>("job-storage", tags: [ReadyTag], timeout: CheckTimeout);
        builder.Services.TryAddSingleton(ZoneDatabaseCheck.System);
        // First of all hosted services, so a machine without a usable zone database stops before any job runs.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, ZoneDatabaseStartup>());
        return builder;
    }

    /// <summary>
    /// GET /healthz (liveness): 200 "Healthy" when the app database answers, 503 otherwise.
    /// GET /readyz (readiness): 200 when the app database and Hangfire's job storage both answer, 503 otherwise. The
    /// service only answers HTTP once start-up (migrations, recovery of lost work) has finished, so a 200 here means
    /// the instance can take requests and run jobs.
    /// </summary>
    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return app;
    }
}

internal sealed class DatabaseHealthCheck(IDbContextFactory<BossTalkDbContext> contexts) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await db.EnrolledUsers.AsNoTracking().AnyAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The app database cannot be read.", ex);
        }
    }
}

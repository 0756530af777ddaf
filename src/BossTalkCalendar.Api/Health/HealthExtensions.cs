using BossTalkCalendar.Api.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BossTalkCalendar.Api.Health;

public static class HealthExtensions
{
    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        builder.Services.TryAddSingleton(ZoneDatabaseCheck.System);
        // First of all hosted services, so a machine without a usable zone database stops before any job runs.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, ZoneDatabaseStartup>());
        return builder;
    }

    /// <summary>GET /healthz: 200 "Healthy" when the app database answers, 503 otherwise.</summary>
    public static IEndpointConventionBuilder MapHealth(this WebApplication app) => app.MapHealthChecks("/healthz");
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

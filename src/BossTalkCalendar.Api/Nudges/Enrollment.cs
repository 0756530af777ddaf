using BossTalkCalendar.Api.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Nudges;

/// <summary>Adds users to the service. A user who opted out stays opted out.</summary>
public sealed class Enrollment(IDbContextFactory<BossTalkDbContext> contexts, TimeProvider time)
{
    /// <summary>Enrolls the users that are not enrolled yet; returns how many were added.</summary>
    public async Task<int> EnrollAsync(string tenantId, IEnumerable<string> userIds, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var wanted = userIds.Distinct(StringComparer.Ordinal).ToList();
        var known = await db.EnrolledUsers
            .Where(u => u.TenantId == tenantId && wanted.Contains(u.UserId))
            .Select(u => u.UserId)
            .ToListAsync(cancellationToken);

        var now = time.GetUtcNow();
        var added = wanted.Except(known, StringComparer.Ordinal)
            .Select(id => new EnrolledUser { TenantId = tenantId, UserId = id, CreatedAt = now, UpdatedAt = now })
            .ToList();
        db.EnrolledUsers.AddRange(added);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance enrolled the same users at the same moment: they are enrolled either way.
            return 0;
        }

        return added.Count;
    }
}

/// <summary>Enrolls <c>Enrollment:UserIds</c> at start-up, after the schema is ready and before jobs run.</summary>
internal static partial class EnrollmentLog
{
    [LoggerMessage(LogLevel.Information, "Enrollment:UserIds enrolled {Added} new of {Count} users in tenant {TenantId}")]
    public static partial void ConfiguredEnrollment(this ILogger logger, int added, int count, string tenantId);
}

internal sealed class ConfiguredEnrollment(
    Enrollment enrollment,
    IOptions<EnrollmentOptions> options,
    IConfiguration configuration,
    ILogger<ConfiguredEnrollment> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.UserIds.Count == 0)
        {
            return;
        }

        var tenantId = TenantOf(settings, configuration);
        var added = await enrollment.EnrollAsync(tenantId, settings.UserIds, cancellationToken);
        logger.ConfiguredEnrollment(added, settings.UserIds.Count, tenantId);
    }

    internal static string TenantOf(EnrollmentOptions settings, IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(settings.TenantId) ? settings.TenantId
        : configuration["Graph:TenantId"] is { Length: > 0 } graphTenant ? graphTenant
        : "local";

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

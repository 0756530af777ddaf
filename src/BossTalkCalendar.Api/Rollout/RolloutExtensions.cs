using BossTalkCalendar.Api.Hosting;
using Hangfire;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Rollout;

public static class RolloutExtensions
{
    /// <summary>Teams, enrolment, the audit trail, the team-refresh and retention jobs (section <c>Rollout</c>).</summary>
    public static WebApplicationBuilder AddRollout(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RolloutOptions>().BindConfiguration(RolloutOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RolloutOptions>, RolloutOptionsValidator>();
        services.AddSingleton<ServedTenant>();
        services.AddSingleton<IAuditLog, AuditLog>();
        services.AddSingleton<TeamEnrolment>();
        services.AddSingleton<PendingWork>();
        services.AddSingleton<TeamRollout>();
        services.AddScoped<TeamRefreshJob>();
        services.AddScoped<RetentionJob>();
        services.AddHostedService<RolloutStartup>();
        return builder;
    }
}

/// <summary>Registers the recurring team refresh and retention jobs.</summary>
internal sealed class RolloutStartup(IRecurringJobManager recurring, IOptions<RolloutOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        recurring.AddOrUpdate<TeamRefreshJob>(TeamRefreshJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), options.Value.RefreshCron, utc);
        recurring.AddOrUpdate<RetentionJob>(RetentionJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), options.Value.RetentionCron, utc);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Sandbox;
using Hangfire;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Jobs;

public static class JobsExtensions
{
    /// <summary>Hangfire on its own SQLite file in the data folder, the sweep → scan-user → place-reflection jobs.</summary>
    public static WebApplicationBuilder AddJobs(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JobsOptions>, JobsOptionsValidator>();

        // Our own storage instance in DI instead of the static JobStorage.Current, so two hosts in one process
        // (the tests) never share a queue.
        services.AddSingleton<JobStorage>(provider =>
        {
            var jobs = provider.GetRequiredService<IOptions<JobsOptions>>().Value;
            var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            var contentRoot = provider.GetRequiredService<IHostEnvironment>().ContentRootPath;
            Directory.CreateDirectory(storage.FullDataDirectory(contentRoot));
            return new SQLiteStorage(storage.HangfireDatabasePath(contentRoot), new SQLiteStorageOptions
            {
                QueuePollInterval = jobs.PollInterval,
            });
        });
        services.AddHangfire(configuration => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());

        var settings = builder.Configuration.GetSection(JobsOptions.SectionName).Get<JobsOptions>() ?? new JobsOptions();
        if (settings.RunServer)
        {
            services.AddHangfireServer((provider, server) =>
            {
                var jobs = provider.GetRequiredService<IOptions<JobsOptions>>().Value;
                server.WorkerCount = jobs.WorkerCount;
                server.SchedulePollingInterval = jobs.PollInterval;
                server.ServerCheckInterval = TimeSpan.FromMinutes(1);
            });
        }

        services.AddScoped<SweepJob>();
        services.AddScoped<ScanUserJob>();
        services.AddScoped<PlaceReflectionJob>();
        services.AddScoped<PendingNudges>();
        services.AddHostedService<JobsStartup>();
        return builder;
    }

    /// <summary>The Hangfire dashboard at /hangfire, for callers on this machine only.</summary>
    public static IEndpointConventionBuilder MapJobsDashboard(this WebApplication app) =>
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new LoopbackOnlyDashboardAuthorization()],
            DisplayStorageConnectionString = false,
            DashboardTitle = "BossTalkCalendar jobs",
        });
}

/// <summary>Registers the recurring sweep, re-queues lost placements, and runs the first sweep when asked to.</summary>
internal sealed class JobsStartup(
    IServiceScopeFactory scopes,
    IRecurringJobManager recurring,
    IBackgroundJobClient jobs,
    IOptions<JobsOptions> options,
    IConfiguration configuration,
    ILogger<JobsStartup> logger) : IHostedLifecycleService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<SweepJob>(
            SweepJob.RecurringJobId,
            job => job.RunAsync(CancellationToken.None),
            options.Value.SweepCron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });

        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PendingNudges>().RecoverAsync(afterRestart: true, cancellationToken);
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (options.Value.SweepOnStartup ?? SandboxOptions.IsEnabled(configuration))
        {
            jobs.Enqueue<SweepJob>(job => job.RunAsync(CancellationToken.None));
            logger.FirstSweepQueued();
        }

        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

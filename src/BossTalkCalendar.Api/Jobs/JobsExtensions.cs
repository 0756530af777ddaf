using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Persistence;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BossTalkCalendar.Api.Jobs;

public static class JobsExtensions
{
    /// <summary>PostgreSQL schema of Hangfire's tables, next to the app's own in the same database.</summary>
    public const string HangfireSchema = "hangfire";

    /// <summary>How long the host waits for everything to stop after SIGTERM.</summary>
    public static readonly TimeSpan HostShutdownTimeout = TimeSpan.FromSeconds(8);

    /// <summary>How long Hangfire waits for running jobs to give up after their token was cancelled.</summary>
    public static readonly TimeSpan JobShutdownTimeout = TimeSpan.FromSeconds(5);

    // Any fixed number of ours: the advisory lock that serialises Hangfire's schema installation.
    private const long SchemaLockKey = 0x426f_7373_5461_6c6b;

    /// <summary>
    /// Hangfire on its own SQLite file in the data folder (or in the <c>hangfire</c> schema of the PostgreSQL
    /// database), the sweep → scan-users → place-reflection jobs.
    /// </summary>
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
            if (storage.IsPostgreSql)
            {
                return CreatePostgreSqlStorage(storage.ConnectionString!, jobs);
            }

            var contentRoot = provider.GetRequiredService<IHostEnvironment>().ContentRootPath;
            Directory.CreateDirectory(storage.FullDataDirectory(contentRoot));
            return new SQLiteStorage(storage.HangfireDatabasePath(contentRoot), new SQLiteStorageOptions
            {
                QueuePollInterval = jobs.PollInterval,
            });
        });
        // Disposed by the container before the logger factory it attaches (it is created after it).
        services.AddSingleton(provider => HangfireLogs.Provider.Attach(provider.GetRequiredService<ILoggerFactory>()));
        services.AddHangfire((provider, configuration) =>
        {
            // Hangfire's configuration is process-wide; see HangfireLogs for why not the default log provider (set
            // first, so that nothing below can leave this host's own factory in its place).
            configuration.UseLogProvider(HangfireLogs.Provider);
            _ = provider.GetRequiredService<HangfireLogs.Attachment>();
            configuration
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
        });

        var settings = builder.Configuration.GetSection(JobsOptions.SectionName).Get<JobsOptions>() ?? new JobsOptions();
        if (settings.RunServer)
        {
            services.AddHangfireServer((provider, server) =>
            {
                var jobs = provider.GetRequiredService<IOptions<JobsOptions>>().Value;
                server.WorkerCount = jobs.WorkerCount;
                server.SchedulePollingInterval = jobs.PollInterval;
                server.ServerCheckInterval = TimeSpan.FromMinutes(1);
                // On SIGTERM Hangfire cancels the running jobs' tokens at once (StopTimeout 0); a job that ignores it is
                // abandoned after this long, below the host's timeout. Either way its queue entry is handed back (or, if
                // the process dies first, its nudge is re-queued by the recovery at the next start).
                server.StopTimeout = TimeSpan.Zero;
                server.ShutdownTimeout = JobShutdownTimeout;
            });
        }

        // `podman stop` and `docker stop` send SIGKILL 10 s after SIGTERM (Kubernetes and Container Apps after 30 s), so
        // the host must be done before that; .NET's default is 30 s. An explicit shutdownTimeoutSeconds still wins.
        if (builder.Configuration["shutdownTimeoutSeconds"] is null)
        {
            services.Configure<HostOptions>(host => host.ShutdownTimeout = HostShutdownTimeout);
        }

        services.AddScoped<SweepJob>();
        services.AddScoped<ScanUsersJob>();
        services.AddScoped<PlaceNudgesJob>();
        services.AddScoped<ReconcileJob>();
        services.AddScoped<PendingNudges>();
        services.AddSingleton<SweepRequests>();
        services.AddSingleton<INudgeScheduler, HangfireNudgeScheduler>();
        services.TryAddSingleton<ISweepPolicy, PollingSweepPolicy>();
        services.AddHostedService<JobsStartup>();
        return builder;
    }

    /// <summary>
    /// Hangfire in its own schema of the app's database. Hangfire.PostgreSql installs and upgrades that schema
    /// without a lock of its own, so instances starting together take turns on an advisory lock.
    /// </summary>
    private static PostgreSqlStorage CreatePostgreSqlStorage(string connectionString, JobsOptions jobs)
    {
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = HangfireSchema,
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = jobs.PollInterval,
            // A job fetched by an instance that died is handed to another one after this long; the sliding
            // timeout keeps long jobs of a live instance invisible to the others.
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = TimeSpan.FromMinutes(5),
        };

        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using (var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
        {
            command.Parameters.AddWithValue("key", SchemaLockKey);
            command.ExecuteNonQuery();
        }

        // Closing the session releases the lock.
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
    }

    /// <summary>The Hangfire dashboard at /hangfire, for administrators (see <see cref="DashboardAuthorization"/>).</summary>
    public static IEndpointConventionBuilder MapJobsDashboard(this WebApplication app) =>
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new DashboardAuthorization()],
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
    ISweepPolicy sweep,
    ILogger<JobsStartup> logger) : IHostedLifecycleService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<SweepJob>(
            SweepJob.RecurringJobId,
            job => job.RunAsync(CancellationToken.None),
            sweep.Cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        recurring.AddOrUpdate<ReconcileJob>(
            ReconcileJob.RecurringJobId,
            job => job.RunAsync(CancellationToken.None),
            options.Value.ReconcileCron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });

        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PendingNudges>().RecoverAsync(afterRestart: true, cancellationToken);
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        // Left out, it is off; the sandbox turns it on (SandboxExtensions).
        if (options.Value.SweepOnStartup ?? false)
        {
            jobs.Enqueue<SweepJob>(job => job.RunForEveryoneAsync(CancellationToken.None));
            logger.FirstSweepQueued();
        }

        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

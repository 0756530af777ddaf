using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BossTalkCalendar.Api.Persistence;

public static class PersistenceExtensions
{
    /// <summary>
    /// App data through a pooled EF Core context factory, on SQLite (default) or PostgreSQL (<c>Storage:Provider</c>);
    /// schema migrated at start-up. Callers always ask for <see cref="IDbContextFactory{BossTalkDbContext}"/>.
    /// </summary>
    public static WebApplicationBuilder AddPersistence(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.SectionName)
            .Configure<IConfiguration>((storage, configuration) => storage.ConnectionString = configuration.GetConnectionString(StorageOptions.ConnectionStringName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();

        // The provider decides which services exist, so it is read while registering (validated at start).
        if (StorageOptions.IsPostgreSqlName(builder.Configuration[$"{StorageOptions.SectionName}:{nameof(StorageOptions.Provider)}"]))
        {
            services.AddPooledDbContextFactory<PostgreSqlBossTalkDbContext>((provider, options) =>
                options.UseNpgsql(provider.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString));
            services.AddSingleton<IDbContextFactory<BossTalkDbContext>>(provider =>
                new BaseContextFactory<PostgreSqlBossTalkDbContext>(provider.GetRequiredService<IDbContextFactory<PostgreSqlBossTalkDbContext>>()));
        }
        else
        {
            services.AddPooledDbContextFactory<BossTalkDbContext>((provider, options) =>
            {
                var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
                var contentRoot = provider.GetRequiredService<IHostEnvironment>().ContentRootPath;
                options.UseSqlite(SqliteConnectionString(storage.AppDatabasePath(contentRoot)))
                    .AddInterceptors(new SqlitePragmas());
            });
        }

        services.AddScoped(provider => provider.GetRequiredService<IDbContextFactory<BossTalkDbContext>>().CreateDbContext());

        services.AddHostedService<DatabaseInitializer>();
        return builder;
    }

    internal static string SqliteConnectionString(string path) => $"Data Source={path};Pooling=True;Default Timeout=30";

    /// <summary>Hands out a provider's subclass as the <see cref="BossTalkDbContext"/> everything else asks for.</summary>
    private sealed class BaseContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<BossTalkDbContext>
        where TContext : BossTalkDbContext
    {
        public BossTalkDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<BossTalkDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken);
    }
}

internal static partial class PersistenceLog
{
    [LoggerMessage(LogLevel.Information, "App database ready in {DataDirectory}")]
    public static partial void DatabaseReady(this ILogger logger, string dataDirectory);

    [LoggerMessage(LogLevel.Information, "App database ready on PostgreSQL at {Host}, database {Database}")]
    public static partial void PostgreSqlDatabaseReady(this ILogger logger, string? host, string? database);
}

/// <summary>
/// Creates the data folder and brings the schema up to date before anything else starts (it runs in the
/// hosts' "starting" phase, ahead of Hangfire and the sandbox).
/// </summary>
internal sealed class DatabaseInitializer(
    IDbContextFactory<BossTalkDbContext> contexts,
    IOptions<StorageOptions> storage,
    IHostEnvironment environment,
    ILogger<DatabaseInitializer> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var directory = storage.Value.FullDataDirectory(environment.ContentRootPath);
        Directory.CreateDirectory(directory);

        // On PostgreSQL, EF Core holds a lock on the history table while it migrates: instances starting together
        // take turns, and the later ones find nothing left to do.
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);

        if (storage.Value.IsPostgreSql)
        {
            // Where, never who: the connection string's password stays out of the log.
            var target = new NpgsqlConnectionStringBuilder(storage.Value.ConnectionString);
            logger.PostgreSqlDatabaseReady(target.Host, target.Database);
            return;
        }

        // WAL lets the web requests read while a job writes; the setting is stored in the file itself.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
        logger.DatabaseReady(directory);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

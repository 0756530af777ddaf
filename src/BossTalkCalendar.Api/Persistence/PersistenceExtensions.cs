using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Persistence;

public static class PersistenceExtensions
{
    /// <summary>App data in SQLite through a pooled EF Core context factory; schema migrated at start-up.</summary>
    public static WebApplicationBuilder AddPersistence(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();

        services.AddPooledDbContextFactory<BossTalkDbContext>((provider, options) =>
        {
            var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            var contentRoot = provider.GetRequiredService<IHostEnvironment>().ContentRootPath;
            options.UseSqlite(SqliteConnectionString(storage.AppDatabasePath(contentRoot)))
                .AddInterceptors(new SqlitePragmas());
        });
        services.AddScoped(provider => provider.GetRequiredService<IDbContextFactory<BossTalkDbContext>>().CreateDbContext());

        services.AddHostedService<DatabaseInitializer>();
        return builder;
    }

    internal static string SqliteConnectionString(string path) => $"Data Source={path};Pooling=True;Default Timeout=30";
}

internal static partial class PersistenceLog
{
    [LoggerMessage(LogLevel.Information, "App database ready in {DataDirectory}")]
    public static partial void DatabaseReady(this ILogger logger, string dataDirectory);
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

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);

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

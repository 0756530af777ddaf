using Microsoft.Extensions.Options;
using Npgsql;

namespace BossTalkCalendar.Api.Persistence;

/// <summary>Where the service keeps its data (section <c>Storage</c>, plus <c>ConnectionStrings:BossTalk</c>).</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    public const string SqliteProvider = "Sqlite";

    public const string PostgreSqlProvider = "PostgreSql";

    /// <summary>Name under <c>ConnectionStrings</c> of the PostgreSQL database.</summary>
    public const string ConnectionStringName = "BossTalk";

    /// <summary>
    /// <c>Sqlite</c> (default: files in <see cref="DataDirectory"/>) or <c>PostgreSql</c> (app data and Hangfire in the
    /// database named by <c>ConnectionStrings:BossTalk</c>, so several instances can share the work).
    /// </summary>
    public string Provider { get; set; } = SqliteProvider;

    /// <summary>Folder for the SQLite files (and the sandbox tenant); relative paths start at the content root.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>
    /// <c>ConnectionStrings:BossTalk</c>, filled in from there (not bindable under <c>Storage</c>, so there is one
    /// place to put it, and the usual one for secrets: <c>ConnectionStrings__BossTalk</c>).
    /// </summary>
    public string? ConnectionString { get; internal set; }

    public bool IsPostgreSql => IsPostgreSqlName(Provider);

    public string AppDatabasePath(string contentRoot) => Path.Combine(FullDataDirectory(contentRoot), "bosstalk.db");

    public string HangfireDatabasePath(string contentRoot) => Path.Combine(FullDataDirectory(contentRoot), "hangfire.db");

    public string FullDataDirectory(string contentRoot) => Path.GetFullPath(DataDirectory, contentRoot);

    internal static bool IsPostgreSqlName(string? provider) => string.Equals(provider, PostgreSqlProvider, StringComparison.OrdinalIgnoreCase);

    internal static bool IsSqliteName(string? provider) => string.Equals(provider, SqliteProvider, StringComparison.OrdinalIgnoreCase);
}

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        if (!StorageOptions.IsSqliteName(options.Provider) && !options.IsPostgreSql)
        {
            failures.Add($"Storage:Provider must be '{StorageOptions.SqliteProvider}' or '{StorageOptions.PostgreSqlProvider}' (got '{options.Provider}').");
        }

        if (options.IsPostgreSql)
        {
            ValidateConnectionString(options.ConnectionString, failures);
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add("Storage:DataDirectory must name a folder, for example ./data.");
        }
        else if (options.DataDirectory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            failures.Add($"Storage:DataDirectory '{options.DataDirectory}' is not a valid path.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // The messages never repeat the connection string: it usually holds a password.
    private static void ValidateConnectionString(string? connectionString, List<string> failures)
    {
        const string Key = $"ConnectionStrings:{StorageOptions.ConnectionStringName}";
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            failures.Add($"Storage:Provider is '{StorageOptions.PostgreSqlProvider}', so {Key} must be set to a PostgreSQL connection string, "
                + "for example \"Host=db.example;Database=bosstalk;Username=bosstalk;Password=...\" (environment variable ConnectionStrings__BossTalk).");
            return;
        }

        try
        {
            var parsed = new NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrWhiteSpace(parsed.Host))
            {
                failures.Add($"{Key} must name the PostgreSQL server with Host=...");
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            failures.Add($"{Key} is not a valid PostgreSQL connection string (expected Key=Value pairs such as Host=...;Database=...).");
        }
    }
}

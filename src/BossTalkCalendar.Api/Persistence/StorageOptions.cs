using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Persistence;

/// <summary>Where the service keeps its data (section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    public const string SqliteProvider = "Sqlite";

    /// <summary>Database provider for the app data and Hangfire; only <c>Sqlite</c> for now.</summary>
    public string Provider { get; set; } = SqliteProvider;

    /// <summary>Folder for the SQLite files (and the sandbox tenant); relative paths start at the content root.</summary>
    public string DataDirectory { get; set; } = "./data";

    public string AppDatabasePath(string contentRoot) => Path.Combine(FullDataDirectory(contentRoot), "bosstalk.db");

    public string HangfireDatabasePath(string contentRoot) => Path.Combine(FullDataDirectory(contentRoot), "hangfire.db");

    public string FullDataDirectory(string contentRoot) => Path.GetFullPath(DataDirectory, contentRoot);
}

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        if (!string.Equals(options.Provider, StorageOptions.SqliteProvider, StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"Storage:Provider must be '{StorageOptions.SqliteProvider}' (got '{options.Provider}').");
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
}

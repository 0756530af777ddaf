using BossTalkCalendar.Api.Persistence;
using Npgsql;

namespace BossTalkCalendar.Benchmarks.TenantSweep;

/// <summary>
/// Where the swept service stores its data: SQLite files in the run's data folder (default), or a fresh PostgreSQL
/// database <c>bosstalk_sweep_&lt;guid&gt;</c> created on the given server for this run and dropped at the end.
/// </summary>
internal sealed class SweepStorage : IAsyncDisposable
{
    private readonly string? _serverConnectionString;

    private SweepStorage(string provider, string? serverConnectionString, string? database)
    {
        Provider = provider;
        _serverConnectionString = serverConnectionString;
        Database = database;
        if (database is not null)
        {
            ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = database }.ConnectionString;
        }
    }

    public string Provider { get; }

    /// <summary>The run's own PostgreSQL database, null on SQLite.</summary>
    public string? Database { get; }

    public string? ConnectionString { get; }

    public string Describe() => Database is null ? "SQLite" : $"PostgreSQL database {Database}";

    /// <param name="provider"><see cref="StorageOptions.SqliteProvider"/> or <see cref="StorageOptions.PostgreSqlProvider"/>.</param>
    /// <param name="serverConnectionString">A PostgreSQL server where the run may create and drop a database.</param>
    public static async Task<SweepStorage> CreateAsync(string provider, string? serverConnectionString)
    {
        if (string.Equals(provider, StorageOptions.SqliteProvider, StringComparison.OrdinalIgnoreCase))
        {
            return new SweepStorage(StorageOptions.SqliteProvider, null, null);
        }

        if (!string.Equals(provider, StorageOptions.PostgreSqlProvider, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"--provider must be {StorageOptions.SqliteProvider} or {StorageOptions.PostgreSqlProvider} (got '{provider}').");
        }

        if (string.IsNullOrWhiteSpace(serverConnectionString))
        {
            throw new ArgumentException(
                "--provider PostgreSql needs --connection \"Host=...;Port=...;Username=...;Database=postgres\": a server where the run may create and drop a database.");
        }

        var database = "bosstalk_sweep_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
        await create.ExecuteNonQueryAsync();
        return new SweepStorage(StorageOptions.PostgreSqlProvider, serverConnectionString, database);
    }

    /// <summary>The settings that put an instance (the child service or the observer) on this storage.</summary>
    public void AddTo(IDictionary<string, string?> settings)
    {
        settings["Storage:Provider"] = Provider;
        if (ConnectionString is not null)
        {
            settings[$"ConnectionStrings:{StorageOptions.ConnectionStringName}"] = ConnectionString;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Database is null)
        {
            return;
        }

        // FORCE ends the connections the stopped instances left in their pools.
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

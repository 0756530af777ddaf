using System.Text;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Persistence;
using Npgsql;

namespace BossTalkCalendar.Testing;

/// <summary>
/// What a test's service stores its data in: SQLite files in the test's data folder, or a fresh PostgreSQL database
/// of its own on the server named by <c>BOSSTALK_TEST_POSTGRES</c> (tests/run.sh starts one), dropped afterwards.
/// </summary>
public sealed class TestStorage : IAsyncDisposable
{
    /// <summary>Connection string of a PostgreSQL server where the tests may create and drop databases.</summary>
    public const string ServerVariable = "BOSSTALK_TEST_POSTGRES";

    private readonly string? _serverConnectionString;

    private TestStorage(string provider, string? serverConnectionString, string? database)
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

    public bool IsPostgreSql => IsPostgreSqlName(Provider);

    /// <summary>The test's own PostgreSQL database, null on SQLite.</summary>
    public string? Database { get; }

    public string? ConnectionString { get; }

    /// <summary>The server's connection string; fails with a clear message when the variable is missing.</summary>
    public static string ServerConnectionString() =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } server
            ? server
            : throw new InvalidOperationException(
                $"{ServerVariable} is not set, so the PostgreSQL tests have no server. Run tests/run.sh, which starts a throwaway "
                + $"cluster on loopback, or point {ServerVariable} at a server where these tests may create and drop databases, "
                + "for example \"Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres\".");

    /// <param name="provider"><see cref="StorageOptions.SqliteProvider"/> or <see cref="StorageOptions.PostgreSqlProvider"/>.</param>
    /// <param name="server">The PostgreSQL server to create the database on; by default the one in <see cref="ServerVariable"/>.</param>
    public static async Task<TestStorage> CreateAsync(string provider, string? server = null)
    {
        if (!IsPostgreSqlName(provider))
        {
            return new TestStorage(provider, null, null);
        }

        server ??= ServerConnectionString();
        var database = "bosstalk_test_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(server);
        try
        {
            await connection.OpenAsync();
        }
        catch (NpgsqlException ex)
        {
            throw new InvalidOperationException($"The PostgreSQL server does not answer: {ex.Message}", ex);
        }

        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
        await create.ExecuteNonQueryAsync();
        return new TestStorage(provider, server, database);
    }

    /// <summary>The settings that put the service on this storage.</summary>
    public Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Storage:Provider"] = Provider,
        };
        if (ConnectionString is not null)
        {
            settings[$"ConnectionStrings:{StorageOptions.ConnectionStringName}"] = ConnectionString;
        }

        return settings;
    }

    /// <summary>
    /// <see cref="With(IReadOnlyDictionary{string, string?})"/> for one of several instances in one test process: on
    /// PostgreSQL its connections carry <paramref name="instance"/> as their application name, which gives it a pool of
    /// its own (Npgsql pools by connection string, so two instances would otherwise share one, as two processes never
    /// do) and names its sessions in a timeout's description (<see cref="PostgresActivity"/>).
    /// </summary>
    public Dictionary<string, string?> With(IReadOnlyDictionary<string, string?> settings, string instance)
    {
        var merged = With(settings);
        if (IsPostgreSql)
        {
            merged[$"ConnectionStrings:{StorageOptions.ConnectionStringName}"] =
                new NpgsqlConnectionStringBuilder(ConnectionString) { ApplicationName = instance }.ConnectionString;
        }

        return merged;
    }

    /// <summary>The test's settings plus the ones that put the service on this storage.</summary>
    public Dictionary<string, string?> With(IReadOnlyDictionary<string, string?> settings)
    {
        var merged = new Dictionary<string, string?>(settings, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in Settings())
        {
            merged[key] = value;
        }

        return merged;
    }

    /// <summary>
    /// Everything the service stored, as text, by place: each SQLite file of the data folder, or each table of the
    /// app's and Hangfire's schemas. AppData names the place that holds the nudges.
    /// </summary>
    public async Task<(IReadOnlyDictionary<string, string> Texts, string AppData)> StoredTextAsync(string dataDirectory)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!IsPostgreSql)
        {
            // Write-ahead logs first: SQLite may fold one into its database (and delete it) as the last connection
            // closes, and then the database file, read after it, holds what the log held.
            var files = Directory.GetFiles(dataDirectory, "*.db*").OrderBy(f => f.EndsWith(".db", StringComparison.Ordinal)).ToList();
            foreach (var file in files)
            {
                try
                {
                    texts[Path.GetFileName(file)] = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file));
                }
                catch (FileNotFoundException) when (!file.EndsWith(".db", StringComparison.Ordinal))
                {
                }
            }

            return (texts, "bosstalk.db");
        }

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT format('%I.%I', table_schema, table_name) FROM information_schema.tables "
            + "WHERE table_type = 'BASE TABLE' AND table_schema IN ('public', @hangfire)",
            connection))
        {
            list.Parameters.AddWithValue("hangfire", JobsExtensions.HangfireSchema);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            await using var dump = new NpgsqlCommand($"SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM {table} t", connection);
            texts[table] = (string)(await dump.ExecuteScalarAsync())!;
        }

        return (texts, "public.\"Nudges\"");
    }

    private static bool IsPostgreSqlName(string provider) =>
        string.Equals(provider, StorageOptions.PostgreSqlProvider, StringComparison.OrdinalIgnoreCase);

    public async ValueTask DisposeAsync()
    {
        if (Database is null)
        {
            return;
        }

        // FORCE ends the connections the stopped hosts left in their pools.
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

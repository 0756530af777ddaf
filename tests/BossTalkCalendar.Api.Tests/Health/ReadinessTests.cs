using System.Net;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Persistence;
using Npgsql;

namespace BossTalkCalendar.Api.Tests.Health;

/// <summary>
/// Liveness (/healthz: the app database) and readiness (/readyz: the app database and Hangfire's job storage), on
/// real storage. The failures are real too: on PostgreSQL the test takes a table or Hangfire's schema away from the
/// running service and gives it back.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ReadinessTests
{
    private static readonly Uri NoGraph = new("http://127.0.0.1:9/v1.0");

    [Theory]
    [InlineData(StorageOptions.SqliteProvider)]
    [InlineData(StorageOptions.PostgreSqlProvider)]
    public async Task AServiceWhoseDatabaseAndJobStorageAnswerIsLiveAndReady(string provider)
    {
        using var data = new TempDirectory();
        await using var storage = await TestStorage.CreateAsync(provider);
        await using var app = new BossTalkCalendarApplication(data.Path, TimeProvider.System, NoGraph, storage.With(new Dictionary<string, string?>()));
        using var client = app.CreateClient();

        Assert.Equal((HttpStatusCode.OK, "Healthy"), await GetAsync(client, "/healthz"));
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await GetAsync(client, "/readyz"));
    }

    [Fact]
    public async Task WithoutHangfiresStorageTheServiceIsLiveButNotReadyUntilItComesBack()
    {
        using var data = new TempDirectory();
        await using var storage = await TestStorage.CreateAsync(StorageOptions.PostgreSqlProvider);
        // No job server: it would only fill the log with the same failure meanwhile.
        await using var app = new BossTalkCalendarApplication(data.Path, TimeProvider.System, NoGraph, storage.With(new Dictionary<string, string?> { ["Jobs:RunServer"] = "false" }));
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/readyz")).Status);

        await ExecuteAsync(storage, $"ALTER SCHEMA {JobsExtensions.HangfireSchema} RENAME TO hangfire_away");
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), await GetAsync(client, "/readyz"));
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await GetAsync(client, "/healthz"));

        await ExecuteAsync(storage, $"ALTER SCHEMA hangfire_away RENAME TO {JobsExtensions.HangfireSchema}");
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await GetAsync(client, "/readyz"));
    }

    [Fact]
    public async Task WithoutTheAppDatabaseTheServiceIsNeitherLiveNorReady()
    {
        using var data = new TempDirectory();
        await using var storage = await TestStorage.CreateAsync(StorageOptions.PostgreSqlProvider);
        await using var app = new BossTalkCalendarApplication(data.Path, TimeProvider.System, NoGraph, storage.With(new Dictionary<string, string?> { ["Jobs:RunServer"] = "false" }));
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/readyz")).Status);

        await ExecuteAsync(storage, "ALTER TABLE \"EnrolledUsers\" RENAME TO \"EnrolledUsersAway\"");
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), await GetAsync(client, "/healthz"));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), await GetAsync(client, "/readyz"));
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task ExecuteAsync(TestStorage storage, string sql)
    {
        await using var connection = new NpgsqlConnection(storage.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Tests.Builders;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BossTalkCalendar.Api.Tests.Postgres;

/// <summary>The storage switch: settings checked at start-up, each provider's schema and migrations, errors read alike.</summary>
[Collection(AppCollection.Name)]
public sealed class StorageProviderTests
{
    private static readonly Uri NoGraph = new("http://127.0.0.1:9/v1.0");

    [Fact]
    public void StartUpFailsWithAClearMessageWhenPostgreSqlIsChosenWithoutAConnectionString()
    {
        using var data = new TempDirectory();
        using var app = new BossTalkCalendarApplication(data.Path, TimeProvider.System, NoGraph, new Dictionary<string, string?>
        {
            ["Storage:Provider"] = StorageOptions.PostgreSqlProvider,
        });

        var error = Record.Exception(() => app.Services.GetRequiredService<TimeProvider>());

        Assert.NotNull(error);
        var message = Messages(error);
        Assert.Contains("Storage:Provider is 'PostgreSql', so ConnectionStrings:BossTalk must be set", message, StringComparison.Ordinal);
    }

    [Fact]
    public void StartUpRejectsAConnectionStringWithoutAServerAndNeverRepeatsIt()
    {
        using var data = new TempDirectory();
        using var app = new BossTalkCalendarApplication(data.Path, TimeProvider.System, NoGraph, new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "postgresql",
            ["ConnectionStrings:BossTalk"] = "Database=bosstalk;Password=hunter2-not-logged",
        });

        var error = Record.Exception(() => app.Services.GetRequiredService<TimeProvider>());

        Assert.NotNull(error);
        var message = Messages(error);
        Assert.Contains("ConnectionStrings:BossTalk must name the PostgreSQL server", message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StorageOptions.SqliteProvider)]
    [InlineData(StorageOptions.PostgreSqlProvider)]
    public async Task EachProviderRunsItsOwnMigrationsAndTheyMatchTheModel(string provider)
    {
        using var data = new TempDirectory();
        await using var storage = await TestStorage.CreateAsync(provider);
        await using var app = new BossTalkCalendarApplication(data.Path, TimeProvider.System, NoGraph, storage.With(new Dictionary<string, string?>()));
        await using var db = await app.CreateDbContextAsync();

        var expected = storage.IsPostgreSql ? typeof(PostgreSqlBossTalkDbContext) : typeof(BossTalkDbContext);
        Assert.Equal(expected, db.GetType());
        Assert.Equal(storage.IsPostgreSql ? "Npgsql.EntityFrameworkCore.PostgreSQL" : "Microsoft.EntityFrameworkCore.Sqlite", db.Database.ProviderName);
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());

        // A model change needs a migration for each provider; see the README for the two commands.
        Assert.False(
            db.Database.HasPendingModelChanges(),
            $"The model has changes that the {provider} migrations lack: regenerate the {expected.Name} migrations.");
    }

    [Fact]
    public async Task OnPostgreSqlHangfireKeepsItsJobsInItsOwnSchemaOfTheSameDatabase()
    {
        using var data = new TempDirectory();
        await using var storage = await TestStorage.CreateAsync(StorageOptions.PostgreSqlProvider);
        await using var app = new BossTalkCalendarApplication(
            data.Path,
            TimeProvider.System,
            NoGraph,
            storage.With(new Dictionary<string, string?> { ["Jobs:RunServer"] = "false" }));

        Assert.IsType<PostgreSqlStorage>(app.Services.GetRequiredService<JobStorage>());
        var jobId = app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<SweepJob>(job => job.RunForEveryoneAsync(CancellationToken.None));

        await using var connection = new NpgsqlConnection(storage.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM hangfire.job WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", long.Parse(jobId, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData(StorageOptions.SqliteProvider)]
    [InlineData(StorageOptions.PostgreSqlProvider)]
    public async Task ASecondNudgeWithTheSameKeyIsReadAsAUniqueViolationAndAMissingValueIsNot(string provider)
    {
        using var data = new TempDirectory();
        await using var storage = await TestStorage.CreateAsync(provider);
        await using var app = new BossTalkCalendarApplication(
            data.Path,
            TimeProvider.System,
            NoGraph,
            storage.With(new Dictionary<string, string?> { ["Jobs:RunServer"] = "false" }));

        await using (var db = await app.CreateDbContextAsync())
        {
            db.Nudges.Add(new NudgeBuilder().WithKey("key-1").Build());
            await db.SaveChangesAsync();
        }

        await using (var db = await app.CreateDbContextAsync())
        {
            db.Nudges.Add(new NudgeBuilder().WithKey("key-1").Build());
            var duplicate = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            Assert.True(duplicate.IsUniqueViolation());
        }

        await using (var db = await app.CreateDbContextAsync())
        {
            db.Nudges.Add(new NudgeBuilder().WithKey("key-2").WithoutMeetingICalUId().Build());
            var missing = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            Assert.False(missing.IsUniqueViolation());
        }
    }

    private static string Messages(Exception error)
    {
        var messages = new List<string>();
        for (var e = error; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
            if (e is AggregateException aggregate)
            {
                messages.AddRange(aggregate.InnerExceptions.Select(inner => inner.Message));
            }
        }

        return string.Join(Environment.NewLine, messages);
    }
}

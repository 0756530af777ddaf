using BossTalkCalendar.Api.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace BossTalkCalendar.Api.Tests.Builders;

/// <summary>
/// The app's database alone, migrated, in a SQLite file of a fresh folder: for tests of one module's statements
/// (a store's transitions) without a host around them.
/// </summary>
public sealed class SqliteStore : IAsyncDisposable
{
    private readonly TempDirectory _folder = new();

    private SqliteStore()
    {
        var connection = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder.Path, "app.db"), Pooling = false }.ConnectionString;
        Contexts = new PooledDbContextFactory<BossTalkDbContext>(new DbContextOptionsBuilder<BossTalkDbContext>().UseSqlite(connection).Options);
    }

    public IDbContextFactory<BossTalkDbContext> Contexts { get; }

    public static async Task<SqliteStore> CreateAsync()
    {
        var store = new SqliteStore();
        await using var db = await store.Contexts.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        return store;
    }

    public ValueTask DisposeAsync()
    {
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }
}

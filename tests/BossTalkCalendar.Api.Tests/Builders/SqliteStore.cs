using BossTalkCalendar.Api.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace BossTalkCalendar.Api.Tests.Builders;

/// <summary>
/// The app's database alone, migrated, in a SQLite file of a fresh folder: for tests of one module's statements
/// (a store's transitions) without a host around them.
/// </summary>
public sealed class SqliteStore : IAsyncDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly string _connection;

    private SqliteStore()
    {
        _connection = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder.Path, "app.db"), Pooling = false }.ConnectionString;
        Contexts = ContextsWith();
    }

    public IDbContextFactory<BossTalkDbContext> Contexts { get; }

    /// <summary>Contexts on the same database whose commands pass through <paramref name="interceptors"/>.</summary>
    public IDbContextFactory<BossTalkDbContext> ContextsWith(params IInterceptor[] interceptors) =>
        new PooledDbContextFactory<BossTalkDbContext>(new DbContextOptionsBuilder<BossTalkDbContext>().UseSqlite(_connection).AddInterceptors(interceptors).Options);

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

using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace BossTalkCalendar.Api.Persistence;

/// <summary>A read-only transaction in which several queries see one state of the database.</summary>
public static class Snapshots
{
    /// <summary>
    /// Begins a snapshot: on PostgreSQL a repeatable-read transaction; on SQLite a deferred one, which in WAL mode
    /// reads one snapshot from its first query on without taking the write lock (a non-deferred SQLite transaction
    /// would begin IMMEDIATE and hold writers back for as long as it reads).
    /// </summary>
    public static async Task<IDbContextTransaction> BeginSnapshotAsync(this BossTalkDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.IsSqlite())
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            return await db.Database.UseTransactionAsync(connection.BeginTransaction(deferred: true), cancellationToken)
                ?? throw new InvalidOperationException("The SQLite transaction was not taken up.");
        }

        return await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
    }
}

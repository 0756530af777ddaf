using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BossTalkCalendar.Api.Persistence;

/// <summary>
/// Every connection waits for a lock instead of failing at once: the jobs, the recovery step and the
/// web requests write to the same file from several threads. In WAL mode (set at start-up) a commit with
/// synchronous=NORMAL survives the process being killed and skips the fsync per commit; only a power cut can lose
/// the last commits, which the next sweep finds again (and Graph's transactionId keeps events from doubling).
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string BusyTimeout = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = BusyTimeout;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = BusyTimeout;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

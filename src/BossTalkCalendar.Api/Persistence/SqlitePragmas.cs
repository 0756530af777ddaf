using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BossTalkCalendar.Api.Persistence;

/// <summary>
/// Every connection waits for a lock instead of failing at once: the jobs, the recovery step and the
/// web requests write to the same file from several threads.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string BusyTimeout = "PRAGMA busy_timeout = 10000;";

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

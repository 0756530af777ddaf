using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BossTalkCalendar.Api.Persistence;

/// <summary>Provider-neutral reading of database errors.</summary>
public static class DatabaseErrors
{
    // SQLite: SQLITE_CONSTRAINT (19) with the extended codes for a unique index and a primary key.
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    /// <summary>
    /// True when the save failed because a row with the same unique key (or primary key) exists: on SQLite
    /// constraint error 19 (unique or primary key), on PostgreSQL SQLSTATE 23505. Other constraint failures
    /// (not null, foreign key, check) are not.
    /// </summary>
    public static bool IsUniqueViolation(this DbUpdateException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (Exception? inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case SqliteException { SqliteErrorCode: SqliteConstraint } sqlite:
                    return sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey;
                case PostgresException postgres:
                    return postgres.SqlState == PostgresErrorCodes.UniqueViolation;
            }
        }

        return false;
    }
}

using System.Globalization;
using System.Text;
using BossTalkCalendar.Api.Jobs;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BossTalkCalendar.Testing;

/// <summary>
/// What the PostgreSQL server is doing for a test's database, for a wait's timeout message: every other session that
/// is not idle (its wait, the sessions blocking it, how long its transaction has been open, the start of its statement)
/// and Hangfire's distributed locks. A fresh-clone run (m1, 2026-12-07) saw two instances' jobs fetched and never marked
/// processing for four minutes, with their queue entries' keep-alive not renewed either; this is what tells a lock
/// wait from a starved pool next time.
/// </summary>
public static class PostgresActivity
{
    /// <summary>The description, or null when the context is not on PostgreSQL.</summary>
    public static string? Describe(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!db.Database.IsNpgsql())
        {
            return null;
        }

        var text = new StringBuilder("PostgreSQL:");
        try
        {
            // Outside the pool: a pool that ran dry must not keep its own diagnosis out.
            using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ConnectionString);
            connection.Open();
            using (var command = new NpgsqlCommand(
                "SELECT coalesce(state, '?'), count(*)::int FROM pg_stat_activity WHERE datname = current_database() GROUP BY 1 ORDER BY 1",
                connection))
            using (var reader = command.ExecuteReader())
            {
                // A pool that ran dry shows as many idle sessions of the client's and nothing waiting in the server.
                text.Append(" all sessions by state:");
                while (reader.Read())
                {
                    text.Append(CultureInfo.InvariantCulture, $" {reader.GetString(0)} {reader.GetInt32(1)}");
                }
            }

            using (var command = new NpgsqlCommand(
                """
                SELECT pid, coalesce(application_name, ''), coalesce(state, '?'), coalesce(wait_event_type || ':' || wait_event, '-'), coalesce(pg_blocking_pids(pid)::text, ''),
                       coalesce(extract(epoch FROM now() - xact_start)::int, -1), coalesce(left(regexp_replace(query, '\s+', ' ', 'g'), 160), '')
                FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'
                ORDER BY xact_start NULLS LAST
                """,
                connection))
            using (var reader = command.ExecuteReader())
            {
                text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}sessions not idle:");
                while (reader.Read())
                {
                    text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}  pid {reader.GetInt32(0)} {reader.GetString(1)} {reader.GetString(2)}, waits {reader.GetString(3)}, blocked by {reader.GetString(4)}, transaction {reader.GetInt32(5)} s: {reader.GetString(6)}");
                }
            }

            text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}Hangfire locks:");
            using (var command = new NpgsqlCommand($"""SELECT resource, coalesce(acquired::text, '?') FROM "{JobsExtensions.HangfireSchema}"."lock" ORDER BY acquired""", connection))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    text.Append(CultureInfo.InvariantCulture, $" {reader.GetString(0)} (since {reader.GetString(1)})");
                }
            }
        }
        catch (Exception ex)
        {
            // A description, never a second failure in place of the timeout it explains.
            text.Append(CultureInfo.InvariantCulture, $" unreadable ({ex.GetType().Name}: {ex.Message})");
        }

        return text.ToString();
    }
}

using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Api.Persistence;

/// <summary>
/// The same model as <see cref="BossTalkDbContext"/> on PostgreSQL. A type of its own so that EF Core keeps its
/// migrations (in <c>Persistence/PostgreSqlMigrations</c>) apart from the SQLite ones; the service hands it out as
/// a <see cref="BossTalkDbContext"/>, so no other code knows which provider runs.
/// </summary>
public sealed class PostgreSqlBossTalkDbContext(DbContextOptions<PostgreSqlBossTalkDbContext> options) : BossTalkDbContext(options);

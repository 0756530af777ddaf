using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BossTalkCalendar.Api.Persistence;

/// <summary>Lets <c>dotnet ef migrations add --context BossTalkDbContext</c> build the model without starting the service.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<BossTalkDbContext>
{
    public BossTalkDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<BossTalkDbContext>()
            .UseSqlite(PersistenceExtensions.SqliteConnectionString("design-time.db"))
            .Options);
}

/// <summary>
/// Lets <c>dotnet ef migrations add --context PostgreSqlBossTalkDbContext</c> build the model; generating a migration
/// never connects, so the connection string only has to parse.
/// </summary>
internal sealed class PostgreSqlDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgreSqlBossTalkDbContext>
{
    public PostgreSqlBossTalkDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlBossTalkDbContext>()
            .UseNpgsql("Host=localhost;Database=bosstalk_design_time")
            .Options);
}

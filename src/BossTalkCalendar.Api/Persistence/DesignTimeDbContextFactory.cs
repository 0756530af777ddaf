using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BossTalkCalendar.Api.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<BossTalkDbContext>
{
    public BossTalkDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<BossTalkDbContext>()
            .UseSqlite(PersistenceExtensions.SqliteConnectionString("design-time.db"))
            .Options);
}

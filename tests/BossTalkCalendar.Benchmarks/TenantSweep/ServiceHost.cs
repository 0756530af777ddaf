using Microsoft.AspNetCore.Hosting;

namespace BossTalkCalendar.Benchmarks.TenantSweep;

/// <summary>
/// The real service (its own Program, real Hangfire and EF Core, the real Graph SDK) on a loopback Kestrel port in
/// this process, as tests host it (<see cref="BossTalkCalendarApplication"/>), serving <see cref="SweepTenant"/>.
/// Tokens come from its test issuer, whose key the service's real JwtBearer validation trusts. The load mode serves
/// requests from it; the tenant sweep uses it with <c>Jobs:RunServer=false</c> as the observer next to the
/// service's child process (enrolment, sweep triggers, progress from the shared storage).
/// </summary>
internal static class ServiceHost
{
    /// <summary>Not started yet: the load mode starts it (<c>StartServer</c>), the observer on first use of its services.</summary>
    public static BossTalkCalendarApplication Create(string dataDirectory, Uri graphBaseUrl, IReadOnlyDictionary<string, string?> settings)
    {
        var all = ServiceSettings.Tenant(dataDirectory, graphBaseUrl)
            .With("Storage:Provider", "Sqlite")
            // The service answers its own tenant only.
            .With("Graph:TenantId", SweepTenant.TenantId)
            .With("Logging:LogLevel:Hangfire", "Error")
            .With(settings);

        // The service's own appsettings.json and wwwroot, as when it runs from its project folder, in production.
        var service = new BossTalkCalendarApplication(all, host: builder => builder
            .UseContentRoot(RepositoryRoot.Combine("src", "BossTalkCalendar.Api"))
            .UseEnvironment("Production"));
        service.UseKestrel(0);
        return service;
    }
}

using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BossTalkCalendar.Benchmarks.TenantSweep;

/// <summary>
/// The real service (its own Program, real Hangfire and EF Core on SQLite, the real Graph SDK) on a loopback Kestrel
/// port in this process. Tokens come from a local issuer whose key the service's real JwtBearer validation trusts.
/// The load mode serves requests from it; the tenant sweep uses it with <c>Jobs:RunServer=false</c> as the observer
/// next to the service's child process (enrollment, sweep triggers, progress from the shared storage).
/// </summary>
internal sealed class ServiceHost : WebApplicationFactory<global::Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public ServiceHost(string dataDirectory, Uri graphBaseUrl, IReadOnlyDictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:DataDirectory"] = dataDirectory,
            ["Sandbox:Enabled"] = "false",
            // A tenant on the default http://localhost:5080: allowed for a local run only.
            ["Service:AllowHttpPublicBaseUrl"] = "true",
            // The service answers its own tenant only.
            ["Graph:TenantId"] = SweepTenant.TenantId,
            ["Graph:BaseUrl"] = graphBaseUrl.ToString(),
            ["Jobs:SweepOnStartup"] = "false",
            // 31 February: nothing recurring fires on its own; the benchmark triggers the sweep.
            ["Jobs:SweepCron"] = "0 0 31 2 *",
            ["Rollout:RefreshCron"] = "0 0 31 2 *",
            ["Rollout:RetentionCron"] = "0 0 31 2 *",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Hangfire"] = "Error",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        _settings = all;
        UseKestrel(0);
    }

    public TestIssuer Issuer { get; } = new();

    /// <summary>http://127.0.0.1:PORT of the running service.</summary>
    public Uri Address
    {
        get
        {
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // The service's own appsettings.json and wwwroot, as when it runs from its project folder.
        builder.UseSolutionRelativeContentRoot("src/BossTalkCalendar.Api");
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(Issuer.Configure);
    }

    public Task<BossTalkDbContext> CreateDbContextAsync() =>
        Services.GetRequiredService<IDbContextFactory<BossTalkDbContext>>().CreateDbContextAsync();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Issuer.Dispose();
        }
    }
}

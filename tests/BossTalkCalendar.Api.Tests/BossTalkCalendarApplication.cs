using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Tests.Infrastructure;
using Hangfire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BossTalkCalendar.Api.Tests;

/// <summary>
/// The real service (real Hangfire on SQLite, real EF Core on SQLite, the real Graph SDK over HTTP) in a test
/// host. By default sandbox mode is off and <c>Graph:BaseUrl</c> points at a Graph simulator the test started:
/// the service cannot tell it from any other Graph-compatible server. Bearer tokens come from <see cref="Issuer"/>,
/// whose key the service's real JwtBearer validation trusts (nothing in the authentication pipeline is bypassed).
/// </summary>
public sealed class BossTalkCalendarApplication : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly TimeProvider _time;

    /// <param name="dataDirectory">The service's data folder (SQLite files); reuse it to simulate a restart.</param>
    /// <param name="time">The clock the service runs on; the simulator's seed must be built around the same now.</param>
    /// <param name="graphBaseUrl">The simulator's Graph root, or null in sandbox mode.</param>
    /// <param name="settings">Extra settings, applied last; a null value drops the test default.</param>
    public BossTalkCalendarApplication(string dataDirectory, TimeProvider time, Uri? graphBaseUrl, IReadOnlyDictionary<string, string?>? settings = null)
    {
        _time = time;
        _settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Storage:DataDirectory"] = dataDirectory,
            ["Sandbox:Enabled"] = "false",
            ["Jobs:PollInterval"] = "00:00:01",
            ["Jobs:WorkerCount"] = "2",
            ["Jobs:SweepOnStartup"] = "false",
            // 31 February: the recurring sweep never fires on its own; tests trigger it.
            ["Jobs:SweepCron"] = "0 0 31 2 *",
            ["Rollout:RefreshCron"] = "0 0 31 2 *",
            ["Rollout:RetentionCron"] = "0 0 31 2 *",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (graphBaseUrl is not null)
        {
            _settings["Graph:BaseUrl"] = graphBaseUrl.ToString();
        }

        // A null value removes a default, so the service's own default applies.
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                _settings.Remove(key);
            }
            else
            {
                _settings[key] = value;
            }
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // UseSetting reaches the configuration Program.cs reads while it builds (sandbox switch, Jobs:RunServer).
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton(_time);
        });
        builder.ConfigureTestServices(Issuer.Configure);
    }

    /// <summary>Mints the tokens the service accepts (signed with the real clock, as token validation uses it).</summary>
    public TestIssuer Issuer { get; } = new();

    /// <summary>A client whose requests carry a valid access token of <paramref name="userId"/> in <paramref name="tenantId"/>.</summary>
    public HttpClient CreateClientFor(string userId, string tenantId)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Issuer.Mint(userId, tenantId));
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Issuer.Dispose();
        }
    }

    /// <summary>Triggers the recurring sweep and waits until every active user was scanned since and no nudge is still planned.</summary>
    public async Task RunSweepAsync(TimeSpan? timeout = null)
    {
        var since = _time.GetUtcNow();
        Services.GetRequiredService<IRecurringJobManager>().Trigger(SweepJob.RecurringJobId);
        await Eventually.TrueAsync(
            async () =>
            {
                await using var db = await CreateDbContextAsync();
                var scans = await db.EnrolledUsers.Where(u => u.Enrolled && !u.OptedOut && !u.Paused).Select(u => u.LastScanAt).ToListAsync();
                var planned = await db.Nudges.CountAsync(n => n.State == NudgeState.Planned);
                return scans.All(scanned => scanned >= since) && planned == 0;
            },
            timeout ?? TimeSpan.FromSeconds(60),
            "the sweep to scan every enrolled user and settle every nudge");
    }

    public Task<BossTalkDbContext> CreateDbContextAsync() =>
        Services.GetRequiredService<IDbContextFactory<BossTalkDbContext>>().CreateDbContextAsync();

    public async Task<List<Nudge>> NudgesAsync()
    {
        await using var db = await CreateDbContextAsync();
        return await db.Nudges.AsNoTracking().ToListAsync();
    }
}

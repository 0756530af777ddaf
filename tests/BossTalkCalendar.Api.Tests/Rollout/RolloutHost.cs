using System.Net.Http.Headers;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Rollout;
using BossTalkCalendar.Api.Tests.Infrastructure;
using Hangfire;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BossTalkCalendar.Api.Tests.Rollout;

/// <summary>
/// The real service (see <see cref="BossTalkCalendarApplication"/>: recurring jobs never fire on their own, tokens from
/// its issuer go through the real JwtBearer validation) with, optionally, every log line captured and extra test
/// services, plus the helpers the rollout tests share.
/// </summary>
public sealed class RolloutHost : IAsyncDisposable
{
    private readonly BossTalkCalendarApplication _application;
    private readonly WebApplicationFactory<Program> _factory;
    private readonly TimeProvider _time;

    public RolloutHost(string dataDirectory, TimeProvider time, Uri? graphBaseUrl, IReadOnlyDictionary<string, string?> settings, InMemoryLogs? logs = null, Action<IServiceCollection>? services = null)
    {
        _time = time;
        _application = new BossTalkCalendarApplication(dataDirectory, time, graphBaseUrl, settings);
        _factory = _application.WithWebHostBuilder(builder => builder.ConfigureTestServices(collection =>
        {
            if (logs is not null)
            {
                collection.AddSingleton<ILoggerProvider>(logs);
            }

            services?.Invoke(collection);
        }));
    }

    /// <summary>The factory's issuer, whose key the service trusts.</summary>
    public TestIssuer Issuer => _application.Issuer;

    public IServiceProvider Services => _factory.Services;

    /// <summary>A client that sends <paramref name="token"/> as its bearer token (none when null).</summary>
    public HttpClient Client(string? token)
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public HttpClient UserClient(string tenantId, string userId) => Client(Issuer.Mint(userId, tenantId));

    public HttpClient AdminClient(string tenantId, string userId) => Client(Issuer.MintAdmin(userId, tenantId));

    public Task<BossTalkDbContext> DbAsync() =>
        Services.GetRequiredService<IDbContextFactory<BossTalkDbContext>>().CreateDbContextAsync();

    public async Task<List<Nudge>> NudgesAsync()
    {
        await using var db = await DbAsync();
        return await db.Nudges.AsNoTracking().ToListAsync();
    }

    public async Task<List<EnrolledUser>> UsersAsync()
    {
        await using var db = await DbAsync();
        return await db.EnrolledUsers.AsNoTracking().ToListAsync();
    }

    public async Task<List<AuditEntry>> AuditAsync()
    {
        await using var db = await DbAsync();
        return await db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
    }

    /// <summary>Runs a job the way Hangfire would (a fresh scope), but here and now.</summary>
    public async Task RunAsync<TJob>(Func<TJob, Task> run)
        where TJob : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        await run(scope.ServiceProvider.GetRequiredService<TJob>());
    }

    /// <summary>
    /// Runs a sweep through Hangfire and waits until it finished, every member it should scan was scanned since, and no
    /// nudge is still planned.
    /// </summary>
    public async Task SweepAsync()
    {
        var since = _time.GetUtcNow();
        var jobId = Services.GetRequiredService<IBackgroundJobClient>().Enqueue<SweepJob>(job => job.RunAsync(CancellationToken.None));
        await WaitForJobAsync(jobId);
        await Eventually.TrueAsync(
            async () =>
            {
                await using var db = await DbAsync();
                var scans = await db.EnrolledUsers
                    .Where(u => u.Enrolled && !u.OptedOut && !u.Paused
                        && db.Teams.Any(t => t.TenantId == u.TenantId && t.ManagerId == u.ManagerId && t.State == TeamState.Approved))
                    .Select(u => u.LastScanAt)
                    .ToListAsync();
                var planned = await db.Nudges.CountAsync(n => n.State == NudgeState.Planned);
                return scans.All(scanned => scanned >= since) && planned == 0;
            },
            TimeSpan.FromSeconds(60),
            "the sweep to scan every enrolled member and settle every nudge");
    }

    /// <summary>Waits until Hangfire ran the job to success.</summary>
    public Task WaitForJobAsync(string jobId) =>
        Eventually.TrueAsync(
            () =>
            {
                using var connection = Services.GetRequiredService<JobStorage>().GetConnection();
                var state = connection.GetJobData(jobId)?.State;
                return Task.FromResult(state == Hangfire.States.SucceededState.StateName);
            },
            TimeSpan.FromSeconds(60),
            $"job {jobId} to succeed");

    /// <summary>The Hangfire state of a job (null when it does not exist).</summary>
    public string? JobState(string jobId)
    {
        using var connection = Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetJobData(jobId)?.State;
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _application.DisposeAsync();
    }
}

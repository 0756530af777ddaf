using System.Net.Http.Headers;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Notifications;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Rollout;
using BossTalkCalendar.GraphSimulator;
using Hangfire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace BossTalkCalendar.Testing;

/// <summary>
/// The real service (real Hangfire, real EF Core, the real Graph SDK over HTTP) in a test host: the one in-process
/// host of the service for every test project and the benchmarks. Its settings come from <see cref="ServiceSettings"/>.
/// By default (the constructor taking a data folder) sandbox mode is off and <c>Graph:BaseUrl</c> points at a Graph
/// simulator the test started: the service cannot tell it from any other Graph-compatible server. Bearer tokens come
/// from <see cref="Issuer"/>, whose key the service's real JwtBearer validation trusts (nothing in the authentication
/// pipeline is bypassed). Optionally every log line is captured and extra test services are registered.
/// <para>
/// Other things start code under test and are deliberately not this host: <c>Graph/GraphTestEnvironment</c> (Api.Tests)
/// runs only the Graph gateway against the simulator (no service at all), and <see cref="ServiceProcess"/> runs the
/// service as a real child process (for crashes and restarts an in-process host cannot show). <c>Auth/AuthProbeHost</c>
/// (Api.Tests) is not the service either: it is the real authentication setup with probe endpoints, also on real
/// Kestrel, which a test server of the service cannot be.
/// </para>
/// </summary>
public sealed class BossTalkCalendarApplication : WebApplicationFactory<Program>
{
    private readonly ServiceSettings _settings;
    private readonly TimeProvider? _time;
    private readonly bool _trustTestIssuer;
    private readonly InMemoryLogs? _logs;
    private readonly Action<IServiceCollection>? _services;
    private readonly Action<IWebHostBuilder>? _host;
    private GraphSimulatorHost? _graph;
    private TempDirectory? _data;
    private string? _tenantId;

    /// <param name="settings">What the service starts with, usually built from <see cref="ServiceSettings"/>.</param>
    /// <param name="time">The clock the service runs on; null leaves the service its own (the real one).</param>
    /// <param name="trustTestIssuer">Whether token validation trusts <see cref="Issuer"/> (off to keep the sandbox's development issuer).</param>
    /// <param name="logs">When given, captures every log line of the service.</param>
    /// <param name="services">Extra test services, registered after the service's own.</param>
    /// <param name="host">More configuration of the web host (content root, environment), applied before the settings.</param>
    public BossTalkCalendarApplication(
        IReadOnlyDictionary<string, string?> settings,
        TimeProvider? time = null,
        bool trustTestIssuer = true,
        InMemoryLogs? logs = null,
        Action<IServiceCollection>? services = null,
        Action<IWebHostBuilder>? host = null)
    {
        _settings = new ServiceSettings().With(settings);
        _time = time;
        _trustTestIssuer = trustTestIssuer;
        _logs = logs;
        _services = services;
        _host = host;
    }

    /// <summary>
    /// The service serving a tenant (<see cref="ServiceSettings.Tenant"/>) with two Hangfire workers
    /// (<see cref="ServiceSettings.TwoWorkers"/>), on <paramref name="time"/>.
    /// </summary>
    /// <param name="dataDirectory">The service's data folder (SQLite files); reuse it to simulate a restart.</param>
    /// <param name="time">The clock the service runs on; the simulator's seed must be built around the same now.</param>
    /// <param name="graphBaseUrl">The simulator's Graph root, or null in sandbox mode.</param>
    /// <param name="settings">Extra settings, applied last; a null value drops the test default.</param>
    /// <param name="logs">When given, captures every log line of the service.</param>
    /// <param name="services">Extra test services, registered after the service's own.</param>
    public BossTalkCalendarApplication(
        string dataDirectory,
        TimeProvider time,
        Uri? graphBaseUrl,
        IReadOnlyDictionary<string, string?>? settings = null,
        InMemoryLogs? logs = null,
        Action<IServiceCollection>? services = null)
        : this(ServiceSettings.Tenant(dataDirectory, graphBaseUrl).TwoWorkers().With(settings), time, logs: logs, services: services)
    {
    }

    /// <summary>
    /// The service in a data folder of its own over a Graph simulator of its own holding <paramref name="seed"/>, both on
    /// <paramref name="clock"/>; disposing the host disposes the simulator and removes the folder.
    /// </summary>
    public static async Task<BossTalkCalendarApplication> StartAsync(TenantSeed seed, TimeProvider clock, IReadOnlyDictionary<string, string?>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var data = new TempDirectory();
        var graph = await GraphSimulatorHost.StartAsync(seed, new SimulatorOptions { Port = 0, TimeProvider = clock });
        // The service answers the tenant it serves only: the seed's.
        var withTenant = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>(), StringComparer.OrdinalIgnoreCase);
        withTenant.TryAdd("Graph:TenantId", seed.TenantId);
        return new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, withTenant) { _graph = graph, _data = data, _tenantId = seed.TenantId };
    }

    /// <summary>The service in a data folder of its own (removed when the host is disposed), with Graph at <paramref name="graphBaseUrl"/>.</summary>
    public static BossTalkCalendarApplication InOwnFolder(TimeProvider clock, Uri? graphBaseUrl, IReadOnlyDictionary<string, string?>? settings = null, InMemoryLogs? logs = null)
    {
        var data = new TempDirectory();
        return new BossTalkCalendarApplication(data.Path, clock, graphBaseUrl, settings, logs) { _data = data };
    }

    /// <summary>The clock the service runs on.</summary>
    public TimeProvider Clock => _time ?? TimeProvider.System;

    /// <summary>http://127.0.0.1:PORT of the service, once started on Kestrel (<c>UseKestrel</c>, <c>StartServer</c>).</summary>
    public Uri ServerAddress
    {
        get
        {
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        }
    }

    /// <summary>The simulator this host started (see <see cref="StartAsync"/>).</summary>
    public GraphSimulatorHost Graph => _graph ?? throw new InvalidOperationException("This host did not start a Graph simulator of its own.");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        _host?.Invoke(builder);

        // UseSetting reaches the configuration Program.cs reads while it builds (sandbox switch, Jobs:RunServer).
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_time is not null)
        {
            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton(_time);
            });
        }

        if (_trustTestIssuer)
        {
            builder.ConfigureTestServices(Issuer.Configure);
        }

        builder.ConfigureTestServices(collection =>
        {
            collection.AddSingleton<ILoggerProvider>(Warnings);
            if (_logs is not null)
            {
                collection.AddSingleton<ILoggerProvider>(_logs);
            }

            _services?.Invoke(collection);
        });
    }

    /// <summary>
    /// The service's last 20 warnings and errors with their exceptions, kept for every host so that a wait that times out,
    /// or an answer of 500, can say what the service hit (a CI run once failed on a job's exception nobody kept).
    /// </summary>
    public InMemoryLogs Warnings { get; } = new(LogLevel.Warning, keep: 20);

    /// <summary>Mints the tokens the service accepts (signed with the real clock, as token validation uses it).</summary>
    public TestIssuer Issuer { get; } = new();

    /// <summary>A client whose requests carry a valid access token of <paramref name="userId"/> in <paramref name="tenantId"/>.</summary>
    public HttpClient CreateClientFor(string userId, string tenantId)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Issuer.Mint(userId, tenantId));
        return client;
    }

    /// <summary>A client signed in as <paramref name="member"/> of the tenant of the simulator this host started.</summary>
    public HttpClient ClientFor(Member member) =>
        CreateClientFor(member.Id, _tenantId ?? throw new InvalidOperationException("This host did not start a Graph simulator of its own."));

    /// <summary>A client that does not follow redirects and sends <paramref name="token"/> as its bearer token (none when null).</summary>
    public HttpClient Client(string? token)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Like <see cref="Client"/>, with a user's token.</summary>
    public HttpClient UserClient(string tenantId, string userId) => Client(Issuer.Mint(userId, tenantId));

    /// <summary>Like <see cref="Client"/>, with an administrator's token.</summary>
    public HttpClient AdminClient(string tenantId, string userId) => Client(Issuer.MintAdmin(userId, tenantId));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_graph is not null)
        {
            await _graph.DisposeAsync();
        }

        _data?.Dispose();
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
        var since = Clock.GetUtcNow();
        Services.GetRequiredService<IRecurringJobManager>().Trigger(SweepJob.RecurringJobId);
        var missing = new SweepProgress(this);
        await Eventually.TrueAsync(
            async () =>
            {
                await using var db = await CreateDbContextAsync();
                var scans = await db.EnrolledUsers.Where(u => u.Enrolled && !u.OptedOut && !u.Paused).Select(u => u.LastScanAt).ToListAsync();
                return await SweepDoneAsync(db, scans, since, missing);
            },
            timeout ?? TimeSpan.FromSeconds(60),
            "the sweep to scan every enrolled user and settle every nudge",
            missing.ToString);
    }

    /// <summary>
    /// Waits until no rescan is due or claimed (a folded one, due later by this host's clock, does not count) and the
    /// job queues are idle on two readings in a row (see <see cref="JobQueues.IsIdle"/>).
    /// </summary>
    public Task UntilQueuesDrainAsync(TimeSpan timeout)
    {
        var monitoring = Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        string? seen = null;
        return Eventually.StableAsync(
            async () =>
            {
                await using var db = await CreateDbContextAsync();
                var now = Clock.GetUtcNow().ToUnixTimeMilliseconds();
                var rescansDue = await db.EnrolledUsers.CountAsync(u => u.RescanDueUnixMs <= now);
                var busy = JobQueues.Busy(monitoring);
                var idle = rescansDue == 0 && busy is null;
                seen = $"rescans due or claimed {rescansDue}; {busy ?? "queues idle"}{(idle ? "" : await HangfireLocksAsync(db))}";
                return idle;
            },
            timeout,
            "the job queues to drain",
            () => $"{seen}; the service's last warnings:{Environment.NewLine}{Warnings}");
    }

    /// <summary>
    /// On PostgreSQL, Hangfire's distributed locks held right now (a job's state changes under one; a worker that cannot
    /// take it waits with the job fetched and not yet processing), for a drain's timeout message.
    /// </summary>
    private static async Task<string> HangfireLocksAsync(BossTalkDbContext db)
    {
        if (!db.Database.IsNpgsql())
        {
            return "";
        }

        try
        {
            var locks = await db.Database
                .SqlQueryRaw<string>($"""SELECT "resource" || ' since ' || coalesce(to_char("acquired" AT TIME ZONE 'UTC', 'HH24:MI:SS.MS'), '?') AS "Value" FROM "{JobsExtensions.HangfireSchema}"."lock" """)
                .ToListAsync();
            return $"; Hangfire locks [{string.Join(", ", locks)}]";
        }
        catch (Npgsql.NpgsqlException ex)
        {
            // Only a diagnostic: a drain never fails for want of it.
            return $"; Hangfire locks not read ({ex.GetType().Name})";
        }
    }

    public Task<BossTalkDbContext> CreateDbContextAsync() =>
        Services.GetRequiredService<IDbContextFactory<BossTalkDbContext>>().CreateDbContextAsync();

    public async Task<List<Nudge>> NudgesAsync()
    {
        await using var db = await CreateDbContextAsync();
        return await db.Nudges.AsNoTracking().ToListAsync();
    }

    public async Task<Nudge> NudgeAsync(Guid id)
    {
        await using var db = await CreateDbContextAsync();
        return db.Nudges.Single(n => n.Id == id);
    }

    /// <summary>Waits until the nudge is no longer planned (its placement job ran) and returns it.</summary>
    public async Task<Nudge> SettledAsync(Guid id)
    {
        Nudge? planned = null;
        await Eventually.TrueAsync(
            async () =>
            {
                var nudge = await NudgeAsync(id);
                planned = nudge.State == NudgeState.Planned ? nudge : null;
                return planned is null;
            },
            TimeSpan.FromSeconds(60),
            $"nudge {id} to be placed",
            () => $"{(planned is null ? "" : WhyStillPlanned(planned))}; the service's last warnings:{Environment.NewLine}{Warnings}");
        return await NudgeAsync(id);
    }

    /// <summary>
    /// What a flake leaves behind, read only when a wait times out: the job meant to place the nudge, with its states and
    /// their reasons, oldest first (a job that threw shows Hangfire's own retry, "Retry attempt 1 of 10: &lt;exception&gt;",
    /// as a Scheduled state: f3, 2026-12-07, "job 1 Scheduled", attempts 0), and the user's placement lease by this
    /// host's clock.
    /// </summary>
    private string WhyStillPlanned(Nudge nudge)
    {
        using var db = Services.GetRequiredService<IDbContextFactory<BossTalkDbContext>>().CreateDbContext();
        var lease = db.UserLeases.AsNoTracking().FirstOrDefault(l => l.TenantId == nudge.TenantId && l.UserId == nudge.UserId);
        var monitoring = Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var history = nudge.HangfireJobId is { } jobId && monitoring.JobDetails(jobId) is { } details
            ? string.Join(" → ", details.History.AsEnumerable().Reverse().Select(h => h.StateName + (h.Reason is null ? "" : $" ({h.Reason})")
                + (h.Data is { } data && data.TryGetValue("ExceptionType", out var type) && data.TryGetValue("ExceptionMessage", out var message) ? $" [{type}: {message}]" : "")))
            : "none";
        return $"attempts {nudge.Attempts}, job {nudge.HangfireJobId}: {history}, lease {(lease is null ? "free" : $"held by {lease.Holder} until {lease.ExpiresAtUnixMs} (clock {Clock.GetUtcNow().ToUnixTimeMilliseconds()})")}; {JobQueues.Busy(monitoring) ?? "queues idle"}; {PostgresActivity.Describe(db)}";
    }

    /// <summary>The manager approves their team with these members, as in the rollout.</summary>
    public Task ApproveTeamAsync(string tenantId, Member manager, IEnumerable<Member> members) =>
        Services.GetRequiredService<TeamRollout>()
            .ApproveAsync(tenantId, manager.Id, manager.Id, [.. members.Select(m => m.Id)], CancellationToken.None);

    public async Task<List<EnrolledUser>> UsersAsync()
    {
        await using var db = await CreateDbContextAsync();
        return await db.EnrolledUsers.AsNoTracking().ToListAsync();
    }

    public async Task<List<AuditEntry>> AuditAsync()
    {
        await using var db = await CreateDbContextAsync();
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
    /// Runs subscription maintenance once, after any run already queued (at start-up, on approval) has finished: that
    /// run holds the rows it works on under a claim, which this one would skip.
    /// </summary>
    public async Task MaintainSubscriptionsAsync()
    {
        var monitoring = Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        // Two readings in a row, as for the drain: a CI flake found no subscription after this wait, because a queued run
        // had been fetched but not yet marked processing, held its rows under a claim and this run skipped them.
        await Eventually.StableAsync(
            () => Task.FromResult(JobQueues.NoneOf<CalendarSubscriptions>(monitoring)),
            TimeSpan.FromSeconds(30),
            "queued subscription maintenance to finish");
        await RunAsync<CalendarSubscriptions>(job => job.RunAsync(null, CancellationToken.None));
    }

    /// <summary>
    /// Enqueues a sweep through Hangfire and waits until it finished, every member of an approved team it should scan
    /// was scanned since, and no nudge is still planned (unlike <see cref="RunSweepAsync"/>, members of teams that are
    /// not approved are not waited for).
    /// </summary>
    public async Task SweepAsync()
    {
        var since = Clock.GetUtcNow();
        var jobId = Services.GetRequiredService<IBackgroundJobClient>().Enqueue<SweepJob>(job => job.RunForEveryoneAsync(CancellationToken.None));
        await WaitForJobAsync(jobId);
        var missing = new SweepProgress(this);
        await Eventually.TrueAsync(
            async () =>
            {
                await using var db = await CreateDbContextAsync();
                var scans = await db.EnrolledUsers
                    .Where(u => u.Enrolled && !u.OptedOut && !u.Paused
                        && db.Teams.Any(t => t.TenantId == u.TenantId && t.ManagerId == u.ManagerId && t.State == TeamState.Approved))
                    .Select(u => u.LastScanAt)
                    .ToListAsync();
                return await SweepDoneAsync(db, scans, since, missing);
            },
            TimeSpan.FromSeconds(60),
            "the sweep to scan every enrolled member and settle every nudge",
            missing.ToString);
    }

    /// <summary>
    /// True when every user in <paramref name="scans"/> was scanned since <paramref name="since"/> and no nudge for a
    /// meeting that has ended is still planned (one planned ahead for a meeting still to come waits for its delayed job,
    /// which runs on the wall clock, not on the test's); otherwise false, with what is missing in <paramref name="missing"/>.
    /// </summary>
    private async Task<bool> SweepDoneAsync(BossTalkDbContext db, List<DateTimeOffset?> scans, DateTimeOffset since, SweepProgress missing)
    {
        var now = Clock.GetUtcNow();
        var due = await db.Nudges.AsNoTracking().Where(n => n.State == NudgeState.Planned).ToListAsync();
        due.RemoveAll(n => n.MeetingEnd > now);
        missing.Unscanned = scans.Count(scanned => !(scanned >= since));
        missing.Scanned = scans.Count;
        missing.Due = due;
        return missing.Unscanned == 0 && due.Count == 0;
    }

    /// <summary>What a sweep wait last found missing; its jobs are read only when the wait times out.</summary>
    private sealed class SweepProgress(BossTalkCalendarApplication host)
    {
        public int Unscanned { get; set; }

        public int Scanned { get; set; }

        public List<Nudge> Due { get; set; } = [];

        public override string ToString()
        {
            var nudges = string.Join(", ", Due.Select(n => $"{n.Id} (attempts {n.Attempts}, job {n.HangfireJobId} {(n.HangfireJobId is { } job ? host.JobState(job) : "")})"));
            var busy = JobQueues.Busy(host.Services.GetRequiredService<JobStorage>().GetMonitoringApi());
            using var db = host.Services.GetRequiredService<IDbContextFactory<BossTalkDbContext>>().CreateDbContext();
            return $"{Unscanned} of {Scanned} users not scanned since; due and still planned [{nudges}]; {busy ?? "queues idle"}; the service's last warnings:{Environment.NewLine}{host.Warnings}{Environment.NewLine}{PostgresActivity.Describe(db)}";
        }
    }

    /// <summary>Waits until Hangfire ran the job to success.</summary>
    public Task WaitForJobAsync(string jobId) =>
        Eventually.TrueAsync(
            () => Task.FromResult(JobState(jobId) == Hangfire.States.SucceededState.StateName),
            TimeSpan.FromSeconds(60),
            $"job {jobId} to succeed");

    /// <summary>The Hangfire state of a job (null when it does not exist).</summary>
    public string? JobState(string jobId)
    {
        using var connection = Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetJobData(jobId)?.State;
    }
}

using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Graph;
using BossTalkCalendar.Graph;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static BossTalkCalendar.Api.Tests.Graph.GraphTestTenant;

namespace BossTalkCalendar.Api.Tests.Graph;

public sealed class GraphGatewayLimitsTests
{
    private static readonly Interval TenDays = new(WeekStart, WeekStart.AddDays(10));

    [Fact]
    public async Task NoMoreThanTheConfiguredRequestsReachOneMailboxAtOnce()
    {
        await using var env = await GraphTestEnvironment.StartAsync(o => o.MaxConcurrentRequestsPerMailbox = 4);
        env.Simulator.Options.AddedLatency = TimeSpan.FromMilliseconds(100);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => env.Gateway.GetCalendarViewAsync(AliceId, TenDays, CancellationToken.None)));

        Assert.InRange(env.Tenant.RequestLog.PeakConcurrency(AliceId), 1, 4);
        Assert.Equal(0, env.Tenant.RequestLog.ThrottledCount);
    }

    [Fact]
    public async Task WithoutTheLimitTheSameBurstOverlapsOnTheMailbox()
    {
        // Shows the previous test can fail: the burst does overlap (and trips Exchange's limit of 4) when nothing holds it back.
        await using var env = await GraphTestEnvironment.StartAsync(o => o.MaxConcurrentRequestsPerMailbox = 0);
        env.Simulator.Options.AddedLatency = TimeSpan.FromMilliseconds(100);

        var calls = Enumerable.Range(0, 8).Select(_ => env.Gateway.GetCalendarViewAsync(AliceId, TenDays, CancellationToken.None)).ToList();
        try
        {
            await Task.WhenAll(calls);
        }
        catch (GatewayException)
        {
            // Inspected below, call by call.
        }

        Assert.True(env.Tenant.RequestLog.PeakConcurrency(AliceId) > 4);
        Assert.Contains(calls, c => c.Exception?.InnerException is GatewayException { Failure: GatewayFailure.Throttled });
    }

    [Fact]
    public async Task UserManagerAndMailboxSettingsCostTwoRequestsAndAreReusedUntilTheCacheExpires()
    {
        var clock = new FakeTimeProvider(WeekStart);
        await using var env = await GraphTestEnvironment.StartAsync(
            o =>
            {
                o.DirectoryCacheDuration = TimeSpan.FromHours(6);
                o.MailboxSettingsCacheDuration = TimeSpan.FromHours(6);
            },
            clock);

        // The user and their manager come in one request ($expand=manager).
        var manager = await env.Gateway.GetManagerAsync(AliceId, CancellationToken.None);
        var user = await env.Gateway.GetUserAsync(AliceId, CancellationToken.None);
        await env.Gateway.GetMailboxProfileAsync(AliceId, CancellationToken.None);
        Assert.Equal(2, env.Tap.Requests.Count);
        Assert.Equal(AliceId, user.Id);
        Assert.NotNull(manager);
        Assert.NotEqual(AliceId, manager.Id);

        clock.Advance(TimeSpan.FromHours(5));
        await env.Gateway.GetManagerAsync(AliceId, CancellationToken.None);
        await env.Gateway.GetUserAsync(AliceId, CancellationToken.None);
        await env.Gateway.GetMailboxProfileAsync(AliceId, CancellationToken.None);
        Assert.Equal(2, env.Tap.Requests.Count);

        clock.Advance(TimeSpan.FromHours(2));
        await env.Gateway.GetManagerAsync(AliceId, CancellationToken.None);
        await env.Gateway.GetUserAsync(AliceId, CancellationToken.None);
        await env.Gateway.GetMailboxProfileAsync(AliceId, CancellationToken.None);
        Assert.Equal(4, env.Tap.Requests.Count);
    }

    [Fact]
    public async Task ReadingATeamRenewsItsMembersEntriesWithTheManagerSoTheyCostNoRequestOfTheirOwn()
    {
        var clock = new FakeTimeProvider(WeekStart);
        await using var env = await GraphTestEnvironment.StartAsync(o => o.DirectoryCacheDuration = TimeSpan.FromHours(24), clock);

        // Alice read her own entry a day ago, the manager's entry is cold: the team read costs its page and the
        // manager's entry, and renews all three members with the manager.
        await env.Gateway.GetUserAsync(AliceId, CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(23));
        var reports = await env.Gateway.RenewTeamAsync(ManagerId, CancellationToken.None);
        Assert.Equal(3, reports.Count);
        Assert.Equal(3, env.Tap.Requests.Count);
        Assert.Contains(env.Tap.Requests, r => r.PathAndQuery.Contains("/directReports", StringComparison.Ordinal));

        // Past Alice's own day, and nearly a day after the team read: nobody asks Graph.
        clock.Advance(TimeSpan.FromHours(23));
        foreach (var member in new[] { AliceId, BobId, CarolId })
        {
            Assert.Equal(ManagerId, (await env.Gateway.GetManagerAsync(member, CancellationToken.None))?.Id);
            Assert.Equal(member, (await env.Gateway.GetUserAsync(member, CancellationToken.None)).Id);
        }

        Assert.Equal(3, env.Tap.Requests.Count);

        // A day after the team read, a member that was not renewed again reads their own entry.
        clock.Advance(TimeSpan.FromHours(2));
        await env.Gateway.GetManagerAsync(BobId, CancellationToken.None);
        Assert.Equal(4, env.Tap.Requests.Count);
    }

    [Fact]
    public async Task ConcurrentMissesOfOneUserShareOneRequest()
    {
        var clock = new FakeTimeProvider(WeekStart);
        await using var env = await GraphTestEnvironment.StartAsync(timeProvider: clock);

        // Sixteen scans of Alice at once, nothing cached: one request, one answer for all.
        var managers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => env.Gateway.GetManagerAsync(AliceId, CancellationToken.None)));
        Assert.Single(env.Tap.Requests);
        Assert.All(managers, manager => Assert.Equal(managers[0], manager));
    }

    [Fact]
    public async Task TheAppWideRateCapPacesRequestsOnTheInjectedClock()
    {
        var clock = new FakeTimeProvider(WeekStart);
        await using var env = await GraphTestEnvironment.StartAsync(o => o.MaxRequestsPerSecond = 2, clock);

        // The bucket starts full (2 tokens); the third request must wait for a refill on the fake clock.
        await env.Gateway.GetUserAsync(AliceId, CancellationToken.None);
        await env.Gateway.GetUserAsync(BobId, CancellationToken.None);
        var third = env.Gateway.GetUserAsync(CarolId, CancellationToken.None);
        await Task.Delay(300);
        Assert.False(third.IsCompleted);
        Assert.Equal(2, env.Tap.Requests.Count);

        clock.Advance(TimeSpan.FromSeconds(1));
        var carol = await third.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(CarolId, carol.Id);
    }

    [Fact]
    public void ARealTenantNeedsTenantClientAndSecret()
    {
        var result = new GraphOptionsValidator().Validate(null, new GraphOptions { BaseUrl = "https://graph.microsoft.com/v1.0" });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("Graph:TenantId", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Graph:ClientId", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Graph:ClientSecret", StringComparison.Ordinal));
    }

    [Fact]
    public void ACertificateCredentialNeedsAnExistingFile()
    {
        var result = new GraphOptionsValidator().Validate(null, new GraphOptions
        {
            TenantId = "t",
            ClientId = "c",
            Credential = GraphCredentialKind.Certificate,
            CertificatePath = "/nonexistent/cert.pfx",
        });

        Assert.Contains(result.Failures!, f => f.Contains("/nonexistent/cert.pfx", StringComparison.Ordinal));
    }

    [Fact]
    public void ManagedIdentityNeedsNoSecret()
    {
        var result = new GraphOptionsValidator().Validate(null, new GraphOptions
        {
            TenantId = "t",
            ClientId = "c",
            Credential = GraphCredentialKind.ManagedIdentity,
        });

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData("http://graph.example.com/v1.0", "plain http only for a loopback")]
    [InlineData("graph.microsoft.com/v1.0", "absolute http(s) URL")]
    [InlineData("ftp://127.0.0.1/v1.0", "absolute http(s) URL")]
    public void ABaseUrlMustBeHttpsUnlessLoopback(string baseUrl, string expected)
    {
        var result = new GraphOptionsValidator().Validate(null, new GraphOptions { BaseUrl = baseUrl, TenantId = "t", ClientId = "c", ClientSecret = "s" });

        Assert.Contains(result.Failures!, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void ALoopbackSimulatorNeedsNoCredential()
    {
        var result = new GraphOptionsValidator().Validate(null, new GraphOptions { BaseUrl = "http://127.0.0.1:5180/v1.0" });

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void AWrongGraphSettingFailsAtStartUpWithItsName()
    {
        using var provider = BuildServices(new Dictionary<string, string?> { ["Graph:BaseUrl"] = "http://127.0.0.1:5180/v1.0", ["Graph:PageSize"] = "0" });

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<GraphOptions>>().Value);

        Assert.Contains("Graph:PageSize", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRegisteredGatewayTalksToTheConfiguredSimulator()
    {
        await using var env = await GraphTestEnvironment.StartAsync();
        using var provider = BuildServices(new Dictionary<string, string?> { ["Graph:BaseUrl"] = env.Tap.GraphBaseUrl.AbsoluteUri });

        var gateway = provider.GetRequiredService<ICalendarGateway>();
        var user = await gateway.GetUserAsync(AliceId, CancellationToken.None);

        Assert.IsType<GraphCalendarGateway>(gateway);
        Assert.Same(gateway, provider.GetRequiredService<ICalendarGateway>());
        Assert.Equal(AliceMail, user.Email);
        Assert.All(env.Tap.Requests, r => Assert.False(r.HadAuthorization));
    }

    private static ServiceProvider BuildServices(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        // The host brings the clock (Program.cs); the gateway's registration does not read the real one itself.
        services.AddSingleton(TimeProvider.System);
        services.AddGraphGateway();
        return services.BuildServiceProvider(validateScopes: true);
    }
}

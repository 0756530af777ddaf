using System.Net;
using BossTalkCalendar.Api.Tests.Rollout;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BossTalkCalendar.Api.Tests.Authorization;

/// <summary>The Hangfire dashboard: an administrator of the served tenant, or (sandbox mode only) a request from this machine.</summary>
[Collection(AppCollection.Name)]
public sealed class DashboardAuthorizationTests
{
    private const string LoopbackHeader = "X-Test-Loopback-Peer";

    [Fact]
    public async Task TheDashboardOpensForAnAdminOfTheServedTenantOnlyAndNotForLocalCallersOutsideSandboxMode()
    {
        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await RolloutTenant.StartGraphAsync(clock);
        await using var host = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, RolloutTenant.Settings(("Jobs:RunServer", "false")), services: LoopbackPeer);

        Assert.Equal(HttpStatusCode.Unauthorized, await GetDashboardAsync(host.Client(null)));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetDashboardAsync(host.Client(null), fromLoopback: true));
        Assert.Equal(HttpStatusCode.Forbidden, await GetDashboardAsync(host.UserClient(RolloutTenant.TenantId, TestTeam.Manager.Id)));
        // Another tenant's token does not even authenticate (Auth:AllowedTenants defaults to the served tenant).
        Assert.Equal(HttpStatusCode.Unauthorized, await GetDashboardAsync(host.AdminClient(TestIssuer.TenantB, RolloutTenant.ForeignAdminId)));
        Assert.Equal(HttpStatusCode.Forbidden, await GetDashboardAsync(host.Client(host.Issuer.Mint(RolloutTenant.Admin.Id, RolloutTenant.TenantId, scope: "other", roles: [TestIssuer.AdminRole]))));
        Assert.Equal(HttpStatusCode.OK, await GetDashboardAsync(host.AdminClient(RolloutTenant.TenantId, RolloutTenant.Admin.Id)));
    }

    [Fact]
    public async Task InSandboxModeARequestFromThisMachineOpensTheDashboardAndOneFromElsewhereDoesNot()
    {
        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(TestTeam.Now);
        var settings = new Dictionary<string, string?>
        {
            ["Sandbox:Enabled"] = "true",
            ["Graph:TenantId"] = "",
            ["Sandbox:GraphPort"] = "0",
            ["Jobs:RunServer"] = "false",
        };
        await using var host = new BossTalkCalendarApplication(data.Path, clock, graphBaseUrl: null, settings, services: LoopbackPeer);

        Assert.Equal(HttpStatusCode.OK, await GetDashboardAsync(host.Client(null), fromLoopback: true));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetDashboardAsync(host.Client(null)));
    }

    private static async Task<HttpStatusCode> GetDashboardAsync(HttpClient client, bool fromLoopback = false)
    {
        using (client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/hangfire");
            if (fromLoopback)
            {
                request.Headers.Add(LoopbackHeader, "1");
            }

            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }
    }

    /// <summary>The test server has no peer address; this stands in for a connection from 127.0.0.1.</summary>
    private static void LoopbackPeer(IServiceCollection services) => services.AddSingleton<IStartupFilter, LoopbackPeerFilter>();

    private sealed class LoopbackPeerFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.ContainsKey(LoopbackHeader))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Loopback;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

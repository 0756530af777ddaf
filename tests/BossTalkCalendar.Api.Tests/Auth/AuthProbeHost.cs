using System.Net;
using BossTalkCalendar.Api.Auth;
using BossTalkCalendar.Api.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace BossTalkCalendar.Api.Tests.Auth;

/// <summary>
/// A minimal host with the real authentication setup and two probe endpoints under /api/v1 (the product
/// endpoints are tested elsewhere): GET /api/v1/probe (default policy) and GET /api/v1/admin-probe.
/// Deliberately not <see cref="BossTalkCalendarApplication"/> (the one host of the service): these tests pin down the
/// authentication setup alone, with endpoints the service does not have, a fake peer address, optionally the dev
/// issuer, and on real Kestrel so the JwtBearer handler fetches metadata over HTTP.
/// </summary>
public sealed class AuthProbeHost : IAsyncDisposable
{
    /// <summary>Test-only header the fake peer middleware turns into the connection's remote address.</summary>
    public const string FakePeerHeader = "X-Test-Remote-Address";

    private readonly WebApplication _app;

    private AuthProbeHost(WebApplication app, HttpClient client, Uri baseAddress)
    {
        _app = app;
        Client = client;
        BaseAddress = baseAddress;
    }

    public HttpClient Client { get; }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>In-memory TestServer; <paramref name="issuer"/> (if any) is plugged in as a test would plug it into any factory.</summary>
    public static Task<AuthProbeHost> StartTestServerAsync(
        IDictionary<string, string?> settings,
        TestIssuer? issuer = null,
        bool devIssuer = false,
        bool fakePeer = false) =>
        StartAsync(settings, issuer, devIssuer, fakePeer, kestrelUrl: null);

    /// <summary>Real Kestrel on a loopback port, so the JwtBearer handler fetches metadata over HTTP.</summary>
    public static Task<AuthProbeHost> StartKestrelAsync(IDictionary<string, string?> settings, string url, bool devIssuer = true) =>
        StartAsync(settings, issuer: null, devIssuer, fakePeer: false, kestrelUrl: url);

    private static async Task<AuthProbeHost> StartAsync(
        IDictionary<string, string?> settings, TestIssuer? issuer, bool devIssuer, bool fakePeer, string? kestrelUrl)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        if (kestrelUrl is null)
        {
            builder.WebHost.UseTestServer();
        }
        else
        {
            builder.WebHost.UseUrls(kestrelUrl);
        }

        builder.Services.AddApiAuthentication();
        if (devIssuer)
        {
            builder.Services.AddDevIssuer();
        }

        issuer?.Configure(builder.Services);

        var app = builder.Build();
        if (fakePeer)
        {
            app.Use((context, next) =>
            {
                if (context.Request.Headers.Remove(FakePeerHeader, out var peer))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
                }

                return next(context);
            });
        }

        app.UseAuthentication();
        app.UseAuthorization();

        if (devIssuer)
        {
            app.MapDevIssuer();
        }

        var api = app.MapGroup("/api/v1").RequireAuthorization();
        api.MapGet("/probe", (ApiUser user) => user);
        api.MapGet("/admin-probe", (ApiUser user) => user).RequireAuthorization(AuthPolicies.Admin);

        await app.StartAsync();

        if (kestrelUrl is null)
        {
            var client = app.GetTestClient();
            return new AuthProbeHost(app, client, client.BaseAddress!);
        }

        var baseAddress = new Uri(kestrelUrl);
        return new AuthProbeHost(app, new HttpClient { BaseAddress = baseAddress }, baseAddress);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

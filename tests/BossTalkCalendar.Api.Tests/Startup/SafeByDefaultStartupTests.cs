using System.Net;
using System.Text.Json;
using BossTalkCalendar.Api.Sandbox;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BossTalkCalendar.Api.Tests.Startup;

/// <summary>Sandbox mode only when asked for, and never in a shape that reaches beyond this machine.</summary>
[Collection(AppCollection.Name)]
public sealed class SafeByDefaultStartupTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 3, 4, 15, 2, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void OutsideDevelopmentAServiceWithoutATenantRefusesToStartAndSaysWhatToSet(string environment)
    {
        var error = StartUpError(new()
        {
            ["environment"] = environment,
            ["Sandbox:Enabled"] = null,
            ["Graph:TenantId"] = "",
        });

        Assert.NotNull(error);
        Assert.Contains("Graph:TenantId", error, StringComparison.Ordinal);
        Assert.Contains("Sandbox:Enabled", error, StringComparison.Ordinal);
    }

    [Fact]
    public void InDevelopmentWithoutATenantTheSandboxStartsOnItsOwn()
    {
        using var data = new TempDirectory();
        using var app = new BossTalkCalendarApplication(data.Path, Clock, graphBaseUrl: null, new Dictionary<string, string?>
        {
            ["environment"] = "Development",
            ["Sandbox:Enabled"] = null,
            ["Graph:TenantId"] = "",
            ["Sandbox:GraphPort"] = "0",
            ["Jobs:RunServer"] = "false",
        });

        Assert.NotNull(app.Services.GetRequiredService<SandboxGraph>().Host);
    }

    [Fact]
    public void InProductionTheSandboxStartsOnlyWhenAskedFor()
    {
        using var data = new TempDirectory();
        using var app = new BossTalkCalendarApplication(data.Path, Clock, graphBaseUrl: null, new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["Sandbox:Enabled"] = "true",
            ["Sandbox:GraphPort"] = "0",
            ["Jobs:RunServer"] = "false",
        });

        Assert.NotNull(app.Services.GetRequiredService<SandboxGraph>().Host);
    }

    [Fact]
    public void TheSandboxRefusesPostgreSql()
    {
        var error = StartUpError(new()
        {
            ["Sandbox:Enabled"] = "true",
            ["Storage:Provider"] = "PostgreSql",
            ["ConnectionStrings:BossTalk"] = "Host=127.0.0.1;Database=nothing",
        });

        Assert.NotNull(error);
        Assert.Contains("Storage:Provider", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("urls", "http://0.0.0.0:5080")]
    [InlineData("urls", "http://localhost:5080;http://*:5081")]
    [InlineData("urls", "http://+:5080")]
    [InlineData("urls", "http://bosstalk.contoso.com:5080")]
    [InlineData("http_ports", "8080")]
    public void TheSandboxRefusesToListenBeyondLoopback(string key, string value)
    {
        var error = StartUpError(new()
        {
            ["Sandbox:Enabled"] = "true",
            [key] = value,
        });

        Assert.NotNull(error);
        Assert.Contains("loopback", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1:5080")]
    public async Task AForgedLoopbackHostFromAnotherMachineIsRefused(string forgedHost)
    {
        using var data = new TempDirectory();
        await using var app = new BossTalkCalendarApplication(data.Path, Clock, graphBaseUrl: null, new Dictionary<string, string?>
        {
            ["Sandbox:Enabled"] = "true",
            ["Sandbox:GraphPort"] = "0",
            ["Jobs:RunServer"] = "false",
        });
        _ = app.Services;

        foreach (var (method, path) in new[] { ("GET", "/api/v1/sandbox/users"), ("POST", "/dev-issuer/token"), ("GET", "/dev-issuer/v2.0/.well-known/openid-configuration") })
        {
            var context = await app.Server.SendAsync(c =>
            {
                c.Request.Method = method;
                c.Request.Path = path;
                c.Request.Host = new HostString(forgedHost);
                c.Request.ContentType = "application/json";
                c.Request.Body = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(new { userId = DemoTenant.Manager.Id, admin = true }));
                c.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
            });

            Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
            using var reader = new StreamReader(context.Response.Body);
            Assert.DoesNotContain("access_token", await reader.ReadToEndAsync(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("http://localhost:5080")]
    [InlineData("http://127.0.0.1:8080")]
    public void OutsideTheSandboxAnHttpPublicBaseUrlIsRefusedNamingTheSetting(string? publicBaseUrl)
    {
        // null: the service's own default (http://localhost:5080), what a tenant started without the setting had.
        var error = StartUpError(new()
        {
            ["Graph:TenantId"] = "11111111-2222-3333-4444-555555555555",
            ["Service:PublicBaseUrl"] = publicBaseUrl,
            ["Service:AllowHttpPublicBaseUrl"] = null,
        });

        Assert.NotNull(error);
        Assert.Contains("Service:PublicBaseUrl must be https", error, StringComparison.Ordinal);
        Assert.Contains("Service:AllowHttpPublicBaseUrl", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnHttpsPublicBaseUrlServesATenantWithoutTheEscapeHatch()
    {
        var error = StartUpError(new()
        {
            ["Graph:TenantId"] = "11111111-2222-3333-4444-555555555555",
            ["Service:PublicBaseUrl"] = "https://bosstalk.contoso.com",
            ["Service:AllowHttpPublicBaseUrl"] = null,
        });

        Assert.Null(error);
    }

    [Fact]
    public void AllowHttpPublicBaseUrlLetsALoopbackTenantStartWithAWarning()
    {
        using var data = new TempDirectory();
        var logs = new InMemoryLogs();
        using var app = new BossTalkCalendarApplication(data.Path, Clock, new Uri("http://127.0.0.1:9/v1.0"), new Dictionary<string, string?>
        {
            ["Graph:TenantId"] = "11111111-2222-3333-4444-555555555555",
            ["Service:PublicBaseUrl"] = "http://localhost:5080",
            ["Service:AllowHttpPublicBaseUrl"] = "true",
            ["Jobs:RunServer"] = "false",
        }, logs);

        _ = app.Services;

        Assert.Contains(logs.Lines, line => line.StartsWith("Warning", StringComparison.Ordinal)
            && line.Contains("Service:PublicBaseUrl is http://localhost:5080, plain http, allowed by Service:AllowHttpPublicBaseUrl", StringComparison.Ordinal));
    }

    [Fact]
    public void AllowHttpPublicBaseUrlNeverAllowsHttpOnAnotherHost()
    {
        var error = StartUpError(new()
        {
            ["Graph:TenantId"] = "11111111-2222-3333-4444-555555555555",
            ["Service:PublicBaseUrl"] = "http://bosstalk.contoso.com",
            ["Service:AllowHttpPublicBaseUrl"] = "true",
        });

        Assert.NotNull(error);
        Assert.Contains("Service:PublicBaseUrl must use https", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSandboxKeepsItsLoopbackHttpOriginWithoutTheEscapeHatchOrAWarning()
    {
        using var data = new TempDirectory();
        var logs = new InMemoryLogs();
        using var app = new BossTalkCalendarApplication(data.Path, Clock, graphBaseUrl: null, new Dictionary<string, string?>
        {
            ["Sandbox:Enabled"] = "true",
            ["Sandbox:GraphPort"] = "0",
            ["Service:AllowHttpPublicBaseUrl"] = null,
            ["Jobs:RunServer"] = "false",
        }, logs);

        Assert.NotNull(app.Services.GetRequiredService<SandboxGraph>().Host);
        Assert.DoesNotContain(logs.Lines, line => line.Contains("AllowHttpPublicBaseUrl", StringComparison.Ordinal));
    }

    private static string? StartUpError(Dictionary<string, string?> settings)
    {
        using var data = new TempDirectory();
        using var app = new BossTalkCalendarApplication(data.Path, Clock, new Uri("http://127.0.0.1:9/v1.0"), settings);
        var error = Record.Exception(() => app.Services.GetRequiredService<TimeProvider>());
        if (error is null)
        {
            return null;
        }

        var messages = new List<string>();
        for (var e = error; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
        }

        return string.Join(Environment.NewLine, messages);
    }
}

using System.Net;
using System.Text.Json;
using BossTalkCalendar.Api.Sandbox;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace BossTalkCalendar.Api.Tests.Endpoints;

[Collection(AppCollection.Name)]
public sealed class SandboxUsersTests
{
    [Fact]
    public async Task InSandboxModeTheDemoUsersAreListedToThisMachineOnlyWithoutSigningIn()
    {
        using var data = new TempDirectory();
        var settings = new Dictionary<string, string?>
        {
            ["Sandbox:Enabled"] = "true",
            ["Sandbox:GraphPort"] = "0",
        };
        await using var app = new BossTalkCalendarApplication(data.Path, new FakeTimeProvider(new DateTimeOffset(2026, 3, 4, 15, 2, 0, TimeSpan.Zero)), graphBaseUrl: null, settings);
        _ = app.Services;

        // The test server's own client has no address, like a caller from another machine.
        using var remote = app.CreateClient();
        using var refused = await remote.GetAsync(new Uri("/api/v1/sandbox/users", UriKind.Relative));
        await ApiAssert.ProblemAsync(refused, HttpStatusCode.Forbidden);

        var local = await app.Server.SendAsync(context =>
        {
            context.Request.Method = HttpMethods.Get;
            context.Request.Path = "/api/v1/sandbox/users";
            context.Request.Host = new HostString("localhost");
            context.Connection.RemoteIpAddress = IPAddress.Loopback;
        });

        Assert.Equal(StatusCodes.Status200OK, local.Response.StatusCode);
        var users = (await JsonDocument.ParseAsync(local.Response.Body)).RootElement.EnumerateArray().ToList();
        Assert.Equal(DemoTenant.Reports.Count + 1, users.Count);
        var manager = Assert.Single(users, u => u.GetProperty("role").GetString() == "manager");
        Assert.Equal(DemoTenant.Manager.Id, manager.GetProperty("userId").GetString());
        Assert.Equal(DemoTenant.Manager.Mail, manager.GetProperty("mail").GetString());
        Assert.Equal("Europe/Berlin", manager.GetProperty("timeZone").GetString());
        Assert.Equal(
            DemoTenant.Reports.Select(r => r.Id).Order(),
            users.Where(u => u.GetProperty("role").GetString() == "member").Select(u => u.GetProperty("userId").GetString()).Order());
    }
}

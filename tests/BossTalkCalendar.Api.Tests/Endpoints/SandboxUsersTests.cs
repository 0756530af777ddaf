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
        // Both demo teams, each manager before their reports: Mara's (waiting for approval), then Noor's (approved),
        // whose Ravi the README's "How did it go?" walk-through signs in as.
        string[] expected = [DemoTenant.Manager.Id, .. DemoTenant.Reports.Select(r => r.Id), DemoTenant.ApprovedManager.Id, .. DemoTenant.ApprovedReports.Select(r => r.Id)];
        Assert.Equal(expected, users.Select(u => u.GetProperty("userId").GetString()));
        var managers = users.Where(u => u.GetProperty("role").GetString() == "manager").ToList();
        Assert.Equal([DemoTenant.Manager.Id, DemoTenant.ApprovedManager.Id], managers.Select(m => m.GetProperty("userId").GetString()));
        Assert.Equal(DemoTenant.Manager.Mail, managers[0].GetProperty("mail").GetString());
        Assert.Equal("Europe/Berlin", managers[0].GetProperty("timeZone").GetString());
        Assert.Equal("Europe/London", managers[1].GetProperty("timeZone").GetString());
        Assert.Contains(users, u => u.GetProperty("mail").GetString() == DemoTenant.Ravi.Mail && u.GetProperty("role").GetString() == "member");
    }
}

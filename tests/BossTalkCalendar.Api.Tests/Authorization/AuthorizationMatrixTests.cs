using System.Net.Http.Json;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Rollout;
using BossTalkCalendar.Api.Tests.Rollout;
using BossTalkCalendar.Api.Tests.Builders;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace BossTalkCalendar.Api.Tests.Authorization;

/// <summary>
/// Every /api/v1 endpoint × every kind of caller, from one table. The test reads the endpoints the running service
/// really maps and fails when one of them is not in the table (or the table lists one the service does not map), so
/// a new endpoint cannot ship without someone deciding who may call it.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AuthorizationMatrixTests(ITestOutputHelper output)
{
    /// <summary>The callers. "Member" and "Manager" are one team; "OtherMember" and "OtherManager" another, both approved.</summary>
    public enum Caller
    {
        Anonymous,
        Member,
        OtherMember,
        Manager,
        OtherManager,
        Admin,
        ForeignAdmin,
    }

    /// <summary>Expected status per caller, in <see cref="Caller"/> order.</summary>
    private sealed record Expect(int Anonymous, int Member, int OtherMember, int Manager, int OtherManager, int Admin, int ForeignAdmin)
    {
        public int For(Caller caller) => caller switch
        {
            Caller.Anonymous => Anonymous,
            Caller.Member => Member,
            Caller.OtherMember => OtherMember,
            Caller.Manager => Manager,
            Caller.OtherManager => OtherManager,
            Caller.Admin => Admin,
            _ => ForeignAdmin,
        };
    }

    /// <param name="Method">HTTP method.</param>
    /// <param name="Route">The route template exactly as the service maps it.</param>
    /// <param name="Path">The concrete path to call; resources are the member's own (seeded).</param>
    /// <param name="Body">JSON body, if the endpoint takes one.</param>
    /// <param name="Expect">Who gets what.</param>
    private sealed record Row(string Method, string Route, Func<Seeded, string> Path, object? Body, Expect Expect);

    /// <summary>Resources that exist before each call: the member's one-on-one and the reflection nudge for it.</summary>
    private sealed record Seeded(string MemberEventId, Guid MemberNudgeId);

    private static readonly Row[] Table =
    [
        // The add-in API: each user acts on their own data only; nobody, admins included, reads another's. The meeting
        // endpoints work for enrolled users only (403 for the rest); a meeting not in the caller's own calendar is 404.
        new("GET", "/api/v1/me", _ => "/api/v1/me", null, new(401, 200, 200, 200, 200, 200, 401)),
        new("GET", "/api/v1/me/preferences", _ => "/api/v1/me/preferences", null, new(401, 200, 200, 200, 200, 200, 401)),
        new("PUT", "/api/v1/me/preferences", _ => "/api/v1/me/preferences", new { coolDownMinutes = 90 }, new(401, 200, 200, 200, 200, 200, 401)),
        new("POST", "/api/v1/me/opt-out", _ => "/api/v1/me/opt-out", null, new(401, 200, 200, 200, 200, 200, 401)),
        new("POST", "/api/v1/me/opt-in", _ => "/api/v1/me/opt-in", null, new(401, 200, 200, 200, 200, 200, 401)),
        new("GET", "/api/v1/meetings", _ => "/api/v1/meetings?days=7", null, new(401, 200, 200, 403, 403, 403, 401)),
        new("GET", "/api/v1/meetings/{eventId}", s => $"/api/v1/meetings/{s.MemberEventId}", null, new(401, 200, 404, 403, 403, 403, 401)),
        new("POST", "/api/v1/meetings/{eventId}/reflection", s => $"/api/v1/meetings/{s.MemberEventId}/reflection", null, new(401, 202, 404, 403, 403, 403, 401)),
        new("POST", "/api/v1/meetings/{eventId}/follow-up", s => $"/api/v1/meetings/{s.MemberEventId}/follow-up", new { tone = "casual", invite = false }, new(401, 202, 404, 403, 403, 403, 401)),
        new("PUT", "/api/v1/meetings/{eventId}/outcome", s => $"/api/v1/meetings/{s.MemberEventId}/outcome", new { outcome = "mixed" }, new(401, 200, 404, 403, 403, 403, 401)),
        // Everyone signed in gets an answer; it is "quiet" unless the item goes to the caller's own manager right after a one-on-one.
        new("POST", "/api/v1/send-check", _ => "/api/v1/send-check", new { kind = "message", recipients = new[] { TestTeam.Manager.Mail } }, new(401, 200, 200, 200, 200, 200, 401)),
        new("GET", "/api/v1/nudges/{id}", s => $"/api/v1/nudges/{s.MemberNudgeId}", null, new(401, 200, 404, 404, 404, 404, 401)),

        // Rollout: a manager acts on their own team (per Graph); the rest has none (404). Another tenant's token is refused
        // outright (401: Auth:AllowedTenants defaults to the served tenant); see the served-tenant test for a wider list.
        new("GET", "/api/v1/teams/mine", _ => "/api/v1/teams/mine", null, new(401, 404, 404, 200, 200, 404, 401)),
        new("POST", "/api/v1/teams/mine/approve", _ => "/api/v1/teams/mine/approve", null, new(401, 404, 404, 200, 200, 404, 401)),
        new("POST", "/api/v1/teams/mine/revoke", _ => "/api/v1/teams/mine/revoke", null, new(401, 404, 404, 200, 200, 404, 401)),

        // Administration: the admin role of this tenant only.
        new("GET", "/api/v1/admin/teams", _ => "/api/v1/admin/teams", null, new(401, 403, 403, 403, 403, 200, 401)),
        new("POST", "/api/v1/admin/teams/{managerId}/revoke", _ => $"/api/v1/admin/teams/{TestTeam.Manager.Id}/revoke", null, new(401, 403, 403, 403, 403, 200, 401)),
        new("POST", "/api/v1/admin/teams/{managerId}/lift-revoke", _ => $"/api/v1/admin/teams/{TestTeam.Manager.Id}/lift-revoke", null, new(401, 403, 403, 403, 403, 200, 401)),
        new("GET", "/api/v1/admin/audit", _ => "/api/v1/admin/audit?page=1&pageSize=20", null, new(401, 403, 403, 403, 403, 200, 401)),
        new("POST", "/api/v1/admin/sweep", _ => "/api/v1/admin/sweep", null, new(401, 403, 403, 403, 403, 202, 401)),
    ];

    [Fact]
    public async Task EveryApiEndpointAnswersEachKindOfCallerAsTheTableSays()
    {
        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await RolloutTenant.StartGraphAsync(clock);
        // No job server: the calls may queue work, but nothing runs it behind the test's back.
        await using var host = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, RolloutTenant.Settings(("Jobs:RunServer", "false")));

        var mapped = MappedApiEndpoints(host);
        var listed = Table.Select(r => Key(r.Method, r.Route)).ToHashSet(StringComparer.Ordinal);
        var missing = mapped.Except(listed).Order().ToList();
        var stale = listed.Except(mapped).Order().ToList();
        Assert.True(missing.Count == 0, "Endpoints with no row in the authorization table (add one): " + string.Join(", ", missing));
        Assert.True(stale.Count == 0, "Rows for endpoints the service does not map: " + string.Join(", ", stale));

        var seeded = await SeedAsync(host, graph);
        var failures = new List<string>();
        foreach (var row in Table)
        {
            foreach (var caller in Enum.GetValues<Caller>())
            {
                await ResetAsync(host);
                using var client = ClientFor(host, caller);
                using var request = new HttpRequestMessage(new HttpMethod(row.Method), row.Path(seeded));
                if (row.Body is not null)
                {
                    request.Content = JsonContent.Create(row.Body);
                }

                using var response = await client.SendAsync(request);
                var status = (int)response.StatusCode;
                var expected = row.Expect.For(caller);
                var body = await response.Content.ReadAsStringAsync();
                output.WriteLine($"{row.Method} {row.Route} as {caller}: {status}");
                if (status != expected)
                {
                    failures.Add($"{row.Method} {row.Route} as {caller}: expected {expected}, got {status} {body}"
                        + (status >= 500 ? $"; the service's last warnings:{Environment.NewLine}{host.Warnings}" : ""));
                }
                else if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    failures.Add($"{row.Method} {row.Route} as {caller}: {status} without problem details ({response.Content.Headers.ContentType})");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task WithOtherTenantsAllowedToSignInEveryApiEndpointStillRefusesThemWith403()
    {
        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await RolloutTenant.StartGraphAsync(clock);
        await using var host = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, RolloutTenant.Settings(
            ("Jobs:RunServer", "false"),
            ("Auth:AllowedTenants:0", RolloutTenant.TenantId),
            ("Auth:AllowedTenants:1", TestIssuer.TenantB)));

        var seeded = await SeedAsync(host, graph);
        var failures = new List<string>();
        foreach (var row in Table)
        {
            await ResetAsync(host);
            // An admin of the other tenant, with the same ids as this tenant's manager: nothing may mix them up.
            using var client = host.Client(host.Issuer.MintAdmin(TestTeam.Manager.Id, TestIssuer.TenantB));
            using var response = await SendAsync(client, row, seeded);
            if ((int)response.StatusCode != 403 || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{row.Method} {row.Route}: expected a 403 problem, got {(int)response.StatusCode}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>The add-in itself and each Office client documented for SSO get what a member gets; any other app, or none, 401.</summary>
    [Fact]
    public async Task OnEveryApiEndpointOnlyTheAddInAndTheOfficeClientsMayPresentAUserToken()
    {
        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await RolloutTenant.StartGraphAsync(clock);
        await using var host = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, RolloutTenant.Settings(("Jobs:RunServer", "false")));
        string?[] accepted = [TestIssuer.AddInClientId, .. BossTalkCalendar.Api.Auth.AuthOptions.OfficeClientApps];
        string?[] refused = [TestIssuer.OtherClientApp, null];

        var seeded = await SeedAsync(host, graph);
        var failures = new List<string>();
        foreach (var row in Table)
        {
            foreach (var clientApp in accepted.Concat(refused))
            {
                await ResetAsync(host);
                using var client = host.Client(host.Issuer.MintFromClientApp(TestTeam.Berlin.Id, RolloutTenant.TenantId, clientApp));
                using var response = await SendAsync(client, row, seeded);
                var expected = accepted.Contains(clientApp) ? row.Expect.Member : 401;
                // Asking again for a nudge that exists answers 200 instead of 202: the same outcome for the caller.
                var status = (int)response.StatusCode == 200 && expected == 202 ? 202 : (int)response.StatusCode;
                if (status != expected)
                {
                    failures.Add($"{row.Method} {row.Route} from client app {clientApp ?? "(none)"}: expected {expected}, got {(int)response.StatusCode}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Row row, Seeded seeded)
    {
        using var request = new HttpRequestMessage(new HttpMethod(row.Method), row.Path(seeded));
        if (row.Body is not null)
        {
            request.Content = JsonContent.Create(row.Body);
        }

        return await client.SendAsync(request);
    }

    private static string Key(string method, string route) => $"{method} {route}";

    /// <summary>Method and route template of every endpoint under /api/v1 that the running service maps.</summary>
    private static HashSet<string> MappedApiEndpoints(BossTalkCalendarApplication host)
    {
        var endpoints = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints)
        {
            // A group's "" route ends in a slash ("/api/v1/me/"); it matches the path without one all the same.
            var route = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
            if (!route.StartsWith("/api/v1/", StringComparison.Ordinal) && route != "/api/v1")
            {
                continue;
            }

            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"];
            foreach (var method in methods)
            {
                keys.Add(Key(method, route));
            }
        }

        Assert.NotEmpty(keys);
        return keys;
    }

    private static HttpClient ClientFor(BossTalkCalendarApplication host, Caller caller) => caller switch
    {
        Caller.Anonymous => host.Client(null),
        Caller.Member => host.UserClient(RolloutTenant.TenantId, TestTeam.Berlin.Id),
        Caller.OtherMember => host.UserClient(RolloutTenant.TenantId, RolloutTenant.OtherMember.Id),
        Caller.Manager => host.UserClient(RolloutTenant.TenantId, TestTeam.Manager.Id),
        Caller.OtherManager => host.UserClient(RolloutTenant.TenantId, RolloutTenant.OtherManager.Id),
        Caller.Admin => host.AdminClient(RolloutTenant.TenantId, RolloutTenant.Admin.Id),
        _ => host.AdminClient(TestIssuer.TenantB, RolloutTenant.ForeignAdminId),
    };

    /// <summary>Both teams approved, and the member's reflection nudge for their ended one-on-one recorded.</summary>
    private static async Task<Seeded> SeedAsync(BossTalkCalendarApplication host, GraphSimulator.GraphSimulatorHost graph)
    {
        await ResetAsync(host);
        await host.RunAsync<ScanUsersJob>(job => job.RunAsync(RolloutTenant.TenantId, new[] { TestTeam.Berlin.Id }, 0, CancellationToken.None));
        var nudge = Assert.Single(await host.NudgesAsync());
        var meeting = graph.Tenant.EventsOf(TestTeam.Berlin.Id).Single(e => e.Subject == TestTeam.OneOnOneSubject(TestTeam.Berlin));
        return new Seeded(meeting.Id, nudge.Id);
    }

    /// <summary>Puts the state back before every call, so that no call's outcome depends on the one before.</summary>
    private static async Task ResetAsync(BossTalkCalendarApplication host)
    {
        var rollout = host.Services.GetRequiredService<TeamRollout>();
        await rollout.LiftRevokeAsync(RolloutTenant.TenantId, TestTeam.Manager.Id, RolloutTenant.Admin.Id, CancellationToken.None);
        await rollout.LiftRevokeAsync(RolloutTenant.TenantId, RolloutTenant.OtherManager.Id, RolloutTenant.Admin.Id, CancellationToken.None);
        await rollout.ApproveAsync(RolloutTenant.TenantId, TestTeam.Manager.Id, TestTeam.Manager.Id, TestTeam.Reports.Select(r => r.Id).ToList(), CancellationToken.None);
        await rollout.ApproveAsync(RolloutTenant.TenantId, RolloutTenant.OtherManager.Id, RolloutTenant.OtherManager.Id, [RolloutTenant.OtherMember.Id], CancellationToken.None);
        await using var db = await host.CreateDbContextAsync();
        await Rows.ClearOptOutsAsync(db);
    }
}

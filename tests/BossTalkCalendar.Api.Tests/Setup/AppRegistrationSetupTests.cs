using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BossTalkCalendar.Api.Operator;
using BossTalkCalendar.Api.Tests.Graph;
using BossTalkCalendar.GraphSimulator;
using Microsoft.Extensions.Time.Testing;

namespace BossTalkCalendar.Api.Tests.Setup;

/// <summary>
/// <c>setup</c> with the real Graph SDK against the simulator's /applications and /servicePrincipals: the first run
/// creates everything the README's manual steps list, a second run reads, changes nothing and writes nothing.
/// </summary>
public sealed class AppRegistrationSetupTests
{
    private const string Origin = "https://bosstalk.test";

    private static readonly string[] OfficeClients =
    [
        "ea5a67f6-b6f3-4338-b240-c655ddc3cc8e", "d3590ed6-52b3-4102-aeff-aad2292ab01c",
        "93d53678-613d-4013-afc1-62e9e444a0a5", "bc59ab01-8403-45c6-8796-ac3ef710b3e3",
    ];

    [Fact]
    public async Task TheFirstRunCreatesTheRegistrationAndASecondRunChangesNothingAndWritesNothing()
    {
        await using var graph = await StartGraphAsync();

        var first = await RunSetupAsync(graph);
        var app = Assert.Single(graph.Tenant.Applications.Applications);
        var appId = app["appId"]!.GetValue<string>();
        var writes = Writes(graph);
        var second = await RunSetupAsync(graph);

        Assert.True(first.Code == 0, first.Output);
        Assert.Contains($"Changed the app registration {appId}:", first.Output, StringComparison.Ordinal);
        Assert.Contains("  - created the application", first.Output, StringComparison.Ordinal);
        AssertRegistrationComplete(app, appId);
        var sp = Assert.Single(graph.Tenant.Applications.ServicePrincipals);
        Assert.Equal(appId, sp["appId"]!.GetValue<string>());
        var spId = sp["id"]!.GetValue<string>();

        Assert.Contains($"https://login.microsoftonline.com/{graph.Tenant.TenantId}/adminconsent?client_id={appId}", first.Output, StringComparison.Ordinal);
        Assert.Contains($"New-ServicePrincipal -AppId {appId} -ObjectId {spId} -DisplayName \"BossTalkCalendar\"", first.Output, StringComparison.Ordinal);
        Assert.Contains("$group = Get-Group \"BossTalk rollout\"", first.Output, StringComparison.Ordinal);
        Assert.Contains($"New-ManagementRoleAssignment -App {spId} -Role \"Application Calendars.ReadWrite\" -CustomResourceScope \"BossTalkCalendar mailboxes\"", first.Output, StringComparison.Ordinal);
        Assert.Contains($"New-ManagementRoleAssignment -App {spId} -Role \"Application MailboxSettings.Read\"", first.Output, StringComparison.Ordinal);
        Assert.Contains($"Auth:Audience={appId}", first.Output, StringComparison.Ordinal);
        Assert.Contains($"AddIn:ClientId={appId}", first.Output, StringComparison.Ordinal);

        Assert.True(second.Code == 0, second.Output);
        Assert.StartsWith($"Nothing changed: the app registration {appId} and its service principal already are as required.", second.Output, StringComparison.Ordinal);
        Assert.Equal(writes, Writes(graph));
        // First run: not found, then created by the upsert; second run: found.
        Assert.Equal(1, graph.Tenant.RequestLog.Count("GET", "/applications(uniqueName=)", 404));
        Assert.Equal(1, graph.Tenant.RequestLog.Count("GET", "/applications(uniqueName=)", 200));
        Assert.Equal(1, graph.Tenant.RequestLog.Count("PATCH", "/applications(uniqueName=)", 201));
        Assert.Equal(app.ToJsonString(), Assert.Single(graph.Tenant.Applications.Applications).ToJsonString());
    }

    [Fact]
    public async Task ARegistrationThatDriftedGetsOnlyWhatItLacksBack()
    {
        await using var graph = await StartGraphAsync();
        await RunSetupAsync(graph);
        var app = Assert.Single(graph.Tenant.Applications.Applications);
        var id = app["id"]!.GetValue<string>();
        using (var http = new HttpClient())
        {
            using var body = new StringContent("""{"spa":{"redirectUris":["https://bosstalk.test/other.html"]}}""", Encoding.UTF8, "application/json");
            using var patch = await http.PatchAsync(new Uri(graph.GraphBaseUrl + "/applications/" + id), body);
            Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
        }

        var patchesBefore = graph.Tenant.RequestLog.Count("PATCH", "/applications/{id}");
        var run = await RunSetupAsync(graph);

        Assert.Equal(
            "  - SPA redirect URIs brk-multihub://bosstalk.test, https://bosstalk.test/taskpane.html",
            Assert.Single(run.Output.Split('\n'), l => l.StartsWith("  - ", StringComparison.Ordinal)).TrimEnd('\r'));
        Assert.Equal(patchesBefore + 1, graph.Tenant.RequestLog.Count("PATCH", "/applications/{id}"));
        var spa = Assert.Single(graph.Tenant.Applications.Applications)["spa"]!["redirectUris"]!.AsArray().Select(n => n!.GetValue<string>());
        Assert.Equal(["https://bosstalk.test/other.html", "brk-multihub://bosstalk.test", "https://bosstalk.test/taskpane.html"], spa);
    }

    [Fact]
    public async Task AClientIdThatNamesNoApplicationStopsWithoutCreatingOne()
    {
        await using var graph = await StartGraphAsync();

        var run = await RunSetupAsync(graph, "--Graph:ClientId=5a1e5a1e-0000-4000-8000-0000000bad00");

        Assert.Equal(1, run.Code);
        Assert.Contains("Graph:ClientId 5a1e5a1e-0000-4000-8000-0000000bad00 names no application", run.Output, StringComparison.Ordinal);
        Assert.Empty(graph.Tenant.Applications.Applications);
    }

    [Fact]
    public async Task SetupRefusesPlainHttpToAnythingButLoopbackAndAnHttpPublicOrigin()
    {
        using var output = new StringWriter();
        var remote = await OperatorCommands.RunAsync(
            ["setup", "--Graph:TenantId=00000000-0000-0000-0000-0000000000aa", "--Setup:GraphBaseUrl=http://graph.example.com/v1.0", $"--Service:PublicBaseUrl={Origin}"],
            new FakeTimeProvider(),
            output);
        var http = await OperatorCommands.RunAsync(
            ["setup", "--Graph:TenantId=00000000-0000-0000-0000-0000000000aa", "--Setup:GraphBaseUrl=http://127.0.0.1:9/v1.0", "--Service:PublicBaseUrl=http://localhost:5080"],
            new FakeTimeProvider(),
            output);

        Assert.Equal(2, remote);
        Assert.Equal(2, http);
        Assert.Contains("Setup:GraphBaseUrl must be an https URL", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("setup: Service:PublicBaseUrl must be https", output.ToString(), StringComparison.Ordinal);
    }

    private static void AssertRegistrationComplete(JsonObject app, string appId)
    {
        Assert.Equal([$"api://bosstalk.test/{appId}"], Strings(app["identifierUris"]));
        Assert.Equal("AzureADMyOrg", app["signInAudience"]!.GetValue<string>());
        var api = app["api"]!.AsObject();
        Assert.Equal(2, api["requestedAccessTokenVersion"]!.GetValue<int>());
        var scope = Assert.Single(api["oauth2PermissionScopes"]!.AsArray())!.AsObject();
        Assert.Equal("access_as_user", scope["value"]!.GetValue<string>());
        Assert.Equal("User", scope["type"]!.GetValue<string>());
        Assert.True(scope["isEnabled"]!.GetValue<bool>());
        var scopeId = scope["id"]!.GetValue<string>();
        var preAuthorized = api["preAuthorizedApplications"]!.AsArray().Select(n => n!.AsObject()).ToList();
        Assert.Equal(OfficeClients.Order(), preAuthorized.Select(p => p["appId"]!.GetValue<string>()).Order());
        Assert.All(preAuthorized, p => Assert.Equal([scopeId], Strings(p["delegatedPermissionIds"])));

        var role = Assert.Single(app["appRoles"]!.AsArray())!.AsObject();
        Assert.Equal("BossTalk.Admin", role["value"]!.GetValue<string>());
        Assert.Equal(["User"], Strings(role["allowedMemberTypes"]));
        Assert.True(role["isEnabled"]!.GetValue<bool>());

        Assert.Equal(["brk-multihub://bosstalk.test", "https://bosstalk.test/taskpane.html"], Strings(app["spa"]!["redirectUris"]));

        var graphAccess = Assert.Single(app["requiredResourceAccess"]!.AsArray())!.AsObject();
        Assert.Equal("00000003-0000-0000-c000-000000000000", graphAccess["resourceAppId"]!.GetValue<string>());
        var access = graphAccess["resourceAccess"]!.AsArray().Select(a => (a!["id"]!.GetValue<string>(), a["type"]!.GetValue<string>())).ToList();
        Assert.Equal(
            [("40f97065-369a-49f4-947c-6a255697ae91", "Role"), ("df021288-bdef-4463-88db-98f22de89214", "Role"), ("ef54d2bf-783f-4e0f-bca1-3210c0444d99", "Role")],
            access.Order());
    }

    private static List<string> Strings(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<string>()).ToList();

    private static long Writes(GraphSimulatorHost graph) =>
        graph.Tenant.RequestLog.Snapshot().Where(c => c.Key.Method is "POST" or "PATCH" or "DELETE" or "PUT").Sum(c => c.Value);

    private static Task<GraphSimulatorHost> StartGraphAsync() =>
        GraphSimulatorHost.StartAsync(GraphTestTenant.Create(), new SimulatorOptions { Port = 0, TimeProvider = new FakeTimeProvider(GraphTestTenant.WeekStart) });

    private static async Task<(int Code, string Output)> RunSetupAsync(GraphSimulatorHost graph, params string[] extra)
    {
        using var output = new StringWriter();
        var code = await OperatorCommands.RunAsync(
            [
                "setup",
                $"--Setup:GraphBaseUrl={graph.GraphBaseUrl}",
                $"--Graph:TenantId={graph.Tenant.TenantId}",
                $"--Service:PublicBaseUrl={Origin}",
                "--mailbox-group", "BossTalk rollout",
                .. extra,
            ],
            new FakeTimeProvider(GraphTestTenant.WeekStart),
            output);
        return (code, output.ToString());
    }
}

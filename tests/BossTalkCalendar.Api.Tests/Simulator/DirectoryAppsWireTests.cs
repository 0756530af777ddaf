using System.Net;
using System.Text;
using System.Text.Json;

namespace BossTalkCalendar.Api.Tests.Simulator;

/// <summary>
/// The simulator's app registration calls and identity endpoints on the wire, for the cases <c>setup</c> and
/// <c>check</c> never produce themselves: each must be refused as Graph and Entra document it.
/// </summary>
public sealed class DirectoryAppsWireTests
{
    private const string ScopeId = "7a1e0000-0000-4000-8000-0000000005c0";

    [Fact]
    public async Task TheUpsertCreatesOnlyWithCreateIfMissingAndThenUpdatesWith204()
    {
        await using var sim = await SimulatorHarness.StartAsync();

        var plain = await SendAsync(sim, HttpMethod.Patch, "v1.0/applications(uniqueName='bt')", """{"displayName":"BT"}""");
        var noName = await SendAsync(sim, HttpMethod.Patch, "v1.0/applications(uniqueName='bt')", """{"signInAudience":"AzureADMyOrg"}""", "create-if-missing");
        var created = await SendAsync(sim, HttpMethod.Patch, "v1.0/applications(uniqueName='bt')", """{"displayName":"BT"}""", "create-if-missing");
        var again = await SendAsync(sim, HttpMethod.Patch, "v1.0/applications(uniqueName='bt')", """{"displayName":"BT 2"}""", "create-if-missing");
        var appId = created.Json.GetProperty("appId").GetString();
        var byAppId = await SendAsync(sim, HttpMethod.Get, $"v1.0/applications(appId='{appId}')");

        Assert.Equal(HttpStatusCode.NotFound, plain.Status);
        Assert.Equal("Request_ResourceNotFound", plain.Json.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, noName.Status);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("bt", created.Json.GetProperty("uniqueName").GetString());
        Assert.Equal(HttpStatusCode.NoContent, again.Status);
        Assert.Equal("BT 2", byAppId.Json.GetProperty("displayName").GetString());
        Assert.Single(sim.Tenant.Applications.Applications);
    }

    [Fact]
    public async Task AnUpdateRefusesReadOnlyPropertiesDuplicateUrisAndPreAuthorizationsOfUnknownScopes()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        var created = await SendAsync(sim, HttpMethod.Patch, "v1.0/applications(uniqueName='bt')", """{"displayName":"BT"}""", "create-if-missing");
        var id = created.Json.GetProperty("id").GetString();

        var readOnly = await SendAsync(sim, HttpMethod.Patch, $"v1.0/applications/{id}", """{"appId":"5a1e5a1e-0000-4000-8000-000000000000"}""");
        var duplicate = await SendAsync(sim, HttpMethod.Patch, $"v1.0/applications/{id}", """{"identifierUris":["api://x/1","API://x/1"]}""");
        var unknownScope = await SendAsync(sim, HttpMethod.Patch, $"v1.0/applications/{id}", $$$"""{"api":{"preAuthorizedApplications":[{"appId":"ea5a67f6-b6f3-4338-b240-c655ddc3cc8e","delegatedPermissionIds":["{{{ScopeId}}}"]}]}}""");
        var withScope = await SendAsync(sim, HttpMethod.Patch, $"v1.0/applications/{id}", $$$"""{"api":{"oauth2PermissionScopes":[{"id":"{{{ScopeId}}}","value":"access_as_user","type":"User","isEnabled":true}],"preAuthorizedApplications":[{"appId":"ea5a67f6-b6f3-4338-b240-c655ddc3cc8e","delegatedPermissionIds":["{{{ScopeId}}}"]}]}}""");

        Assert.Equal(HttpStatusCode.BadRequest, readOnly.Status);
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.Status);
        Assert.Equal(HttpStatusCode.BadRequest, unknownScope.Status);
        Assert.Equal(HttpStatusCode.NoContent, withScope.Status);
    }

    [Fact]
    public async Task AServicePrincipalNeedsAKnownAppAndThereIsOnlyOnePerApp()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        var created = await SendAsync(sim, HttpMethod.Patch, "v1.0/applications(uniqueName='bt')", """{"displayName":"BT"}""", "create-if-missing");
        var appId = created.Json.GetProperty("appId").GetString();

        var missing = await SendAsync(sim, HttpMethod.Get, $"v1.0/servicePrincipals(appId='{appId}')");
        var unknownApp = await SendAsync(sim, HttpMethod.Post, "v1.0/servicePrincipals", """{"appId":"5a1e5a1e-0000-4000-8000-000000000000"}""");
        var first = await SendAsync(sim, HttpMethod.Post, "v1.0/servicePrincipals", $$"""{"appId":"{{appId}}"}""");
        var second = await SendAsync(sim, HttpMethod.Post, "v1.0/servicePrincipals", $$"""{"appId":"{{appId}}"}""");
        var found = await SendAsync(sim, HttpMethod.Get, $"v1.0/servicePrincipals(appId='{appId}')");

        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal(HttpStatusCode.BadRequest, unknownApp.Status);
        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.Conflict, second.Status);
        Assert.Equal(first.Json.GetProperty("id").GetString(), found.Json.GetProperty("id").GetString());
    }

    [Fact]
    public async Task TheTokenEndpointIssuesOnlyToARegisteredClientWithItsSecretForADotDefaultScope()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        sim.Host.Identity.RegisterClient("5a1e5a1e-0000-4000-8000-00000000c11e", "s3cret", "User.Read.All");
        var tenant = sim.Tenant.TenantId;

        var ok = await TokenAsync(sim, tenant, "s3cret", "https://graph.microsoft.com/.default");
        var noSecret = await TokenAsync(sim, tenant, null, "https://graph.microsoft.com/.default");
        var badScope = await TokenAsync(sim, tenant, "s3cret", "https://graph.microsoft.com/User.Read.All");
        var otherTenant = await TokenAsync(sim, "00000000-0000-0000-0000-0000000000bb", "s3cret", "https://graph.microsoft.com/.default");

        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal("Bearer", ok.Json.GetProperty("token_type").GetString());
        var payload = ok.Json.GetProperty("access_token").GetString()!.Split('.')[1].Replace('-', '+').Replace('_', '/');
        using var claims = JsonDocument.Parse(Convert.FromBase64String(payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=')));
        Assert.Equal("https://graph.microsoft.com", claims.RootElement.GetProperty("aud").GetString());
        Assert.Equal($"https://sts.windows.net/{tenant}/", claims.RootElement.GetProperty("iss").GetString());
        Assert.Equal(["User.Read.All"], claims.RootElement.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal((HttpStatusCode.Unauthorized, "invalid_client", 7000218), (noSecret.Status, noSecret.Json.GetProperty("error").GetString(), noSecret.Json.GetProperty("error_codes")[0].GetInt32()));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_scope"), (badScope.Status, badScope.Json.GetProperty("error").GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, 90002), (otherTenant.Status, otherTenant.Json.GetProperty("error_codes")[0].GetInt32()));
        Assert.Equal(1, sim.Host.Identity.TokensIssued);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Json)> TokenAsync(SimulatorHarness sim, string tenant, string? secret, string scope)
    {
        var form = new Dictionary<string, string>
        {
            ["client_id"] = "5a1e5a1e-0000-4000-8000-00000000c11e",
            ["grant_type"] = "client_credentials",
            ["scope"] = scope,
        };
        if (secret is not null)
        {
            form["client_secret"] = secret;
        }

        using var content = new FormUrlEncodedContent(form);
        using var response = await sim.Http.PostAsync(new Uri($"{tenant}/oauth2/v2.0/token", UriKind.Relative), content);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Json)> SendAsync(SimulatorHarness sim, HttpMethod method, string url, string? body = null, string? prefer = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (prefer is not null)
        {
            request.Headers.TryAddWithoutValidation("Prefer", prefer);
        }

        using var response = await sim.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}

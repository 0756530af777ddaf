using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BossTalkCalendar.Api.Auth;
using BossTalkCalendar.Api.Sandbox;
using Microsoft.IdentityModel.JsonWebTokens;

namespace BossTalkCalendar.Api.Tests.Auth;

/// <summary>The sandbox host on a real loopback Kestrel port: the API fetches the dev issuer's metadata over HTTP.</summary>
public sealed class DevIssuerKestrelFixture : IAsyncLifetime
{
    public AuthProbeHost Host { get; private set; } = null!;

    public const string ClientId = "6f1c3a52-9b7e-4d21-8c0a-2f5e7d9b4a13";

    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        BaseUrl = $"http://127.0.0.1:{ServiceProcess.FreePort()}";
        Host = await AuthProbeHost.StartKestrelAsync(
            new Dictionary<string, string?>
            {
                // No Auth section at all: sandbox mode must work with nothing else configured.
                ["Sandbox:Enabled"] = "true",
                ["Service:PublicBaseUrl"] = BaseUrl,
                ["AddIn:ClientId"] = ClientId,
            },
            BaseUrl);
    }

    public Task DisposeAsync() => Host.DisposeAsync().AsTask();
}

public sealed class DevIssuerTests(DevIssuerKestrelFixture fixture) : IClassFixture<DevIssuerKestrelFixture>
{
    private HttpClient Client => fixture.Host.Client;

    [Fact]
    public async Task The_discovery_document_names_the_demo_tenants_own_issuer_and_the_key_set()
    {
        var discovery = await Client.GetFromJsonAsync<JsonElement>("/dev-issuer/v2.0/.well-known/openid-configuration");

        Assert.Equal(fixture.BaseUrl + "/dev-issuer/" + DemoTenant.TenantId + "/v2.0", discovery.GetProperty("issuer").GetString());
        Assert.Equal(fixture.BaseUrl + "/dev-issuer/discovery/v2.0/keys", discovery.GetProperty("jwks_uri").GetString());
        Assert.Equal(fixture.BaseUrl + "/dev-issuer/token", discovery.GetProperty("token_endpoint").GetString());
    }

    [Fact]
    public async Task The_key_set_publishes_one_public_rs256_signing_key()
    {
        var jwks = await Client.GetFromJsonAsync<JsonElement>("/dev-issuer/discovery/v2.0/keys");

        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal("RS256", key.GetProperty("alg").GetString());
        Assert.Equal("sig", key.GetProperty("use").GetString());
        Assert.False(key.TryGetProperty("d", out _), "The private exponent must never be published.");
    }

    [Fact]
    public async Task A_minted_token_is_a_one_hour_v2_access_token_for_the_sandbox_audience()
    {
        var token = new JsonWebToken(await Mint(JsonContent.Create(new { userId = DemoTenant.Manager.Id })));

        Assert.Equal(fixture.BaseUrl + "/dev-issuer/" + DevIssuer.DefaultTenantId + "/v2.0", token.Issuer);
        // The add-in manifest's resource: api://{host:port}/{client id}.
        Assert.Equal($"api://{new Uri(fixture.BaseUrl).Authority}/{DevIssuerKestrelFixture.ClientId}", Assert.Single(token.Audiences));
        Assert.Equal("RS256", token.Alg);
        Assert.Equal(DemoTenant.Manager.Id, token.GetPayloadValue<string>("oid"));
        Assert.Equal(DevIssuer.DefaultTenantId, token.GetPayloadValue<string>("tid"));
        Assert.Equal("access_as_user", token.GetPayloadValue<string>("scp"));
        Assert.Equal("2.0", token.GetPayloadValue<string>("ver"));
        Assert.Equal(DevIssuerKestrelFixture.ClientId, token.GetPayloadValue<string>("azp"));
        Assert.False(token.TryGetPayloadValue<object>("roles", out _));
        Assert.Equal(TimeSpan.FromHours(1), token.ValidTo - token.ValidFrom);
    }

    [Fact]
    public async Task A_minted_token_is_accepted_by_the_api_over_real_http()
    {
        var token = await Mint(JsonContent.Create(new { userId = DemoTenant.Jonas.Id }));

        using var response = await Get("/api/v1/probe", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new ApiUser(DevIssuer.DefaultTenantId, DemoTenant.Jonas.Id, IsAdmin: false), await response.Content.ReadFromJsonAsync<ApiUser>());
    }

    [Fact]
    public async Task A_form_body_with_the_demo_tenant_and_admin_mints_an_admin_token()
    {
        var token = await Mint(new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userId"] = DemoTenant.Manager.Id,
            ["tenantId"] = DemoTenant.TenantId,
            ["admin"] = "true",
        }));

        using var response = await Get("/api/v1/admin-probe", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new ApiUser(DemoTenant.TenantId, DemoTenant.Manager.Id, IsAdmin: true), await response.Content.ReadFromJsonAsync<ApiUser>());
    }

    [Theory]
    [InlineData("someone-else", null)]
    [InlineData("b05a1c00-0000-4000-8000-000000000099", null)]
    [InlineData(null, "33333333-3333-3333-3333-333333333333")]
    public async Task The_dev_issuer_mints_only_for_the_demo_tenants_users(string? userId, string? tenantId)
    {
        using var response = await Client.PostAsync("/dev-issuer/token", JsonContent.Create(new { userId = userId ?? DemoTenant.Manager.Id, tenantId, admin = true }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await AuthenticationTests.ReadProblem(response);
        Assert.True(problem.GetProperty("errors").TryGetProperty(userId is null ? "tenantId" : "userId", out _));
        Assert.DoesNotContain("access_token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_demo_user_without_admin_is_403_on_the_admin_endpoint()
    {
        var token = await Mint(JsonContent.Create(new { userId = DemoTenant.Lea.Id, admin = false }));

        using var response = await Get("/api/v1/admin-probe", token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task The_api_still_rejects_an_unsigned_copy_of_a_dev_token_over_real_http()
    {
        var token = await Mint(JsonContent.Create(new { userId = DemoTenant.Sam.Id, admin = false }));
        var parts = token.Split('.');
        var header = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");

        using var response = await Get("/api/v1/probe", header + "." + parts[1] + ".");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_sign_in_without_a_user_id_is_400_problem_details()
    {
        using var response = await Client.PostAsync("/dev-issuer/token", JsonContent.Create(new { tenantId = DevIssuer.DefaultTenantId }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await AuthenticationTests.ReadProblem(response);
        Assert.True(problem.GetProperty("errors").TryGetProperty("userId", out _));
    }

    [Fact]
    public async Task A_sign_in_with_a_tenant_that_is_not_a_guid_is_400_problem_details()
    {
        using var response = await Client.PostAsync("/dev-issuer/token", JsonContent.Create(new { userId = DemoTenant.Manager.Id, tenantId = "contoso" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await AuthenticationTests.ReadProblem(response);
        Assert.True(problem.GetProperty("errors").TryGetProperty("tenantId", out _));
    }

    [Fact]
    public async Task A_sign_in_with_malformed_json_is_400_problem_details()
    {
        using var content = new StringContent("{\"userId\": ", System.Text.Encoding.UTF8, "application/json");
        using var response = await Client.PostAsync("/dev-issuer/token", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AuthenticationTests.ReadProblem(response);
    }

    [Fact]
    public async Task A_sign_in_with_a_plain_text_body_is_415_problem_details()
    {
        using var content = new StringContent(DemoTenant.Manager.Id);
        using var response = await Client.PostAsync("/dev-issuer/token", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await AuthenticationTests.ReadProblem(response);
    }

    private async Task<string> Mint(HttpContent body)
    {
        using (body)
        using (var response = await Client.PostAsync("/dev-issuer/token", body))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var json = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Bearer", json.GetProperty("token_type").GetString());
            Assert.Equal(3600, json.GetProperty("expires_in").GetInt32());
            return json.GetProperty("access_token").GetString()!;
        }
    }

    private Task<HttpResponseMessage> Get(string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return Client.SendAsync(request);
    }
}

/// <summary>Who may reach the dev issuer: TestServer with a faked peer address.</summary>
public sealed class DevIssuerAccessTests
{
    private const string Discovery = "/dev-issuer/v2.0/.well-known/openid-configuration";

    private static Dictionary<string, string?> SandboxSettings() => new() { ["Sandbox:Enabled"] = "true", ["Service:PublicBaseUrl"] = "http://localhost:5080" };

    [Theory]
    [InlineData("203.0.113.9")]
    [InlineData("10.0.0.5")]
    [InlineData("2001:db8::1")]
    public async Task The_dev_issuer_refuses_a_remote_address(string peer)
    {
        await using var host = await AuthProbeHost.StartTestServerAsync(SandboxSettings(), devIssuer: true, fakePeer: true);

        using var discovery = await Send(host, HttpMethod.Get, Discovery, peer);
        using var token = await Send(host, HttpMethod.Post, "/dev-issuer/token", peer, JsonContent.Create(new { userId = "intruder", admin = true }));

        Assert.Equal(HttpStatusCode.Forbidden, discovery.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, token.StatusCode);
        Assert.Equal("Local requests only", (await AuthenticationTests.ReadProblem(token)).GetProperty("title").GetString());
        Assert.DoesNotContain("access_token", await token.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public async Task The_dev_issuer_answers_a_loopback_address(string peer)
    {
        await using var host = await AuthProbeHost.StartTestServerAsync(SandboxSettings(), devIssuer: true, fakePeer: true);

        using var discovery = await Send(host, HttpMethod.Get, Discovery, peer);
        using var token = await Send(host, HttpMethod.Post, "/dev-issuer/token", peer, JsonContent.Create(new { userId = DemoTenant.Manager.Id }));

        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
    }

    [Fact]
    public async Task The_dev_issuer_refuses_an_unknown_peer()
    {
        await using var host = await AuthProbeHost.StartTestServerAsync(SandboxSettings(), devIssuer: true, fakePeer: true);

        using var response = await host.Client.GetAsync(Discovery);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task The_dev_issuer_refuses_a_request_relayed_by_a_local_proxy()
    {
        await using var host = await AuthProbeHost.StartTestServerAsync(SandboxSettings(), devIssuer: true, fakePeer: true);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dev-issuer/token") { Content = JsonContent.Create(new { userId = "x" }) };
        request.Headers.Add(AuthProbeHost.FakePeerHeader, "127.0.0.1");
        request.Headers.Add("X-Forwarded-For", "198.51.100.7");

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task The_dev_issuer_refuses_a_foreign_host_name_rebound_to_loopback()
    {
        await using var host = await AuthProbeHost.StartTestServerAsync(SandboxSettings(), devIssuer: true, fakePeer: true);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dev-issuer/token") { Content = JsonContent.Create(new { userId = "x" }) };
        request.Headers.Add(AuthProbeHost.FakePeerHeader, "127.0.0.1");
        request.Headers.Host = "attacker.example:5080";

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1:5080")]
    public async Task The_dev_issuer_refuses_a_forged_loopback_host_from_another_machine(string host)
    {
        await using var probe = await AuthProbeHost.StartTestServerAsync(SandboxSettings(), devIssuer: true, fakePeer: true);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dev-issuer/token") { Content = JsonContent.Create(new { userId = DemoTenant.Manager.Id, admin = true }) };
        request.Headers.Add(AuthProbeHost.FakePeerHeader, "198.51.100.7");
        request.Headers.Host = host;

        using var response = await probe.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("access_token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dev_issuer_does_not_exist_without_sandbox_enabled_outside_development()
    {
        await using var host = await AuthProbeHost.StartTestServerAsync(
            new Dictionary<string, string?>
            {
                ["Auth:Authority"] = "https://login.microsoftonline.com/11111111-1111-1111-1111-111111111111/v2.0",
                ["Auth:Audience"] = "api://bosstalk",
            },
            devIssuer: true,
            fakePeer: true);

        using var response = await Send(host, HttpMethod.Get, Discovery, "127.0.0.1");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_dev_issuer_does_not_exist_when_a_graph_tenant_is_configured()
    {
        await using var host = await AuthProbeHost.StartTestServerAsync(
            new Dictionary<string, string?>
            {
                ["Graph:TenantId"] = "11111111-1111-1111-1111-111111111111",
                ["Auth:Authority"] = "https://login.microsoftonline.com/11111111-1111-1111-1111-111111111111/v2.0",
                ["Auth:Audience"] = "api://bosstalk",
            },
            devIssuer: true,
            fakePeer: true);

        using var response = await Send(host, HttpMethod.Get, Discovery, "127.0.0.1");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_dev_issuer_does_not_exist_when_sandbox_is_switched_off()
    {
        var settings = SandboxSettings();
        settings["Sandbox:Enabled"] = "false";
        settings["Auth:Authority"] = "https://login.microsoftonline.com/11111111-1111-1111-1111-111111111111/v2.0";
        settings["Auth:Audience"] = "api://bosstalk";
        await using var host = await AuthProbeHost.StartTestServerAsync(settings, devIssuer: true, fakePeer: true);

        using var response = await Send(host, HttpMethod.Get, Discovery, "127.0.0.1");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static Task<HttpResponseMessage> Send(AuthProbeHost host, HttpMethod method, string path, string peer, HttpContent? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body };
        request.Headers.Add(AuthProbeHost.FakePeerHeader, peer);
        return host.Client.SendAsync(request);
    }
}

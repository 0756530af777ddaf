using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BossTalkCalendar.Api.Auth;
using Microsoft.IdentityModel.Tokens;

namespace BossTalkCalendar.Api.Tests.Auth;

public sealed class AuthProbeFixture : IAsyncLifetime
{
    public TestIssuer Issuer { get; } = new();

    public AuthProbeHost Host { get; private set; } = null!;

    public static Dictionary<string, string?> TenantModeSettings() => new()
    {
        ["Sandbox:Enabled"] = "false",
        ["Graph:TenantId"] = TestIssuer.TenantA,
        ["AddIn:ClientId"] = TestIssuer.AddInClientId,
    };

    public async Task InitializeAsync() =>
        Host = await AuthProbeHost.StartTestServerAsync(TenantModeSettings(), Issuer);

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Issuer.Dispose();
    }
}

public sealed class AuthenticationTests(AuthProbeFixture fixture) : IClassFixture<AuthProbeFixture>
{
    private const string User = "a1b2c3d4-0000-4000-8000-000000000042";

    private TestIssuer Issuer => fixture.Issuer;

    [Fact]
    public async Task A_request_without_a_token_is_401_problem_details_with_a_bearer_challenge()
    {
        using var response = await fixture.Host.Client.GetAsync("/api/v1/probe");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        var problem = await ReadProblem(response);
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Equal("Sign-in required", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_valid_access_token_reaches_the_endpoint_as_its_user_and_tenant()
    {
        using var response = await Get("/api/v1/probe", Issuer.Mint(User, TestIssuer.TenantA));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = await response.Content.ReadFromJsonAsync<ApiUser>();
        Assert.Equal(new ApiUser(TestIssuer.TenantA, User, IsAdmin: false), user);
    }

    [Fact]
    public async Task A_token_from_another_tenant_is_401_when_no_tenant_list_is_configured()
    {
        // Auth:AllowedTenants defaults to Graph:TenantId: leaving it out never lets another organisation in.
        await AssertRejected(Issuer.Mint(User, TestIssuer.TenantB), "issuer or tenant");
    }

    public static TheoryData<string, bool> ClientApps() => new()
    {
        { TestIssuer.AddInClientId, true },
        { "ea5a67f6-b6f3-4338-b240-c655ddc3cc8e", true },
        { "d3590ed6-52b3-4102-aeff-aad2292ab01c", true },
        { "93d53678-613d-4013-afc1-62e9e444a0a5", true },
        { "bc59ab01-8403-45c6-8796-ac3ef710b3e3", true },
        { TestIssuer.OtherClientApp, false },
        { "bosstalkcalendar-preview", false },
    };

    [Theory]
    [MemberData(nameof(ClientApps))]
    public async Task Only_the_add_in_and_the_office_clients_may_present_a_user_token(string clientApp, bool accepted)
    {
        foreach (var path in new[] { "/api/v1/probe", "/api/v1/admin-probe" })
        {
            using var response = await Get(path, Issuer.MintFromClientApp(User, TestIssuer.TenantA, clientApp, admin: true));
            if (accepted)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            else
            {
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                Assert.Contains("client app", (await ReadProblem(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_token_that_names_no_client_app_is_401() =>
        await AssertRejected(Issuer.MintFromClientApp(User, TestIssuer.TenantA, clientApp: null), "client app");

    [Fact]
    public async Task A_v1_appid_is_read_like_azp() =>
        await AssertRejected(Issuer.MintFromClientApp(User, TestIssuer.TenantA, TestIssuer.OtherClientApp, v1: true), "client app");

    [Fact]
    public async Task Auth_AllowedClientApps_replaces_the_office_clients_and_keeps_the_add_in()
    {
        var settings = AuthProbeFixture.TenantModeSettings();
        settings["Auth:AllowedClientApps:0"] = "bc59ab01-8403-45c6-8796-ac3ef710b3e3";
        await using var host = await AuthProbeHost.StartTestServerAsync(settings, Issuer);

        using var addIn = await Get(host, "/api/v1/probe", Issuer.MintFromClientApp(User, TestIssuer.TenantA, TestIssuer.AddInClientId));
        using var outlookWeb = await Get(host, "/api/v1/probe", Issuer.MintFromClientApp(User, TestIssuer.TenantA, "bc59ab01-8403-45c6-8796-ac3ef710b3e3"));
        using var desktop = await Get(host, "/api/v1/probe", Issuer.MintFromClientApp(User, TestIssuer.TenantA, "d3590ed6-52b3-4102-aeff-aad2292ab01c"));

        Assert.Equal(HttpStatusCode.OK, addIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, outlookWeb.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, desktop.StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_401() =>
        await AssertRejected(Issuer.MintExpired(User, TestIssuer.TenantA), "expired");

    [Fact]
    public async Task A_token_that_is_not_valid_yet_is_401() =>
        await AssertRejected(Issuer.MintNotYetValid(User, TestIssuer.TenantA), "not valid yet");

    [Fact]
    public async Task A_token_from_an_untrusted_issuer_is_401() =>
        await AssertRejected(Issuer.MintWithIssuer(User, TestIssuer.TenantA, "https://evil.example/" + TestIssuer.TenantA + "/v2.0"), "issuer");

    [Fact]
    public async Task A_v1_issuer_of_the_right_tenant_is_401() =>
        await AssertRejected(Issuer.MintWithIssuer(User, TestIssuer.TenantA, "https://sts.windows.net/" + TestIssuer.TenantA + "/"), "issuer");

    [Fact]
    public async Task A_token_for_another_audience_is_401() =>
        await AssertRejected(Issuer.MintForAudience(User, TestIssuer.TenantA, "api://someone-elses-api"), "another application");

    [Fact]
    public async Task A_token_signed_with_another_key_is_401() =>
        await AssertRejected(Issuer.MintWithForeignKey(User, TestIssuer.TenantA), "signature");

    [Fact]
    public async Task An_unsigned_alg_none_token_is_401()
    {
        var token = Issuer.MintUnsigned(User, TestIssuer.TenantA);
        Assert.EndsWith(".", token, StringComparison.Ordinal);

        await AssertRejected(token, "signature");
    }

    [Fact]
    public async Task An_hs256_token_keyed_with_the_public_key_is_401() =>
        await AssertRejected(Issuer.MintHs256(User, TestIssuer.TenantA), "signature");

    [Fact]
    public async Task A_token_signed_by_the_trusted_key_with_another_algorithm_than_rs256_is_401() =>
        await AssertRejected(Issuer.MintWithAlgorithm(User, TestIssuer.TenantA, SecurityAlgorithms.RsaSsaPssSha256), "signature");

    [Fact]
    public async Task A_token_whose_issuer_tenant_differs_from_its_tid_is_401() =>
        await AssertRejected(Issuer.MintTenantMismatch(User, issuerTenantId: TestIssuer.TenantA, claimedTenantId: TestIssuer.TenantB), "issuer or tenant");

    [Fact]
    public async Task A_token_without_a_tenant_id_is_401() =>
        await AssertRejected(Issuer.Mint(User, TestIssuer.TenantA, tweak: d => d.Claims.Remove("tid")), "issuer or tenant");

    [Fact]
    public async Task A_token_without_a_user_object_id_is_401() =>
        await AssertRejected(Issuer.Mint(User, TestIssuer.TenantA, tweak: d => d.Claims.Remove("oid")), "oid");

    [Fact]
    public async Task An_id_token_without_scp_is_401() =>
        await AssertRejected(Issuer.MintIdToken(User, TestIssuer.TenantA), "ID tokens");

    [Fact]
    public async Task An_app_only_token_is_401() =>
        await AssertRejected(Issuer.MintAppOnly(TestIssuer.TenantA), "app-only");

    [Fact]
    public async Task A_v1_access_token_is_401() =>
        await AssertRejected(Issuer.Mint(User, TestIssuer.TenantA, tweak: d => d.Claims["ver"] = "1.0"), "v2.0");

    [Fact]
    public async Task A_malformed_bearer_value_is_401() =>
        await AssertRejected("not-a-jwt", "The access token is not valid.");

    [Fact]
    public async Task A_token_without_the_api_scope_is_403_with_an_insufficient_scope_challenge()
    {
        using var response = await Get("/api/v1/probe", Issuer.Mint(User, TestIssuer.TenantA, scope: "User.Read"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.Single();
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"insufficient_scope\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains("scope=\"access_as_user\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Equal("Missing scope", (await ReadProblem(response)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_scope_that_only_starts_like_the_api_scope_is_403()
    {
        using var response = await Get("/api/v1/probe", Issuer.Mint(User, TestIssuer.TenantA, scope: "access_as_user_extra"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task The_api_scope_among_other_scopes_is_enough()
    {
        using var response = await Get("/api/v1/probe", Issuer.Mint(User, TestIssuer.TenantA, scope: "User.Read access_as_user openid"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_admin_endpoint_is_403_problem_details_without_the_admin_role()
    {
        using var response = await Get("/api/v1/admin-probe", Issuer.Mint(User, TestIssuer.TenantA, roles: ["Some.Other.Role"]));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Administrator role required", (await ReadProblem(response)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task The_admin_endpoint_is_200_with_the_admin_role_and_the_user_is_marked_admin()
    {
        using var response = await Get("/api/v1/admin-probe", Issuer.MintAdmin(User, TestIssuer.TenantA));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<ApiUser>())!.IsAdmin);
    }

    [Fact]
    public async Task The_admin_role_without_the_api_scope_is_still_403()
    {
        using var response = await Get("/api/v1/admin-probe", Issuer.Mint(User, TestIssuer.TenantA, scope: "User.Read", roles: [TestIssuer.AdminRole]));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Missing scope", (await ReadProblem(response)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_rejection_never_echoes_the_token_or_its_claims()
    {
        var token = Issuer.MintForAudience(User, TestIssuer.TenantB, "api://someone-elses-api");

        using var response = await Get("/api/v1/probe", token);

        var everything = await response.Content.ReadAsStringAsync() + response.Headers.WwwAuthenticate;
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(User, everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(TestIssuer.TenantB, everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("someone-elses-api", everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(token.Split('.')[1], everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tenant_outside_the_allowed_tenants_is_401_and_a_listed_one_is_accepted()
    {
        var settings = AuthProbeFixture.TenantModeSettings();
        settings["Auth:AllowedTenants:0"] = TestIssuer.TenantB;
        await using var host = await AuthProbeHost.StartTestServerAsync(settings, Issuer);

        using var outsider = await Get(host, "/api/v1/probe", Issuer.Mint(User, TestIssuer.TenantA));
        using var member = await Get(host, "/api/v1/probe", Issuer.Mint(User, TestIssuer.TenantB));

        Assert.Equal(HttpStatusCode.Unauthorized, outsider.StatusCode);
        Assert.Equal(HttpStatusCode.OK, member.StatusCode);
    }

    private Task<HttpResponseMessage> Get(string path, string token) => Get(fixture.Host, path, token);

    private static Task<HttpResponseMessage> Get(AuthProbeHost host, string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return host.Client.SendAsync(request);
    }

    private async Task AssertRejected(string token, string reasonFragment)
    {
        using var response = await Get("/api/v1/probe", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.Single();
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
        var problem = await ReadProblem(response);
        Assert.Equal("Access token rejected", problem.GetProperty("title").GetString());
        Assert.Contains(reasonFragment, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    internal static async Task<JsonElement> ReadProblem(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

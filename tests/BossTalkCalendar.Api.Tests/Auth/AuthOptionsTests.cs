using BossTalkCalendar.Api.Auth;
using BossTalkCalendar.Api.Sandbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Tests.Auth;

public sealed class AuthOptionsTests
{
    [Fact]
    public void An_entra_authority_with_an_audience_is_accepted()
    {
        var options = Resolve(new()
        {
            ["Auth:Authority"] = "https://login.microsoftonline.com/organizations/v2.0",
            ["Auth:MultiTenant"] = "true",
            ["Auth:Audience"] = "api://contoso.example/6f1f4b8e-0000-4000-8000-000000000001",
            ["Auth:Audiences:0"] = "6f1f4b8e-0000-4000-8000-000000000001",
        });

        Assert.Equal(
            ["api://contoso.example/6f1f4b8e-0000-4000-8000-000000000001", "6f1f4b8e-0000-4000-8000-000000000001"],
            options.AllAudiences());
        Assert.Equal("access_as_user", options.RequiredScope);
        Assert.Equal("BossTalk.Admin", options.AdminRole);
    }

    [Fact]
    public void A_plain_http_authority_off_loopback_is_refused_at_start_up()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["Auth:Authority"] = "http://login.example.com/organizations/v2.0",
            ["Auth:Audience"] = "api://bosstalk",
        }));

        Assert.Contains("https", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:5080/dev-issuer/v2.0")]
    [InlineData("http://127.0.0.1:5080/dev-issuer/v2.0")]
    [InlineData("http://[::1]:5080/dev-issuer/v2.0")]
    public void A_plain_http_authority_on_loopback_is_accepted(string authority)
    {
        var options = Resolve(new() { ["Auth:Authority"] = authority, ["Auth:Audience"] = "api://bosstalk" });

        Assert.Equal(authority, options.Authority);
    }

    [Fact]
    public void A_missing_audience_is_refused_at_start_up()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["Auth:Authority"] = "https://login.microsoftonline.com/organizations/v2.0",
        }));

        Assert.Contains("Audience", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_authority_is_refused_outside_sandbox_mode()
    {
        Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Auth:Audience"] = "api://bosstalk" }));
    }

    [Fact]
    public void A_single_tenant_setting_with_a_shared_entra_authority_is_refused()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["Auth:Authority"] = "https://login.microsoftonline.com/common/v2.0",
            ["Auth:Audience"] = "api://bosstalk",
            ["Auth:MultiTenant"] = "false",
        }));

        Assert.Contains("MultiTenant", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_allowed_tenant_that_is_not_a_tenant_id_is_refused()
    {
        Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["Auth:Authority"] = "https://login.microsoftonline.com/organizations/v2.0",
            ["Auth:Audience"] = "api://bosstalk",
            ["Auth:AllowedTenants:0"] = "contoso.onmicrosoft.com",
        }));
    }

    [Fact]
    public void Sandbox_mode_points_the_authority_at_the_dev_issuer_on_the_public_base_url()
    {
        var options = Resolve(
            new() { ["Sandbox:Enabled"] = "true", ["Service:PublicBaseUrl"] = "http://localhost:6123/" },
            devIssuer: true);

        Assert.Equal("http://localhost:6123/dev-issuer/v2.0", options.Authority);
        Assert.Equal(DevIssuer.SandboxAudience, options.Audience);
    }

    [Fact]
    public void Sandbox_mode_keeps_an_explicitly_configured_authority()
    {
        var options = Resolve(
            new()
            {
                ["Sandbox:Enabled"] = "true",
                ["Auth:Authority"] = "https://login.microsoftonline.com/organizations/v2.0",
                ["Auth:MultiTenant"] = "true",
                ["Auth:Audience"] = "api://bosstalk",
            },
            devIssuer: true);

        Assert.Equal("https://login.microsoftonline.com/organizations/v2.0", options.Authority);
        Assert.Equal("api://bosstalk", options.Audience);
    }

    [Fact]
    public void Left_out_a_tenant_list_is_the_served_tenant_and_the_authority_must_be_single_tenant()
    {
        var options = Resolve(new()
        {
            ["Graph:TenantId"] = "11111111-1111-1111-1111-111111111111",
            ["Auth:Authority"] = "https://login.microsoftonline.com/11111111-1111-1111-1111-111111111111/v2.0",
            ["Auth:Audience"] = "api://bosstalk",
        });

        Assert.False(options.MultiTenant);
        Assert.Equal(["11111111-1111-1111-1111-111111111111"], options.AllowedTenants);
        Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["Graph:TenantId"] = "11111111-1111-1111-1111-111111111111",
            ["Auth:Authority"] = "https://login.microsoftonline.com/organizations/v2.0",
            ["Auth:Audience"] = "api://bosstalk",
        }));
    }

    [Fact]
    public void The_dev_issuer_defaults_stay_off_when_a_graph_tenant_is_configured()
    {
        Assert.Throws<OptionsValidationException>(() => Resolve(
            new() { ["Graph:TenantId"] = "11111111-1111-1111-1111-111111111111" },
            devIssuer: true));
    }

    private static AuthOptions Resolve(Dictionary<string, string?> settings, bool devIssuer = false)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddApiAuthentication();
        if (devIssuer)
        {
            services.AddDevIssuer();
        }

        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<AuthOptions>>().Value;
    }
}

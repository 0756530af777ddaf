using System.IO.Compression;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using BossTalkCalendar.Api.AddIn;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Tests.Manifest;

/// <summary>
/// The manifests as the service hands them out: the operator's origin, client id and scope filled in,
/// still sound by our checks and by the official schema. Runs a host with just the add-in endpoints so
/// it does not depend on the rest of the start-up.
/// </summary>
public sealed class ManifestServingTests : IAsyncLifetime
{
    private const string Origin = "https://bosstalk.contoso.com";
    private const string ClientId = "6f1c3a52-9b7e-4d21-8c0a-2f5e7d9b4a13";
    private const string Scope = "calendar_as_user";

    private static readonly ManifestExpectations Expected = new(Origin, ClientId, Scope);

    private WebApplication? app;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        app = await StartHostAsync(new()
        {
            ["Service:PublicBaseUrl"] = Origin + "/",
            ["AddIn:ClientId"] = ClientId,
            ["AddIn:ApiScope"] = Scope,
        });
        client = app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        if (app is not null)
            await app.DisposeAsync();
    }

    [Fact]
    public async Task The_served_xml_manifest_carries_the_configured_origin_client_id_and_scope()
    {
        using var response = await client.GetAsync(new Uri("/manifest/manifest.xml", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        AssertNoPlaceholderLeft(text);
        var problems = ManifestChecker.CheckXml(XDocument.Parse(text), Expected);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task The_served_unified_manifest_carries_the_configured_origin_and_client_id_and_still_passes_the_schema()
    {
        using var response = await client.GetAsync(new Uri("/manifest/manifest.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        AssertNoPlaceholderLeft(text);
        using (var json = JsonDocument.Parse(text))
        {
            var problems = ManifestChecker.CheckJson(json, Expected);
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }

        var scratch = Directory.CreateTempSubdirectory("btc-served-").FullName;
        try
        {
            var path = Path.Combine(scratch, "manifest.json");
            await File.WriteAllTextAsync(path, text);
            var result = await OfficeAddinManifestCli.ValidateAsync(path);
            Assert.True(result.ExitCode == 0, $"office-addin-manifest rejected the served manifest:\n{result.Output}");
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [Fact]
    public async Task The_served_manifests_still_agree_with_each_other()
    {
        var xml = XDocument.Parse(await client.GetStringAsync(new Uri("/manifest/manifest.xml", UriKind.Relative)));
        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/manifest/manifest.json", UriKind.Relative)));

        var problems = ManifestChecker.CheckAgreement(xml, json);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task The_app_package_holds_the_served_unified_manifest_and_its_two_icons()
    {
        using var response = await client.GetAsync(new Uri("/manifest/app-package.zip", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync(), ZipArchiveMode.Read);
        Assert.Equal(new[] { "color.png", "manifest.json", "outline.png" }, zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));

        using var manifestReader = new StreamReader(zip.GetEntry("manifest.json")!.Open());
        Assert.Equal(await client.GetStringAsync(new Uri("/manifest/manifest.json", UriKind.Relative)), await manifestReader.ReadToEndAsync());
        foreach (var icon in new[] { "color.png", "outline.png" })
        {
            using var packed = new MemoryStream();
            await using (var entry = zip.GetEntry(icon)!.Open())
                await entry.CopyToAsync(packed);
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(RepoPaths.ManifestDirectory, icon)), packed.ToArray());
        }
    }

    [Fact]
    public void Manifests_and_icons_are_open_to_anonymous_callers_even_under_a_sign_in_fallback_policy()
    {
        var endpoints = app!.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } route && (route.StartsWith("/manifest/", StringComparison.Ordinal) || route.StartsWith("/assets/", StringComparison.Ordinal)))
            .ToList();

        Assert.Equal(3 + ManifestEndpoints.IconSizes.Count, endpoints.Count);
        Assert.All(endpoints, e => Assert.NotNull(e.Metadata.GetMetadata<IAllowAnonymous>()));
    }

    [Fact]
    public async Task Manifests_are_revalidated_on_every_download_so_operators_get_their_current_settings()
    {
        foreach (var path in new[] { "/manifest/manifest.xml", "/manifest/manifest.json", "/manifest/app-package.zip" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.CacheControl?.NoCache == true, $"{path} should be served with Cache-Control: no-cache.");
        }
    }

    [Fact]
    public async Task Ribbon_icons_are_served_without_any_cache_control_so_office_may_cache_them()
    {
        foreach (var size in ManifestEndpoints.IconSizes)
        {
            using var response = await client.GetAsync(new Uri($"/assets/icon-{size}.png", UriKind.Relative));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
            Assert.False(response.Headers.Contains("Cache-Control"), $"icon-{size}.png must carry no Cache-Control header (Office then shows a generic icon).");
            Assert.NotNull(response.Headers.ETag);
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Assets, $"icon-{size}.png")), await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task A_ribbon_icon_request_with_a_matching_etag_gets_not_modified()
    {
        using var first = await client.GetAsync(new Uri("/assets/icon-32.png", UriKind.Relative));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/assets/icon-32.png", UriKind.Relative));
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var second = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task The_icon_endpoints_win_over_a_static_asset_endpoint_that_would_add_no_cache()
    {
        // Stands in for MapStaticAssets, which maps every wwwroot file at order -100 and marks files
        // without a fingerprint "no-cache".
        await using var host = await StartHostAsync(
            new() { ["Service:PublicBaseUrl"] = Origin, ["AddIn:ClientId"] = ClientId },
            app => app.MapMethods("/assets/icon-80.png", [HttpMethods.Get, HttpMethods.Head], (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "no-cache";
                return Results.Bytes([0], "image/png");
            }).WithOrder(-100));
        using var hostClient = host.GetTestClient();

        using var response = await hostClient.GetAsync(new Uri("/assets/icon-80.png", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Cache-Control"));
        Assert.Equal((80, 80), ManifestChecker.PngSize(await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task A_loopback_http_origin_is_accepted_for_development()
    {
        // Outside the sandbox only with the escape hatch for local tests (SafeByDefaultStartupTests).
        await using var host = await StartHostAsync(new() { ["Service:PublicBaseUrl"] = "http://localhost:5080", ["Service:AllowHttpPublicBaseUrl"] = "true", ["AddIn:ClientId"] = ClientId });
        using var hostClient = host.GetTestClient();

        var xml = await hostClient.GetStringAsync(new Uri("/manifest/manifest.xml", UriKind.Relative));

        Assert.Contains("http://localhost:5080/taskpane.html", xml, StringComparison.Ordinal);
        Assert.Contains($"api://localhost:5080/{ClientId}", xml, StringComparison.Ordinal);
    }

    public static TheoryData<string?, string?, string> InvalidSettings => new()
    {
        { "http://bosstalk.contoso.com", ClientId, "Service:PublicBaseUrl must use https" },
        { "https://bosstalk.contoso.com/addin", ClientId, "Service:PublicBaseUrl must be an origin only" },
        { "bosstalk.contoso.com", ClientId, "Service:PublicBaseUrl must be an absolute URL" },
        { "", ClientId, "Service:PublicBaseUrl must be an absolute URL" },
        { Origin, "not-a-guid", "AddIn:ClientId must be the application (client) id GUID" },
        { Origin, "00000000-0000-0000-0000-000000000000", "AddIn:ClientId is still the all-zero placeholder" },
        { Origin, null, "AddIn:ClientId must be the application (client) id GUID" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public async Task The_service_refuses_to_start_with_add_in_settings_that_would_break_the_manifest(string? origin, string? clientId, string expectedMessage)
    {
        var settings = new Dictionary<string, string?> { ["Service:PublicBaseUrl"] = origin, ["AddIn:ClientId"] = clientId };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartHostAsync(settings));

        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_service_refuses_to_start_with_a_scope_that_is_not_a_single_name()
    {
        var settings = new Dictionary<string, string?> { ["Service:PublicBaseUrl"] = Origin, ["AddIn:ClientId"] = ClientId, ["AddIn:ApiScope"] = "a b" };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartHostAsync(settings));

        Assert.Contains("AddIn:ApiScope", error.Message, StringComparison.Ordinal);
    }

    private static async Task<WebApplication> StartHostAsync(Dictionary<string, string?> settings, Action<WebApplication>? mapMore = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production",
            ContentRootPath = RepoPaths.ApiProject,
            WebRootPath = Path.Combine(RepoPaths.ApiProject, "wwwroot"),
        });
        builder.WebHost.UseTestServer();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddAddInManifests();

        var host = builder.Build();
        mapMore?.Invoke(host);
        host.MapAddInManifests();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    private static void AssertNoPlaceholderLeft(string text)
    {
        Assert.DoesNotContain("example.com", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("00000000-0000-0000-0000-000000000000", text, StringComparison.Ordinal);
        Assert.DoesNotContain("access_as_user", text, StringComparison.Ordinal);
    }
}

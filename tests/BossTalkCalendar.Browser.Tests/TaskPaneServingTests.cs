using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using BossTalkCalendar.Api.TaskPane;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Browser.Tests;

/// <summary>How the task pane is served: headers, fingerprints, configuration and the vendored MSAL.js.</summary>
public sealed partial class TaskPaneServingTests
{
    private static readonly Dictionary<string, string?> SandboxSettings = new()
    {
        ["Sandbox:Enabled"] = "true",
        ["AddIn:ClientId"] = PaneServer.ClientId,
        ["Service:PublicBaseUrl"] = "https://bosstalk.contoso.test",
    };

    [Fact]
    public async Task ThePageIsRevalidatedOnEveryLoadAndCarriesAContentSecurityPolicyThatFramesItOnlyInOutlook()
    {
        await using var host = await PaneOnlyHost.StartAsync(SandboxSettings);
        using var response = await host.Http.GetAsync("/taskpane.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoCache);
        Assert.Null(response.Headers.CacheControl?.MaxAge);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Contains("camera=()", Header(response, "Permissions-Policy"), StringComparison.Ordinal);

        var policy = Directives(Header(response, "Content-Security-Policy"));
        Assert.Equal("'self' https://appsforoffice.microsoft.com", policy["script-src"]);
        Assert.Equal("'self'", policy["connect-src"]);
        Assert.Equal("'none'", policy["object-src"]);
        Assert.Equal("'self'", policy["base-uri"]);
        var ancestors = policy["frame-ancestors"].Split(' ');
        Assert.Contains("https://outlook.office.com", ancestors);
        Assert.Contains("https://outlook.office365.com", ancestors);
        Assert.Contains("https://outlook.cloud.microsoft", ancestors);
        Assert.DoesNotContain("*", ancestors);

        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("{{", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"https://appsforoffice.microsoft.com/lib/1/hosted/office.js\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryScriptAndStyleSheetIsReferencedByItsContentHashAndCachedForAYear()
    {
        await using var host = await PaneOnlyHost.StartAsync(SandboxSettings);
        var html = await host.Http.GetStringAsync("/taskpane.html");
        var references = AssetReference().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        // Every script and style sheet under wwwroot is on the page, once: a module left out of taskpane.html fails here.
        var sources = Directory.EnumerateFiles(RepoPaths.WebRoot, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".js", StringComparison.Ordinal) || f.EndsWith(".css", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(RepoPaths.WebRoot, f).Replace('\\', '/'))
            // The send-time alert's handler is served at the fixed address the manifests name, not from the pane.
            .Where(f => !f.StartsWith(LaunchEventSite.SourceFolder, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(sources, references.Select(u => FingerprintedName().Match(u)).Select(m => m.Groups["source"].Value + m.Groups["ext"].Value).Order(StringComparer.Ordinal));

        foreach (var url in references)
        {
            var match = FingerprintedName().Match(url);
            Assert.True(match.Success, $"{url} has no content hash in its name.");
            using var response = await host.Http.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var content = await response.Content.ReadAsByteArrayAsync();
            Assert.StartsWith(match.Groups["hash"].Value, Convert.ToHexStringLower(SHA256.HashData(content)), StringComparison.Ordinal);
            Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(RepoPaths.WebRoot, match.Groups["source"].Value + match.Groups["ext"].Value)));
            Assert.Equal(TimeSpan.FromDays(365), response.Headers.CacheControl?.MaxAge);
            Assert.Contains("immutable", response.Headers.CacheControl!.Extensions.Select(e => e.Name));
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        }

        using var stale = await host.Http.GetAsync("/pane/taskpane.00000000000000000000.js");
        Assert.Equal(HttpStatusCode.NotFound, stale.StatusCode);
        Assert.True(stale.Headers.CacheControl?.NoStore);

        // The ribbon icons stay with the manifest code, which serves them without Cache-Control on purpose.
        Assert.DoesNotContain(host.Services.GetRequiredService<TaskPaneSite>().AssetUrls.Keys, path => path.StartsWith("assets/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ThePageReceivesTheSandboxFlagAndTheApiScopeBuiltFromTheOperatorsOriginAndClientId()
    {
        await using var host = await PaneOnlyHost.StartAsync(SandboxSettings);
        var html = await host.Http.GetStringAsync("/taskpane.html");
        var inline = JsonDocument.Parse(InlineConfig().Match(html).Groups["json"].Value).RootElement;
        var served = JsonDocument.Parse(await host.Http.GetStringAsync("/taskpane-config.json")).RootElement;

        foreach (var config in new[] { inline, served })
        {
            Assert.True(config.GetProperty("sandbox").GetBoolean());
            Assert.Equal(PaneServer.ClientId, config.GetProperty("clientId").GetString());
            Assert.Equal($"api://bosstalk.contoso.test/{PaneServer.ClientId}/access_as_user", config.GetProperty("scope").GetString());
            Assert.Equal("/api/v1", config.GetProperty("apiBase").GetString());
        }
    }

    [Fact]
    public async Task TheLinkInReflectionEventsLeadsToThePaneWithTheEventIdKept()
    {
        await using var host = await PaneOnlyHost.StartAsync(SandboxSettings);
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = host.BaseUrl };
        using var response = await client.GetAsync("/addin/taskpane.html?eventId=AAMk_a-b%3D");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/taskpane.html?eventId=AAMk_a-b%3D", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task AnOfficeJsUrlFromSettingsIsWhatThePageLoadsAndWhatThePolicyAllows()
    {
        var settings = new Dictionary<string, string?>(SandboxSettings) { ["AddIn:OfficeJsUrl"] = "http://127.0.0.1:9/office-double.js" };
        await using var host = await PaneOnlyHost.StartAsync(settings);
        using var response = await host.Http.GetAsync("/taskpane.html");

        Assert.Contains("<script src=\"http://127.0.0.1:9/office-double.js\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("'self' http://127.0.0.1:9", Directives(Header(response, "Content-Security-Policy"))["script-src"]);
    }

    [Theory]
    [InlineData("AddIn:OfficeJsUrl", "http://cdn.example.com/office.js")]
    [InlineData("AddIn:OfficeJsUrl", "not a url")]
    [InlineData("AddIn:FrameAncestors:0", "https://outlook.example.com; script-src *")]
    [InlineData("AddIn:FrameAncestors:0", "*")]
    [InlineData("AddIn:Authority", "http://login.example.com/common")]
    public async Task TheServiceRefusesToStartWithATaskPaneSettingThatWouldWeakenThePage(string key, string value)
    {
        var settings = new Dictionary<string, string?>(SandboxSettings) { [key] = value };
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => PaneOnlyHost.StartAsync(settings));
        Assert.Contains(key.Split(':')[1], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheVendoredMsalBrowserBuildIsTheExactFileOfTheVersionPinnedInManifestTools()
    {
        var tools = Path.Combine(RepoPaths.Root, "tests", "manifest-tools");
        var pinned = JsonDocument.Parse(File.ReadAllText(Path.Combine(tools, "package.json")))
            .RootElement.GetProperty("devDependencies").GetProperty("@azure/msal-browser").GetString();
        Assert.Matches(@"^\d+\.\d+\.\d+$", pinned);

        var installed = Path.Combine(tools, "node_modules", "@azure", "msal-browser", "lib", "msal-browser.min.js");
        Assert.True(File.Exists(installed), $"{installed} is missing: run 'npm ci' in tests/manifest-tools (tests/run.sh does).");
        var vendored = Path.Combine(RepoPaths.WebRoot, "lib", "msal-browser.min.js");
        Assert.StartsWith($"/*! @azure/msal-browser v{pinned} ", File.ReadAllText(vendored), StringComparison.Ordinal);
        Assert.True(File.ReadAllBytes(installed).AsSpan().SequenceEqual(File.ReadAllBytes(vendored)),
            "wwwroot/lib/msal-browser.min.js differs from the pinned npm package: run 'npm run vendor-msal' in tests/manifest-tools.");
        Assert.True(File.Exists(Path.Combine(RepoPaths.WebRoot, "lib", "msal-browser.LICENSE.txt")));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : throw new Xunit.Sdk.XunitException($"No {name} header.");

    private static Dictionary<string, string> Directives(string policy) =>
        policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.Split(' ', 2))
            .ToDictionary(d => d[0], d => d.Length > 1 ? d[1] : "");

    [GeneratedRegex("(?:src|href)=\"(?<url>/pane/[^\"]+)\"")]
    private static partial Regex AssetReference();

    [GeneratedRegex(@"^/pane/(?<source>.+)\.(?<hash>[0-9a-f]{20})(?<ext>\.[a-z]+)$")]
    private static partial Regex FingerprintedName();

    [GeneratedRegex("<script type=\"application/json\" id=\"taskpane-config\">(?<json>.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineConfig();
}

using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using BossTalkCalendar.Api.Sandbox;
using BossTalkCalendar.Api.TaskPane;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Browser.Tests;

/// <summary>How the task pane is served: headers, fingerprints, configuration and the vendored MSAL.js.</summary>
public sealed partial class TaskPaneServingTests
{
    private static readonly Dictionary<string, string?> ProductionSettings = new()
    {
        ["Sandbox:Enabled"] = "false",
        ["AddIn:ClientId"] = PaneServer.ClientId,
        ["Service:PublicBaseUrl"] = "https://bosstalk.contoso.test",
    };

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

        // Three scripts load code: Office.js, MSAL.js (classic, deferred) and the pane's one entry module.
        var scripts = ScriptSource().Matches(html).Select(m => m.Groups["src"].Value).ToList();
        Assert.Equal(3, scripts.Count);
        Assert.Equal(TaskPaneOptions.DefaultOfficeJsUrl, scripts[0]);
        Assert.Matches(@"^/pane/lib/msal-browser\.min\.[0-9a-f]{20}\.js$", scripts[1]);
        var entry = EntryModule().Match(html);
        Assert.True(entry.Success, "The page loads no entry module: " + string.Join(", ", scripts));
        Assert.Equal(entry.Groups["url"].Value, scripts[2]);
        Assert.Single(EntryModule().Matches(html));

        // Every script and style sheet under wwwroot is served once: the classic ones by a per-file hash, the modules
        // (taskpane.js and js/**) in one folder named by the hash of all of them, where their relative imports work.
        var folder = entry.Groups["folder"].Value;
        var sources = Directory.EnumerateFiles(RepoPaths.WebRoot, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".js", StringComparison.Ordinal) || f.EndsWith(".css", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(RepoPaths.WebRoot, f).Replace('\\', '/'))
            // The send-time alert's handler is served at the fixed address the manifests name, not from the pane.
            .Where(f => !f.StartsWith(LaunchEventSite.SourceFolder, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        var references = AssetReference().Matches(html).Select(m => m.Groups["url"].Value).Where(u => !u.StartsWith(folder, StringComparison.Ordinal)).ToList();
        var modules = sources.Where(s => s == "taskpane.js" || s.StartsWith("js/", StringComparison.Ordinal)).ToList();
        Assert.Contains("js/session.js", modules);
        Assert.Contains("js/preview/preview.js", modules);
        Assert.Equal(
            sources.Except(modules),
            references.Select(u => FingerprintedName().Match(u)).Select(m => m.Groups["source"].Value + m.Groups["ext"].Value).Order(StringComparer.Ordinal));

        foreach (var url in references)
        {
            var match = FingerprintedName().Match(url);
            Assert.True(match.Success, $"{url} has no content hash in its name.");
            var content = await AssertCachedForAYearAsync(host, url, match.Groups["source"].Value + match.Groups["ext"].Value);
            Assert.StartsWith(match.Groups["hash"].Value, Convert.ToHexStringLower(SHA256.HashData(content)), StringComparison.Ordinal);
        }

        foreach (var module in modules)
        {
            await AssertCachedForAYearAsync(host, folder + module, module);
        }

        using var stale = await host.Http.GetAsync("/pane/taskpane.00000000000000000000.js");
        Assert.Equal(HttpStatusCode.NotFound, stale.StatusCode);
        Assert.True(stale.Headers.CacheControl?.NoStore);
        using var staleModule = await host.Http.GetAsync("/pane/m/00000000000000000000/taskpane.js");
        Assert.Equal(HttpStatusCode.NotFound, staleModule.StatusCode);

        // The ribbon icons stay with the manifest code, which serves them without Cache-Control on purpose.
        Assert.DoesNotContain(host.Services.GetRequiredService<TaskPaneSite>().AssetUrls.Keys, path => path.StartsWith("assets/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AChangeToAnyModuleGivesEveryModuleANewFolderSoNoCachedModuleImportsAStaleOne()
    {
        await using var host = await PaneOnlyHost.StartAsync(SandboxSettings);
        var folder = EntryModule().Match(await host.Http.GetStringAsync("/taskpane.html")).Groups["folder"].Value;

        // The folder's name is the hash of every module's path and content (TaskPaneSite.AddModules), worked out here
        // independently: one changed byte in any module renames the folder.
        using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var module in Directory.EnumerateFiles(RepoPaths.WebRoot, "*.js", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepoPaths.WebRoot, f).Replace('\\', '/'))
            .Where(f => f == "taskpane.js" || f.StartsWith("js/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal))
        {
            var content = await File.ReadAllBytesAsync(Path.Combine(RepoPaths.WebRoot, module));
            hasher.AppendData(System.Text.Encoding.UTF8.GetBytes(module + "\n" + content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n"));
            hasher.AppendData(content);
        }

        Assert.Equal("/pane/m/" + Convert.ToHexStringLower(hasher.GetHashAndReset())[..20] + "/", folder);
    }

    [Fact]
    public async Task OutsideTheSandboxThePreviewModulesAnswer404AndNoProductionFileCarriesSandboxMarkupCodeOrIds()
    {
        await using var production = await PaneOnlyHost.StartAsync(ProductionSettings);
        await using var sandbox = await PaneOnlyHost.StartAsync(SandboxSettings);
        var productionPage = await production.Http.GetStringAsync("/taskpane.html");
        var sandboxPage = await sandbox.Http.GetStringAsync("/taskpane.html");
        var productionFolder = EntryModule().Match(productionPage).Groups["folder"].Value;
        var sandboxFolder = EntryModule().Match(sandboxPage).Groups["folder"].Value;

        var previewModules = Directory.EnumerateFiles(Path.Combine(RepoPaths.WebRoot, "js", "preview"), "*.js")
            .Select(f => Path.GetRelativePath(RepoPaths.WebRoot, f).Replace('\\', '/'))
            .ToList();
        Assert.Contains("js/preview/preview.js", previewModules);
        Assert.Contains("js/preview/dev-sign-in.js", previewModules);
        foreach (var module in previewModules)
        {
            using var served = await sandbox.Http.GetAsync(sandboxFolder + module);
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            foreach (var folder in new[] { productionFolder, sandboxFolder })
            {
                using var refused = await production.Http.GetAsync(folder + module);
                Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            }
        }

        // The sandbox-only markup (the preview page, the team card's "Sandbox only" box) is in the sandbox's page only.
        foreach (var id in new[] { "id=\"preview\"", "id=\"preview-user\"", "id=\"team-sandbox\"", "id=\"team-sweep\"" })
        {
            Assert.Contains(id, sandboxPage, StringComparison.Ordinal);
            Assert.DoesNotContain(id, productionPage, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("{{", sandboxPage, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", productionPage, StringComparison.Ordinal);

        // Everything a production pane can load: the page and every asset the service serves outside the sandbox.
        var site = production.Services.GetRequiredService<TaskPaneSite>();
        Assert.DoesNotContain(site.AssetUrls.Keys, path => path.StartsWith(TaskPaneSite.SandboxModuleFolder, StringComparison.Ordinal));
        var files = new List<(string Url, string Text)> { ("/taskpane.html", productionPage) };
        foreach (var url in site.AssetUrls.Values)
        {
            files.Add((url, await production.Http.GetStringAsync(url)));
        }

        string[] sandboxOnly =
        [
            DemoTenant.AdminId, DemoTenant.Manager.Id, DemoTenant.ApprovedManager.Id, DemoTenant.Ravi.Mail,
            "b05a1c00-", "/dev-issuer", "/sandbox/users", "admin/sweep", "team-sweep",
        ];
        foreach (var (url, text) in files)
        {
            foreach (var marker in sandboxOnly)
            {
                Assert.False(text.Contains(marker, StringComparison.OrdinalIgnoreCase), $"{url} carries '{marker}', which belongs to the sandbox only.");
            }
        }

        // And the check above can fail: the sandbox's own preview modules carry them.
        var devSignIn = await sandbox.Http.GetStringAsync(sandboxFolder + "js/preview/dev-sign-in.js");
        Assert.Contains(DemoTenant.AdminId, devSignIn, StringComparison.Ordinal);
        Assert.Contains("/dev-issuer", devSignIn, StringComparison.Ordinal);
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

    /// <summary>GETs a pane asset, checks it is the wwwroot file as it is and cacheable forever; returns its bytes.</summary>
    private static async Task<byte[]> AssertCachedForAYearAsync(PaneOnlyHost host, string url, string source)
    {
        using var response = await host.Http.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)response.StatusCode}.");
        var content = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(RepoPaths.WebRoot, source)), content);
        Assert.Equal(TimeSpan.FromDays(365), response.Headers.CacheControl?.MaxAge);
        Assert.Contains("immutable", response.Headers.CacheControl!.Extensions.Select(e => e.Name));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        if (source.EndsWith(".js", StringComparison.Ordinal))
        {
            // Module scripts are refused unless served with a JavaScript MIME type.
            Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        }

        return content;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : throw new Xunit.Sdk.XunitException($"No {name} header.");

    private static Dictionary<string, string> Directives(string policy) =>
        policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.Split(' ', 2))
            .ToDictionary(d => d[0], d => d.Length > 1 ? d[1] : "");

    [GeneratedRegex("(?:src|href)=\"(?<url>/pane/[^\"]+)\"")]
    private static partial Regex AssetReference();

    [GeneratedRegex("<script [^>]*src=\"(?<src>[^\"]+)\"")]
    private static partial Regex ScriptSource();

    [GeneratedRegex("<script type=\"module\" src=\"(?<url>(?<folder>/pane/m/[0-9a-f]{20}/)taskpane\\.js)\"></script>")]
    private static partial Regex EntryModule();

    [GeneratedRegex(@"^/pane/(?<source>.+)\.(?<hash>[0-9a-f]{20})(?<ext>\.[a-z]+)$")]
    private static partial Regex FingerprintedName();

    [GeneratedRegex("<script type=\"application/json\" id=\"taskpane-config\">(?<json>.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineConfig();
}

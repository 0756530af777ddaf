using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BossTalkCalendar.Api.Hosting;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.TaskPane;

/// <summary>
/// The task pane as served: the page rendered once at start-up with the client configuration inlined and
/// every script and style sheet referenced by a content-hashed URL, plus the headers it goes out with.
/// Outlook caches task panes hard, so the page itself is revalidated on every load (no-cache) while the
/// hashed assets can be cached forever: a new build changes their URLs.
/// <para>
/// The pane's own code is ES modules (taskpane.js, the entry, and js/**), which import each other by relative URL
/// ("./dom.js"). A per-file hash in the name would break those imports, so the modules share one folder named by the
/// hash of all of them: /pane/m/{hash}/taskpane.js, /pane/m/{hash}/js/dom.js. Any change gives every module a new URL.
/// The sandbox preview's modules (js/preview/) and the page's sandbox-only markup ({{sandbox}} … {{/sandbox}}
/// comments in taskpane.html) are served only in sandbox mode: outside it those URLs answer 404.
/// </para>
/// </summary>
public sealed partial class TaskPaneSite
{
    /// <summary>Prefix of the fingerprinted asset URLs.</summary>
    public const string AssetPrefix = "/pane/";

    public const string PagePath = "/taskpane.html";

    private const string TemplateFile = "taskpane.html";

    /// <summary>The pane's text catalogs, one JSON file per language (en.json, de.json, …), inlined into the page.</summary>
    private const string CatalogFolder = "i18n";

    /// <summary>The entry module; with everything under <see cref="ModuleFolder"/> it makes the pane's module graph.</summary>
    private const string EntryModule = "taskpane.js";

    private const string ModuleFolder = "js/";

    /// <summary>The sandbox preview's modules (person picker, development sign-in, the sweep helper): sandbox mode only.</summary>
    public const string SandboxModuleFolder = "js/preview/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
    };

    private readonly Dictionary<string, TaskPaneAsset> _assetsByUrl = new(StringComparer.Ordinal);

    public TaskPaneSite(IWebHostEnvironment environment, IConfiguration configuration, IOptions<TaskPaneOptions> options)
    {
        var settings = options.Value;
        var files = environment.WebRootFileProvider;
        var sandbox = HostMode.IsSandbox(configuration);
        var modules = new List<(string Path, byte[] Content)>();
        foreach (var (relativePath, file) in Walk(files, ""))
        {
            // The page is rendered, the ribbon icons are served without Cache-Control by the manifest code, and the
            // send-time alert's files at the fixed URLs the manifests name (LaunchEventSite).
            if (relativePath == TemplateFile || relativePath.StartsWith("assets/", StringComparison.Ordinal)
                || relativePath.StartsWith(LaunchEventSite.SourceFolder, StringComparison.Ordinal))
            {
                continue;
            }

            var extension = Path.GetExtension(relativePath);
            if (!ContentTypes.TryGetValue(extension, out var contentType))
            {
                continue;
            }

            var content = ReadAll(file);
            if (IsModule(relativePath))
            {
                if (sandbox || !relativePath.StartsWith(SandboxModuleFolder, StringComparison.Ordinal))
                {
                    modules.Add((relativePath, content));
                }

                continue;
            }

            var hash = Convert.ToHexStringLower(SHA256.HashData(content));
            var url = AssetPrefix + relativePath[..^extension.Length] + "." + hash[..20] + extension;
            var asset = new TaskPaneAsset(relativePath, url, content, contentType, "\"" + hash[..32] + "\"");
            _assetsByUrl[url] = asset;
            AssetUrls[relativePath] = url;
        }

        AddModules(modules);
        Configuration = BuildClientConfiguration(configuration, settings, sandbox);
        ContentSecurityPolicy = BuildPolicy(settings);
        var template = files.GetFileInfo(TemplateFile);
        if (!template.Exists)
        {
            throw new InvalidOperationException($"wwwroot/{TemplateFile} is missing from the content root {environment.ContentRootPath}; the task pane cannot be served.");
        }

        Catalogs = ReadCatalogs(files);
        var page = SandboxBlock().Replace(Encoding.UTF8.GetString(ReadAll(template)), match => sandbox ? match.Groups["body"].Value : "");
        Page = Encoding.UTF8.GetBytes(Render(page, settings.OfficeJsUrl, Configuration));
        PageTag = "\"" + Convert.ToHexStringLower(SHA256.HashData(Page))[..32] + "\"";
    }

    /// <summary>The rendered page.</summary>
    public byte[] Page { get; }

    public string PageTag { get; }

    /// <summary>The Content-Security-Policy header value of the page.</summary>
    public string ContentSecurityPolicy { get; }

    /// <summary>The configuration the page receives (also the body of /taskpane-config.json).</summary>
    public TaskPaneClientConfiguration Configuration { get; }

    /// <summary>The pane's catalogs as the page receives them: language code → key → text.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Catalogs { get; }

    /// <summary>Source path under wwwroot → its fingerprinted URL.</summary>
    public Dictionary<string, string> AssetUrls { get; } = new(StringComparer.Ordinal);

    public bool TryGetAsset(string url, out TaskPaneAsset asset) => _assetsByUrl.TryGetValue(url, out asset!);

    private static bool IsModule(string relativePath) =>
        relativePath == EntryModule
        || (relativePath.StartsWith(ModuleFolder, StringComparison.Ordinal) && relativePath.EndsWith(".js", StringComparison.Ordinal));

    /// <summary>All served modules in one folder named by the hash of their paths and contents (see the class summary).</summary>
    private void AddModules(List<(string Path, byte[] Content)> modules)
    {
        using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (path, content) in modules.OrderBy(m => m.Path, StringComparer.Ordinal))
        {
            hasher.AppendData(Encoding.UTF8.GetBytes(path + "\n" + content.Length.ToString(CultureInfo.InvariantCulture) + "\n"));
            hasher.AppendData(content);
        }

        var folder = AssetPrefix + "m/" + Convert.ToHexStringLower(hasher.GetHashAndReset())[..20] + "/";
        foreach (var (path, content) in modules)
        {
            var url = folder + path;
            var tag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..32] + "\"";
            _assetsByUrl[url] = new TaskPaneAsset(path, url, content, ContentTypes[".js"], tag);
            AssetUrls[path] = url;
        }
    }

    private string Render(string template, string officeJsUrl, TaskPaneClientConfiguration configuration)
    {
        var json = JsonSerializer.Serialize(configuration, TaskPaneJson.Options);
        return TokenPattern().Replace(template, match =>
        {
            var name = match.Groups["name"].Value;
            var argument = match.Groups["arg"].Value;
            return name switch
            {
                "asset" or "module" => AssetUrls.TryGetValue(argument, out var url) && IsModule(argument) == (name == "module")
                    ? url
                    : throw new InvalidOperationException($"wwwroot/{TemplateFile} references {argument} as {name}, which is not a servable {name} under wwwroot."),
                "officejs" => System.Net.WebUtility.HtmlEncode(officeJsUrl),

                // The default encoder escapes '<', '>' and '&', so the JSON cannot close the script element.
                "config" => json,

                // Inlined like the configuration: no extra request (connect-src stays 'self' and nothing to fingerprint),
                // and the first paint is already in the right language.
                "catalogs" => JsonSerializer.Serialize(Catalogs, TaskPaneJson.Options),
                _ => throw new InvalidOperationException($"Unknown placeholder {match.Value} in wwwroot/{TemplateFile}."),
            };
        });
    }

    private static TaskPaneClientConfiguration BuildClientConfiguration(IConfiguration configuration, TaskPaneOptions settings, bool sandbox)
    {
        var clientId = Guid.TryParse(configuration["AddIn:ClientId"], out var id) && id != Guid.Empty ? id.ToString("D") : null;
        var scopeName = configuration["AddIn:ApiScope"];
        if (string.IsNullOrWhiteSpace(scopeName))
        {
            scopeName = "access_as_user";
        }

        var origin = configuration[$"{ServiceOptions.SectionName}:{nameof(ServiceOptions.PublicBaseUrl)}"];
        if (string.IsNullOrWhiteSpace(origin))
        {
            origin = ServiceOptions.DefaultPublicBaseUrl;
        }

        // Same App ID URI as the manifests' webApplicationInfo resource: api://{host[:port]}/{client id}.
        string? scope = null;
        if (clientId is not null && Uri.TryCreate(origin, UriKind.Absolute, out var originUri))
        {
            scope = $"api://{originUri.Authority}/{clientId}/{scopeName.Trim()}";
        }

        return new TaskPaneClientConfiguration(sandbox, clientId, scope, settings.Authority, "/api/v1");
    }

    private static string BuildPolicy(TaskPaneOptions settings)
    {
        var officeJs = new Uri(settings.OfficeJsUrl);
        var officeJsOrigin = officeJs.GetLeftPart(UriPartial.Authority);
        var ancestors = string.Join(' ', settings.EffectiveFrameAncestors());
        return string.Join("; ",
            "default-src 'self'",
            $"script-src 'self' {officeJsOrigin}",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            $"frame-ancestors 'self' {ancestors}");
    }

    /// <summary>Every wwwroot/i18n/*.json, each a flat object of strings; a broken one stops the service at start-up.</summary>
    private static SortedDictionary<string, IReadOnlyDictionary<string, string>> ReadCatalogs(IFileProvider files)
    {
        var catalogs = new SortedDictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var entry in files.GetDirectoryContents(CatalogFolder).Where(e => !e.IsDirectory && e.Name.EndsWith(".json", StringComparison.Ordinal)))
        {
            try
            {
                catalogs[Path.GetFileNameWithoutExtension(entry.Name)] = JsonSerializer.Deserialize<Dictionary<string, string>>(ReadAll(entry))
                    ?? throw new InvalidOperationException("It is empty.");
            }
            catch (JsonException e)
            {
                throw new InvalidOperationException($"wwwroot/{CatalogFolder}/{entry.Name} is not a flat JSON object of strings; the task pane cannot be served.", e);
            }
        }

        if (!catalogs.ContainsKey("en"))
        {
            throw new InvalidOperationException($"wwwroot/{CatalogFolder}/en.json, the task pane's fallback language, is missing.");
        }

        return catalogs;
    }

    private static IEnumerable<(string Path, IFileInfo File)> Walk(IFileProvider files, string folder)
    {
        foreach (var entry in files.GetDirectoryContents(folder).OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var path = folder.Length == 0 ? entry.Name : folder + "/" + entry.Name;
            if (entry.IsDirectory)
            {
                foreach (var nested in Walk(files, path))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return (path, entry);
            }
        }
    }

    private static byte[] ReadAll(IFileInfo file)
    {
        using var stream = file.CreateReadStream();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [GeneratedRegex(@"\{\{(?<name>[a-z]+)(?::(?<arg>[A-Za-z0-9._/-]+))?\}\}")]
    private static partial Regex TokenPattern();

    /// <summary>Sandbox-only markup: from a comment starting {{sandbox}} to the comment {{/sandbox}}, each on its own line.</summary>
    [GeneratedRegex(@"[ \t]*<!-- \{\{sandbox\}\}[^>]*-->\r?\n(?<body>.*?)[ \t]*<!-- \{\{/sandbox\}\} -->\r?\n", RegexOptions.Singleline)]
    private static partial Regex SandboxBlock();
}

/// <summary>One fingerprinted file of the task pane.</summary>
public sealed record TaskPaneAsset(string SourcePath, string Url, byte[] Content, string ContentType, string ETag);

/// <summary>What the page needs to know to sign in and call the API.</summary>
/// <param name="Sandbox">Sandbox mode: the preview page and the development sign-in are available.</param>
/// <param name="ClientId">The Entra application id (null when not configured).</param>
/// <param name="Scope">The full API scope the pane asks a token for, e.g. api://host/{client id}/access_as_user.</param>
/// <param name="Authority">The authority for nested app authentication.</param>
/// <param name="ApiBase">Root of the add-in API on this origin.</param>
public sealed record TaskPaneClientConfiguration(bool Sandbox, string? ClientId, string? Scope, string Authority, string ApiBase);

internal static class TaskPaneJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BossTalkCalendar.Api.Hosting;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.TaskPane;

/// <summary>
/// The add-in's send-time alert runtime (Outlook Smart Alerts), rendered once at start-up:
/// <list type="bullet">
/// <item><c>/launchevent.js</c>: one classic script, as classic Outlook on Windows needs it (its JavaScript-only runtime
/// loads exactly one file and no modules): this service's settings, MSAL.js, then wwwroot/launchevent/launchevent.js.</item>
/// <item><c>/launchevent.html</c>: the page the browser runtimes (Outlook on the web, new Outlook on Windows, Mac)
/// load; it loads Office.js and the same script.</item>
/// <item><c>/.well-known/microsoft-officeaddins-allowed.json</c>: lists the script's URL, which classic Outlook on
/// Windows requires before the script may use nested app authentication.</item>
/// </list>
/// The manifests name these URLs, so they cannot carry a content hash: they are revalidated on every load (no-cache).
/// </summary>
public sealed class LaunchEventSite
{
    public const string ScriptPath = "/launchevent.js";

    public const string PagePath = "/launchevent.html";

    public const string WellKnownPath = "/.well-known/microsoft-officeaddins-allowed.json";

    /// <summary>Where the handler and the page template live under wwwroot (kept out of the pane's fingerprinted assets).</summary>
    public const string SourceFolder = "launchevent/";

    public LaunchEventSite(IWebHostEnvironment environment, TaskPaneSite pane, IOptions<TaskPaneOptions> options, IOptions<ServiceOptions> service)
    {
        var files = environment.WebRootFileProvider;
        var origin = service.Value.Origin.Origin;
        var configuration = pane.Configuration;
        Configuration = new LaunchEventConfiguration(configuration.ClientId, configuration.Scope, configuration.Authority, origin + configuration.ApiBase + "/send-check");

        var json = JsonSerializer.Serialize(Configuration, TaskPaneJson.Options);
        var script = new StringBuilder()
            .Append("/* BossTalk send-time alert: this service's settings, MSAL.js (MIT licence, /pane/lib/msal-browser.LICENSE.txt), then the handler. */\n")
            .Append("(typeof globalThis !== \"undefined\" ? globalThis : this).BossTalkEventConfig = ").Append(json).Append(";\n")
            .Append(Read(files, "lib/msal-browser.min.js")).Append("\n;\n")
            .Append(Read(files, SourceFolder + "launchevent.js"))
            .ToString();
        Script = Encoding.UTF8.GetBytes(script);
        ScriptTag = Tag(Script);

        var page = Read(files, SourceFolder + "launchevent.html").Replace("{{officejs}}", System.Net.WebUtility.HtmlEncode(options.Value.OfficeJsUrl), StringComparison.Ordinal);
        Page = Encoding.UTF8.GetBytes(page);
        PageTag = Tag(Page);
        ContentSecurityPolicy = pane.ContentSecurityPolicy;

        WellKnown = JsonSerializer.SerializeToUtf8Bytes(new { allowed = new[] { origin + ScriptPath } });
    }

    /// <summary>The settings the handler receives (no secrets: the same as the task pane's).</summary>
    public LaunchEventConfiguration Configuration { get; }

    public byte[] Script { get; }

    public string ScriptTag { get; }

    public byte[] Page { get; }

    public string PageTag { get; }

    public string ContentSecurityPolicy { get; }

    public byte[] WellKnown { get; }

    private static string Read(Microsoft.Extensions.FileProviders.IFileProvider files, string path)
    {
        var file = files.GetFileInfo(path);
        if (!file.Exists)
        {
            throw new InvalidOperationException($"wwwroot/{path} is missing; the add-in's send-time alert cannot be served.");
        }

        using var stream = file.CreateReadStream();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string Tag(byte[] content) => "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..32] + "\"";
}

/// <summary>What the send-time handler needs: the sign-in app and the absolute send-check URL (the JavaScript-only runtime has no relative URLs).</summary>
public sealed record LaunchEventConfiguration(string? ClientId, string? Scope, string Authority, string ApiUrl);

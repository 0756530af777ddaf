using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace BossTalkCalendar.Api.Tests.Manifest;

/// <summary>What a manifest must point at: the one origin it is served from and the sign-in app.</summary>
internal sealed record ManifestExpectations(string Origin, string ClientId, string ApiScope)
{
    /// <summary>The placeholder values the checked-in files carry.</summary>
    public static ManifestExpectations Placeholders { get; } =
        new("https://bosstalk.example.com", "00000000-0000-0000-0000-000000000000", "access_as_user");

    public string Authority => new Uri(Origin).Authority;

    public string TaskPaneUrl => Origin + "/taskpane.html";

    /// <summary>The send-time alert's runtime page (browser runtimes).</summary>
    public string SendAlertPageUrl => Origin + "/launchevent.html";

    /// <summary>The send-time alert's one-file script (classic Outlook on Windows' JavaScript-only runtime).</summary>
    public string SendAlertScriptUrl => Origin + "/launchevent.js";

    public string ApiResource => $"api://{Authority}/{ClientId}";
}

/// <summary>
/// Our own checks on the manifests, for what the schema validators do not catch (or cannot run offline):
/// cross references, icons on disk, the single https origin, permissions, surfaces and element order.
/// Each check returns a list of problems; an empty list means the manifest is sound.
/// </summary>
internal static partial class ManifestChecker
{
    private static readonly XNamespace OfficeApp = "http://schemas.microsoft.com/office/appforoffice/1.1";
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";
    private static readonly XNamespace Bt = "http://schemas.microsoft.com/office/officeappbasictypes/1.0";
    private static readonly XNamespace Mail10 = "http://schemas.microsoft.com/office/mailappversionoverrides";
    private static readonly XNamespace Mail11 = "http://schemas.microsoft.com/office/mailappversionoverrides/1.1";

    // docs/develop/manifest-element-ordering.md, "Basic mail add-in element ordering".
    private static readonly string[] TopLevelOrder =
    [
        "Id", "AlternateId", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description", "IconUrl",
        "HighResolutionIconUrl", "SupportUrl", "AppDomains", "Hosts", "Requirements", "FormSettings", "Permissions",
        "Rule", "DisableEntityHighlighting", "VersionOverrides",
    ];

    private static readonly string[] RequiredTopLevel =
        ["Id", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description", "IconUrl", "HighResolutionIconUrl", "Hosts", "Requirements", "FormSettings", "Permissions", "Rule", "VersionOverrides"];

    private static readonly string[] V10Order = ["Description", "Requirements", "Hosts", "Resources", "VersionOverrides"];

    private static readonly string[] V11Order =
        ["Description", "Requirements", "Hosts", "Resources", "WebApplicationInfo", "EquivalentAddins", "ConnectedServiceControls", "ExtendedPermissions"];

    private static readonly string[] RequiredSurfaces = ["AppointmentAttendeeCommandSurface", "AppointmentOrganizerCommandSurface"];

    private static readonly string[] RequiredContexts = ["meetingDetailsAttendee", "meetingDetailsOrganizer", "mailCompose"];

    /// <summary>
    /// The task pane buttons the send-time handler (wwwroot/launchevent/launchevent.js) names as commandId, per compose surface;
    /// the same ids in both manifests, as the handler cannot tell which manifest installed it.
    /// </summary>
    public static IReadOnlyDictionary<string, string> HandlerCommandIds { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["MessageComposeCommandSurface"] = "BossTalkComposeOpenPaneButton",
        ["AppointmentOrganizerCommandSurface"] = "BossTalkOrganizerOpenPaneButton",
    };

    /// <summary>Event → handler name, as the handler registers them with Office.actions.associate.</summary>
    public static IReadOnlyDictionary<string, string> SendHandlers { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["OnMessageSend"] = "onMessageSendHandler",
        ["OnAppointmentSend"] = "onAppointmentSendHandler",
    };

    private static readonly Dictionary<string, string> UnifiedSendEvents = new(StringComparer.Ordinal)
    {
        ["messageSending"] = "onMessageSendHandler",
        ["appointmentSending"] = "onAppointmentSendHandler",
    };

    private static readonly Dictionary<string, string> UnifiedHandlerContexts = new(StringComparer.Ordinal)
    {
        ["mailCompose"] = "BossTalkComposeOpenPaneButton",
        ["meetingDetailsOrganizer"] = "BossTalkOrganizerOpenPaneButton",
    };

    private static readonly int[] RibbonIconSizes = [16, 32, 80];

    // ---------------------------------------------------------------- XML (add-in only manifest)

    public static IReadOnlyList<string> CheckXml(XDocument document, ManifestExpectations expected)
    {
        var problems = new List<string>();
        var root = document.Root!;
        if (root.Name != OfficeApp + "OfficeApp" || XsiType(root) != "MailApp")
        {
            problems.Add("The root must be an OfficeApp element in the appforoffice/1.1 namespace with xsi:type=\"MailApp\".");
            return problems;
        }

        CheckOrder(problems, "OfficeApp", root, OfficeApp, TopLevelOrder);
        foreach (var name in RequiredTopLevel.Where(n => root.Element((n == "VersionOverrides" ? Mail10 : OfficeApp) + n) is null))
            problems.Add($"OfficeApp lacks the required <{name}> element.");

        var id = root.Element(OfficeApp + "Id")?.Value ?? "";
        if (!Guid.TryParseExact(id, "D", out _))
            problems.Add($"<Id> '{id}' is not a GUID.");
        var version = root.Element(OfficeApp + "Version")?.Value ?? "";
        if (!XmlVersionPattern().IsMatch(version))
            problems.Add($"<Version> '{version}' is not of the form n.n.n.n.");

        var permissions = root.Element(OfficeApp + "Permissions")?.Value;
        if (permissions != "ReadItem")
            problems.Add($"<Permissions> is '{permissions}'; the add-in needs exactly ReadItem (organizer and attendees are null under Restricted, and it writes nothing through Office.js).");

        var baseMailbox = root.Element(OfficeApp + "Requirements")?.Descendants(OfficeApp + "Set")
            .FirstOrDefault(s => (string?)s.Attribute("Name") == "Mailbox");
        if ((string?)baseMailbox?.Attribute("MinVersion") != "1.3")
            problems.Add("The base <Requirements> must ask for Mailbox 1.3 (add-in commands and convertToRestId).");

        if (root.Element(OfficeApp + "FormSettings")?.Descendants(OfficeApp + "SourceLocation").Any(s => (string?)s.Attribute("DefaultValue") == expected.TaskPaneUrl) != true)
            problems.Add($"<FormSettings> must point its SourceLocation at {expected.TaskPaneUrl}.");

        CheckXmlUrls(problems, root, expected);
        CheckIcon(problems, "<IconUrl>", (string?)root.Element(OfficeApp + "IconUrl")?.Attribute("DefaultValue"), null, expected);
        CheckIcon(problems, "<HighResolutionIconUrl>", (string?)root.Element(OfficeApp + "HighResolutionIconUrl")?.Attribute("DefaultValue"), null, expected);

        var v10 = root.Element(Mail10 + "VersionOverrides");
        if (v10 is null || XsiType(v10) != "VersionOverridesV1_0")
        {
            problems.Add("OfficeApp must contain <VersionOverrides xsi:type=\"VersionOverridesV1_0\"> in the mailappversionoverrides namespace.");
            return problems;
        }

        CheckOrder(problems, "VersionOverrides V1_0", v10, Mail10, V10Order);
        CheckVersionOverrides(problems, "V1_0", v10, Mail10, "1.3", expected, RequiredSurfaces);

        var v11 = v10.Element(Mail11 + "VersionOverrides");
        if (v11 is null || XsiType(v11) != "VersionOverridesV1_1")
        {
            problems.Add("VersionOverrides V1_0 must end with a nested <VersionOverrides xsi:type=\"VersionOverridesV1_1\"> in the mailappversionoverrides/1.1 namespace.");
            return problems;
        }

        if (v10.Elements().Last() != v11)
            problems.Add("The nested VersionOverrides V1_1 must be the last child of V1_0.");
        CheckOrder(problems, "VersionOverrides V1_1", v11, Mail11, V11Order);
        CheckVersionOverrides(problems, "V1_1", v11, Mail11, "1.5", expected, [.. RequiredSurfaces, "MessageComposeCommandSurface"]);
        CheckSendAlert(problems, v11, expected);
        CheckWebApplicationInfo(problems, v11.Element(Mail11 + "WebApplicationInfo"), expected);
        return problems;
    }

    private static void CheckVersionOverrides(List<string> problems, string label, XElement overrides, XNamespace ns, string mailboxVersion, ManifestExpectations expected, string[] requiredSurfaces)
    {
        var sets = overrides.Element(ns + "Requirements")?.Element(Bt + "Sets");
        if ((string?)sets?.Attribute("DefaultMinVersion") != mailboxVersion || sets.Elements(Bt + "Set").All(s => (string?)s.Attribute("Name") != "Mailbox"))
            problems.Add($"{label} must require Mailbox {mailboxVersion}.");

        var resources = overrides.Element(ns + "Resources");
        var images = ResourceMap(problems, label, resources, "Images", "Image");
        var urls = ResourceMap(problems, label, resources, "Urls", "Url");
        var shortStrings = ResourceMap(problems, label, resources, "ShortStrings", "String");
        var longStrings = ResourceMap(problems, label, resources, "LongStrings", "String");

        // Only this block's own markup: the nested V1_1 is checked on its own.
        var hosts = overrides.Element(ns + "Hosts");
        var markup = hosts?.Descendants().ToList() ?? [];
        foreach (var element in markup.Where(e => e.Attribute("resid") is not null))
        {
            var resid = (string)element.Attribute("resid")!;
            var (table, kind) = element.Name.LocalName switch
            {
                "Image" => (images, "bt:Images"),
                "SourceLocation" or "FunctionFile" or "Runtime" or "Override" => (urls, "bt:Urls"),
                "Label" or "Title" => (shortStrings, "bt:ShortStrings"),
                "Description" => (longStrings, "bt:LongStrings"),
                _ => (null, element.Name.LocalName),
            };
            if (table is null)
                problems.Add($"{label}: <{element.Name.LocalName} resid=\"{resid}\"> is an element this check does not know.");
            else if (!table.ContainsKey(resid))
                problems.Add($"{label}: resid \"{resid}\" on <{element.Name.LocalName}> does not resolve in {kind}.");
            if (resid.Length > 32)
                problems.Add($"{label}: resid \"{resid}\" is longer than 32 characters.");
        }

        foreach (var duplicate in markup.Where(e => e.Name.LocalName is "Group" or "Control").GroupBy(e => (string?)e.Attribute("id")).Where(g => g.Count() > 1))
            problems.Add($"{label}: the id \"{duplicate.Key}\" is used by more than one group or control.");

        var desktop = hosts?.Elements(ns + "Host").Where(h => XsiType(h) == "MailHost").Elements(ns + "DesktopFormFactor").FirstOrDefault();
        if (desktop is null)
        {
            problems.Add($"{label} has no MailHost DesktopFormFactor.");
            return;
        }

        foreach (var surface in requiredSurfaces)
        {
            var point = desktop.Elements(ns + "ExtensionPoint").FirstOrDefault(e => XsiType(e) == surface);
            if (point is null)
            {
                problems.Add($"{label} lacks the {surface} extension point.");
                continue;
            }

            var buttons = point.Descendants(ns + "Control").Where(c => XsiType(c) == "Button").ToList();
            var opensPane = buttons.Any(button =>
            {
                var action = button.Element(ns + "Action");
                var resid = (string?)action?.Element(ns + "SourceLocation")?.Attribute("resid");
                return XsiType(action) == "ShowTaskpane" && resid is not null && urls.GetValueOrDefault(resid) == expected.TaskPaneUrl;
            });
            if (!opensPane)
                problems.Add($"{label} {surface} has no button that opens the task pane at {expected.TaskPaneUrl}.");
            if (HandlerCommandIds.TryGetValue(surface, out var commandId) && buttons.All(b => (string?)b.Attribute("id") != commandId))
                problems.Add($"{label} {surface} lacks the button \"{commandId}\" the send-time handler names as commandId.");

            foreach (var button in buttons)
            {
                var icons = button.Element(ns + "Icon")?.Elements(Bt + "Image").ToList() ?? [];
                foreach (var size in RibbonIconSizes.Where(s => icons.All(i => (string?)i.Attribute("size") != s.ToString(CultureInfo.InvariantCulture))))
                    problems.Add($"{label} {surface} button \"{(string?)button.Attribute("id")}\" lacks its {size}px icon.");
                foreach (var icon in icons)
                {
                    var resid = (string?)icon.Attribute("resid") ?? "";
                    if (images.TryGetValue(resid, out var url))
                        CheckIcon(problems, $"{label} icon {resid}", url, int.Parse((string?)icon.Attribute("size") ?? "0", CultureInfo.InvariantCulture), expected);
                }
            }
        }
    }

    /// <summary>
    /// The send-time alert in V1_1: a Runtimes entry (page, with the one-file JavaScript override) and a LaunchEvent
    /// extension point whose OnMessageSend and OnAppointmentSend name our handlers, prompt the user, and use that runtime.
    /// </summary>
    private static void CheckSendAlert(List<string> problems, XElement v11, ManifestExpectations expected)
    {
        var urls = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var url in v11.Element(Mail11 + "Resources")?.Element(Bt + "Urls")?.Elements(Bt + "Url") ?? [])
            urls.TryAdd((string?)url.Attribute("id") ?? "", (string?)url.Attribute("DefaultValue") ?? "");

        var host = v11.Element(Mail11 + "Hosts")?.Elements(Mail11 + "Host").FirstOrDefault(h => XsiType(h) == "MailHost");
        var runtimes = host?.Element(Mail11 + "Runtimes");
        if (runtimes is null)
        {
            problems.Add("V1_1 MailHost lacks the <Runtimes> element the send-time alert runs in.");
            return;
        }

        if (host!.Elements().First() != runtimes)
            problems.Add("V1_1 MailHost: <Runtimes> must come before <DesktopFormFactor>.");
        var runtime = runtimes.Elements(Mail11 + "Runtime").FirstOrDefault(r => urls.GetValueOrDefault((string?)r.Attribute("resid") ?? "") == expected.SendAlertPageUrl);
        if (runtime is null)
        {
            problems.Add($"V1_1 has no <Runtime> whose resid points at {expected.SendAlertPageUrl}.");
            return;
        }

        var script = runtime.Elements(Mail11 + "Override").FirstOrDefault(o => (string?)o.Attribute("type") == "javascript");
        if (urls.GetValueOrDefault((string?)script?.Attribute("resid") ?? "") != expected.SendAlertScriptUrl)
            problems.Add($"The send-time <Runtime> lacks <Override type=\"javascript\"> pointing at {expected.SendAlertScriptUrl} (classic Outlook on Windows).");

        var launch = host.Element(Mail11 + "DesktopFormFactor")?.Elements(Mail11 + "ExtensionPoint").FirstOrDefault(e => XsiType(e) == "LaunchEvent");
        if (launch is null)
        {
            problems.Add("V1_1 DesktopFormFactor lacks the LaunchEvent extension point.");
            return;
        }

        if ((string?)launch.Element(Mail11 + "SourceLocation")?.Attribute("resid") != (string?)runtime.Attribute("resid"))
            problems.Add("The LaunchEvent <SourceLocation> must use the resid of the send-time <Runtime>.");
        var events = launch.Element(Mail11 + "LaunchEvents")?.Elements(Mail11 + "LaunchEvent").ToList() ?? [];
        foreach (var (type, function) in SendHandlers)
        {
            var matching = events.Where(e => (string?)e.Attribute("Type") == type).ToList();
            if (matching.Count != 1)
            {
                problems.Add($"LaunchEvent {type} must be declared exactly once (found {matching.Count}).");
                continue;
            }

            if ((string?)matching[0].Attribute("FunctionName") != function)
                problems.Add($"LaunchEvent {type} has FunctionName \"{(string?)matching[0].Attribute("FunctionName")}\", but the handler registers \"{function}\".");
            if ((string?)matching[0].Attribute("SendMode") != "PromptUser")
                problems.Add($"LaunchEvent {type} must have SendMode=\"PromptUser\" (never a block; SoftBlock is the default when it is missing).");
        }
    }

    private static Dictionary<string, string> ResourceMap(List<string> problems, string label, XElement? resources, string collection, string item)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in resources?.Element(Bt + collection)?.Elements(Bt + item) ?? [])
        {
            var id = (string?)entry.Attribute("id") ?? "";
            if (!map.TryAdd(id, (string?)entry.Attribute("DefaultValue") ?? ""))
                problems.Add($"{label}: resource id \"{id}\" is defined twice in bt:{collection}.");
        }

        return map;
    }

    private static void CheckWebApplicationInfo(List<string> problems, XElement? info, ManifestExpectations expected)
    {
        if (info is null)
        {
            problems.Add("V1_1 lacks <WebApplicationInfo> (single sign-on settings).");
            return;
        }

        var id = info.Element(Mail11 + "Id")?.Value;
        if (id != expected.ClientId)
            problems.Add($"<WebApplicationInfo><Id> is '{id}', expected the client id {expected.ClientId}.");
        var resource = info.Element(Mail11 + "Resource")?.Value;
        if (resource != expected.ApiResource)
            problems.Add($"<WebApplicationInfo><Resource> is '{resource}', expected {expected.ApiResource}.");
        var scopes = info.Element(Mail11 + "Scopes")?.Elements(Mail11 + "Scope").Select(s => s.Value).ToList() ?? [];
        if (!scopes.Contains(expected.ApiScope))
            problems.Add($"<WebApplicationInfo><Scopes> lacks {expected.ApiScope}.");
    }

    private static void CheckXmlUrls(List<string> problems, XElement root, ManifestExpectations expected)
    {
        var values = root.DescendantsAndSelf()
            .SelectMany(e => e.Attributes().Where(a => !a.IsNamespaceDeclaration).Select(a => (Where: $"<{e.Name.LocalName} {a.Name.LocalName}>", a.Value))
                .Concat(e.HasElements ? [] : [(Where: $"<{e.Name.LocalName}>", e.Value)]));
        foreach (var (where, value) in values.Where(v => v.Value.Contains("://", StringComparison.Ordinal)))
            CheckUrl(problems, where, value.Trim(), expected);

        foreach (var domain in root.Element(OfficeApp + "AppDomains")?.Elements(OfficeApp + "AppDomain") ?? [])
        {
            if (domain.Value != expected.Origin)
                problems.Add($"<AppDomain> '{domain.Value}' is not the configured origin {expected.Origin}.");
        }
    }

    // ---------------------------------------------------------------- JSON (unified manifest)

    public static IReadOnlyList<string> CheckJson(JsonDocument document, ManifestExpectations expected)
    {
        var problems = new List<string>();
        var root = document.RootElement;

        var schema = Text(root, "$schema");
        var schemaVersion = SchemaVersionPattern().Match(schema ?? "");
        if (!schemaVersion.Success || Text(root, "manifestVersion") != schemaVersion.Groups[1].Value)
            problems.Add($"manifestVersion '{Text(root, "manifestVersion")}' does not match the $schema '{schema}'.");
        if (!Guid.TryParseExact(Text(root, "id") ?? "", "D", out _))
            problems.Add($"id '{Text(root, "id")}' is not a GUID.");
        if (!JsonVersionPattern().IsMatch(Text(root, "version") ?? ""))
            problems.Add($"version '{Text(root, "version")}' is not of the form n.n.n.");

        foreach (var (path, value) in Strings(root, "$").Where(s => s.Path != "$.$schema" && s.Value.Contains("://", StringComparison.Ordinal)))
            CheckUrl(problems, path, value, expected);

        var domains = Array(root, "validDomains").Select(d => d.GetString()).ToList();
        if (domains.Count != 1 || domains[0] != expected.Authority)
            problems.Add($"validDomains must be exactly [\"{expected.Authority}\"], found [{string.Join(", ", domains)}].");

        CheckAppPackageIcon(problems, root, "color", 192);
        CheckAppPackageIcon(problems, root, "outline", 32);

        var permissions = root.TryGetProperty("authorization", out var auth) && auth.TryGetProperty("permissions", out var perms)
            ? Array(perms, "resourceSpecific").Select(p => $"{Text(p, "name")}/{Text(p, "type")}").ToList()
            : [];
        if (permissions.Count != 1 || permissions[0] != "MailboxItem.Read.User/Delegated")
            problems.Add($"authorization.permissions.resourceSpecific must be exactly MailboxItem.Read.User (Delegated), found [{string.Join(", ", permissions)}].");

        if (root.TryGetProperty("webApplicationInfo", out var webApp))
        {
            if (Text(webApp, "id") != expected.ClientId)
                problems.Add($"webApplicationInfo.id is '{Text(webApp, "id")}', expected the client id {expected.ClientId}.");
            if (Text(webApp, "resource") != expected.ApiResource)
                problems.Add($"webApplicationInfo.resource is '{Text(webApp, "resource")}', expected {expected.ApiResource}.");
        }
        else
        {
            problems.Add("webApplicationInfo (single sign-on settings) is missing.");
        }

        var extensions = Array(root, "extensions").ToList();
        if (extensions.Count == 0)
            problems.Add("There is no entry in extensions.");
        foreach (var extension in extensions)
            CheckExtension(problems, extension, expected);
        return problems;
    }

    private static void CheckExtension(List<string> problems, JsonElement extension, ManifestExpectations expected)
    {
        if (extension.TryGetProperty("requirements", out var requirements))
        {
            if (!Array(requirements, "scopes").Any(s => s.GetString() == "mail"))
                problems.Add("extensions[].requirements.scopes must include mail.");
            if (!Array(requirements, "capabilities").Any(c => Text(c, "name") == "Mailbox" && Text(c, "minVersion") == "1.3"))
                problems.Add("extensions[].requirements.capabilities must ask for Mailbox 1.3.");
        }
        else
        {
            problems.Add("extensions[] has no requirements.");
        }

        var actions = new Dictionary<string, (string Type, string Page, string Script, string MailboxVersion)>(StringComparer.Ordinal);
        foreach (var runtime in Array(extension, "runtimes"))
        {
            var page = runtime.TryGetProperty("code", out var code) ? Text(code, "page") ?? "" : "";
            var script = runtime.TryGetProperty("code", out var scriptCode) ? Text(scriptCode, "script") ?? "" : "";
            var mailbox = runtime.TryGetProperty("requirements", out var runtimeRequirements)
                ? Array(runtimeRequirements, "capabilities").Where(c => Text(c, "name") == "Mailbox").Select(c => Text(c, "minVersion")).FirstOrDefault() ?? ""
                : "";
            foreach (var action in Array(runtime, "actions"))
            {
                var id = Text(action, "id") ?? "";
                if (!actions.TryAdd(id, (Text(action, "type") ?? "", page, script, mailbox)))
                    problems.Add($"The runtime action id \"{id}\" is defined twice.");
            }
        }

        var ribbons = Array(extension, "ribbons").ToList();
        foreach (var context in RequiredContexts.Where(c => !ribbons.Any(r => Array(r, "contexts").Any(x => x.GetString() == c))))
            problems.Add($"No ribbon covers the {context} context.");

        var opensPane = false;
        foreach (var ribbon in ribbons)
        {
            foreach (var group in Array(ribbon, "tabs").SelectMany(t => Array(t, "groups")))
            {
                CheckRibbonIcons(problems, $"group {Text(group, "id")}", group, expected);
                foreach (var control in Array(group, "controls").SelectMany(c => Array(c, "items").Prepend(c)))
                {
                    var actionId = Text(control, "actionId");
                    if (actionId is null)
                        continue;
                    if (!actions.TryGetValue(actionId, out var action))
                    {
                        problems.Add($"The control \"{Text(control, "id")}\" has actionId \"{actionId}\", which matches no runtime action.");
                        continue;
                    }

                    CheckRibbonIcons(problems, $"control {Text(control, "id")}", control, expected);
                    opensPane |= action.Type == "openPage" && action.Page == expected.TaskPaneUrl;
                }
            }
        }

        if (!opensPane)
            problems.Add($"No ribbon control opens the task pane at {expected.TaskPaneUrl}.");

        foreach (var (context, commandId) in UnifiedHandlerContexts)
        {
            var hasButton = ribbons.Where(r => Array(r, "contexts").Any(x => x.GetString() == context))
                .SelectMany(r => Array(r, "tabs")).SelectMany(t => Array(t, "groups")).SelectMany(g => Array(g, "controls"))
                .Any(c => Text(c, "id") == commandId && Text(c, "actionId") is { } a && actions.TryGetValue(a, out var act) && act.Type == "openPage" && act.Page == expected.TaskPaneUrl);
            if (!hasButton)
                problems.Add($"No ribbon for the {context} context has the pane button \"{commandId}\" the send-time handler names as commandId.");
        }

        CheckAutoRunEvents(problems, extension, actions, expected);
    }

    /// <summary>
    /// The send-time alert in the unified manifest: messageSending and appointmentSending on Mailbox 1.12, prompting the
    /// user, each naming an executeFunction action of a runtime with our page and our one-file script.
    /// </summary>
    private static void CheckAutoRunEvents(List<string> problems, JsonElement extension, Dictionary<string, (string Type, string Page, string Script, string MailboxVersion)> actions, ManifestExpectations expected)
    {
        var autoRun = Array(extension, "autoRunEvents").ToList();
        if (autoRun.Count == 0)
        {
            problems.Add("extensions[] has no autoRunEvents (the send-time alert).");
            return;
        }

        foreach (var entry in autoRun)
        {
            if (!(entry.TryGetProperty("requirements", out var requirements) && Array(requirements, "capabilities").Any(c => Text(c, "name") == "Mailbox" && Text(c, "minVersion") == "1.12")))
                problems.Add("autoRunEvents[].requirements must ask for Mailbox 1.12 (OnMessageSend and OnAppointmentSend).");
        }

        var events = autoRun.SelectMany(e => Array(e, "events")).ToList();
        foreach (var (type, handler) in UnifiedSendEvents)
        {
            var matching = events.Where(e => Text(e, "type") == type).ToList();
            if (matching.Count != 1)
            {
                problems.Add($"autoRunEvents must declare {type} exactly once (found {matching.Count}).");
                continue;
            }

            var actionId = Text(matching[0], "actionId");
            if (actionId != handler)
                problems.Add($"autoRunEvents {type} has actionId \"{actionId}\", but the handler registers \"{handler}\".");
            if (actionId is null || !actions.TryGetValue(actionId, out var action) || action.Type != "executeFunction")
            {
                problems.Add($"autoRunEvents {type}: actionId \"{actionId}\" matches no executeFunction action of a runtime.");
            }
            else
            {
                if (action.Page != expected.SendAlertPageUrl)
                    problems.Add($"The runtime of {actionId} has code.page '{action.Page}', expected {expected.SendAlertPageUrl}.");
                if (action.Script != expected.SendAlertScriptUrl)
                    problems.Add($"The runtime of {actionId} has code.script '{action.Script}', expected {expected.SendAlertScriptUrl} (classic Outlook on Windows).");
                if (action.MailboxVersion != "1.12")
                    problems.Add($"The runtime of {actionId} must require Mailbox 1.12.");
            }

            var sendMode = matching[0].TryGetProperty("options", out var options) ? Text(options, "sendMode") : null;
            if (sendMode != "promptUser")
                problems.Add($"autoRunEvents {type} must have options.sendMode \"promptUser\" (found '{sendMode}'); the user can always send anyway.");
        }
    }

    private static void CheckRibbonIcons(List<string> problems, string owner, JsonElement element, ManifestExpectations expected)
    {
        var icons = Array(element, "icons").Select(i => (Size: i.TryGetProperty("size", out var s) ? s.GetInt32() : 0, Url: Text(i, "url"))).ToList();
        foreach (var size in RibbonIconSizes.Where(s => icons.All(i => i.Size != s)))
            problems.Add($"The ribbon {owner} lacks its {size}px icon.");
        foreach (var (size, url) in icons)
            CheckIcon(problems, $"The ribbon {owner} icon", url, size, expected);
    }

    private static void CheckAppPackageIcon(List<string> problems, JsonElement root, string name, int size)
    {
        var file = root.TryGetProperty("icons", out var icons) ? Text(icons, name) : null;
        if (file is null)
        {
            problems.Add($"icons.{name} is missing.");
            return;
        }

        var path = Path.Combine(RepoPaths.ManifestDirectory, file);
        if (!File.Exists(path))
            problems.Add($"icons.{name} '{file}' does not exist in manifest/.");
        else if (PngSize(path) != (size, size))
            problems.Add($"icons.{name} '{file}' must be a {size}x{size} PNG.");
    }

    // ---------------------------------------------------------------- both

    /// <summary>The two manifests describe the same add-in: id, version, name, task pane, sign-in app.</summary>
    public static IReadOnlyList<string> CheckAgreement(XDocument xml, JsonDocument json)
    {
        var problems = new List<string>();
        var root = xml.Root!;
        var unified = json.RootElement;

        var xmlId = root.Element(OfficeApp + "Id")?.Value;
        if (!string.Equals(xmlId, Text(unified, "id"), StringComparison.OrdinalIgnoreCase))
            problems.Add($"The XML Id '{xmlId}' and the unified id '{Text(unified, "id")}' differ.");

        var xmlVersion = root.Element(OfficeApp + "Version")?.Value;
        if (xmlVersion != Text(unified, "version") + ".0")
            problems.Add($"The XML Version '{xmlVersion}' is not the unified version '{Text(unified, "version")}' plus '.0'.");

        var xmlName = (string?)root.Element(OfficeApp + "DisplayName")?.Attribute("DefaultValue");
        var unifiedName = unified.TryGetProperty("name", out var name) ? Text(name, "short") : null;
        if (xmlName != unifiedName)
            problems.Add($"The XML DisplayName '{xmlName}' and the unified name.short '{unifiedName}' differ.");

        var xmlPanes = root.Descendants(Bt + "Url").Where(u => (string?)u.Attribute("id") == "Taskpane.Url").Select(u => (string?)u.Attribute("DefaultValue"))
            .Append((string?)root.Element(OfficeApp + "FormSettings")?.Descendants(OfficeApp + "SourceLocation").FirstOrDefault()?.Attribute("DefaultValue"))
            .Distinct().ToList();
        var unifiedPanes = Array(unified, "extensions").SelectMany(e => Array(e, "runtimes"))
            .Where(r => Array(r, "actions").Any(a => Text(a, "type") == "openPage"))
            .Select(r => r.TryGetProperty("code", out var code) ? Text(code, "page") : null).Distinct().ToList();
        if (xmlPanes.Count != 1 || unifiedPanes.Count != 1 || xmlPanes[0] != unifiedPanes[0])
            problems.Add($"The task pane URLs differ: XML [{string.Join(", ", xmlPanes)}], unified [{string.Join(", ", unifiedPanes)}].");

        var xmlClient = root.Descendants(Mail11 + "WebApplicationInfo").Elements(Mail11 + "Id").FirstOrDefault()?.Value;
        var unifiedClient = unified.TryGetProperty("webApplicationInfo", out var webApp) ? Text(webApp, "id") : null;
        if (xmlClient != unifiedClient)
            problems.Add($"The client ids differ: XML '{xmlClient}', unified '{unifiedClient}'.");

        var xmlPermission = root.Element(OfficeApp + "Permissions")?.Value;
        var unifiedPermission = unified.TryGetProperty("authorization", out var auth) && auth.TryGetProperty("permissions", out var perms)
            ? Array(perms, "resourceSpecific").Select(p => Text(p, "name")).FirstOrDefault()
            : null;
        if ((xmlPermission, unifiedPermission) != ("ReadItem", "MailboxItem.Read.User"))
            problems.Add($"The permissions do not correspond: XML '{xmlPermission}', unified '{unifiedPermission}'.");
        return problems;
    }

    // ---------------------------------------------------------------- helpers

    private static void CheckOrder(List<string> problems, string parentLabel, XElement parent, XNamespace ns, string[] order)
    {
        var last = -1;
        foreach (var child in parent.Elements())
        {
            // VersionOverrides blocks carry their own namespaces but have a fixed place in their parent.
            var inPlace = child.Name.Namespace == ns || (child.Name.LocalName == "VersionOverrides" && (child.Name.Namespace == Mail10 || child.Name.Namespace == Mail11));
            var index = inPlace ? System.Array.IndexOf(order, child.Name.LocalName) : -1;
            if (index < 0)
            {
                problems.Add($"{parentLabel} contains <{child.Name.LocalName}>, which does not belong there.");
                continue;
            }

            if (index < last)
                problems.Add($"{parentLabel}: <{child.Name.LocalName}> is out of order (expected order: {string.Join(", ", order)}).");
            else if (index == last && child.Name.LocalName != "Rule")
                problems.Add($"{parentLabel}: <{child.Name.LocalName}> appears more than once.");
            last = Math.Max(last, index);
        }
    }

    private static void CheckUrl(List<string> problems, string where, string value, ManifestExpectations expected)
    {
        if (value.StartsWith("api://", StringComparison.Ordinal))
        {
            if (value != expected.ApiResource)
                problems.Add($"{where}: '{value}' is not the API resource {expected.ApiResource}.");
            return;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            problems.Add($"{where}: '{value}' is not an https URL.");
            return;
        }

        if (uri.GetLeftPart(UriPartial.Authority) != expected.Origin)
            problems.Add($"{where}: '{value}' is not on the configured origin {expected.Origin}.");
    }

    private static void CheckIcon(List<string> problems, string where, string? url, int? size, ManifestExpectations expected)
    {
        if (url is null || !url.StartsWith(expected.Origin + "/assets/", StringComparison.Ordinal))
        {
            problems.Add($"{where}: '{url}' is not an icon under {expected.Origin}/assets/.");
            return;
        }

        var file = Path.Combine(RepoPaths.Assets, url[(expected.Origin + "/assets/").Length..]);
        if (!File.Exists(file))
        {
            problems.Add($"{where}: '{url}' has no file at {Path.GetRelativePath(RepoPaths.Root, file)}.");
            return;
        }

        var (width, height) = PngSize(file);
        if (width != height || (size is { } expectedSize && width != expectedSize))
            problems.Add($"{where}: '{url}' is {width}x{height}, expected a square PNG{(size is null ? "" : $" of {size}px")}.");
    }

    /// <summary>Reads a PNG's dimensions from its IHDR chunk; (0, 0) when the file is not a PNG.</summary>
    public static (int Width, int Height) PngSize(string path) => PngSize(File.ReadAllBytes(path));

    public static (int Width, int Height) PngSize(ReadOnlySpan<byte> png)
    {
        ReadOnlySpan<byte> signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        if (png.Length < 24 || !png[..8].SequenceEqual(signature) || !png[12..16].SequenceEqual("IHDR"u8))
            return (0, 0);
        return (BinaryPrimitives.ReadInt32BigEndian(png[16..20]), BinaryPrimitives.ReadInt32BigEndian(png[20..24]));
    }

    private static string? XsiType(XElement? element) => (string?)element?.Attribute(Xsi + "type");

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IEnumerable<JsonElement> Array(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : Enumerable.Empty<JsonElement>();

    private static IEnumerable<(string Path, string Value)> Strings(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.String => [(path, element.GetString()!)],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value, $"{path}.{p.Name}")),
        JsonValueKind.Array => element.EnumerateArray().SelectMany((e, i) => Strings(e, $"{path}[{i}]")),
        _ => [],
    };

    [GeneratedRegex(@"^\d+\.\d+\.\d+\.\d+$")]
    private static partial Regex XmlVersionPattern();

    [GeneratedRegex(@"^\d+\.\d+\.\d+$")]
    private static partial Regex JsonVersionPattern();

    [GeneratedRegex(@"/teams/v(\d+\.\d+)/MicrosoftTeams\.schema\.json$")]
    private static partial Regex SchemaVersionPattern();
}

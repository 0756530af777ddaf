using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace BossTalkCalendar.Api.Tests.Manifest;

/// <summary>Our own checks on both checked-in manifests, and proof that they catch broken copies.</summary>
public sealed class ManifestCrossReferenceTests
{
    private static readonly XNamespace OfficeApp = "http://schemas.microsoft.com/office/appforoffice/1.1";
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";
    private static readonly XNamespace Bt = "http://schemas.microsoft.com/office/officeappbasictypes/1.0";
    private static readonly XNamespace Mail10 = "http://schemas.microsoft.com/office/mailappversionoverrides";
    private static readonly XNamespace Mail11 = "http://schemas.microsoft.com/office/mailappversionoverrides/1.1";

    [Fact]
    public void The_add_in_only_manifest_passes_our_cross_reference_checks()
    {
        var problems = ManifestChecker.CheckXml(LoadXml(), ManifestExpectations.Placeholders);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_unified_manifest_passes_our_cross_reference_checks()
    {
        using var json = LoadJson();

        var problems = ManifestChecker.CheckJson(json, ManifestExpectations.Placeholders);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Both_manifests_describe_the_same_add_in()
    {
        using var json = LoadJson();

        var problems = ManifestChecker.CheckAgreement(LoadXml(), json);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Manifests_that_disagree_on_the_version_are_caught()
    {
        var xml = LoadXml();
        xml.Root!.Element(OfficeApp + "Version")!.Value = "1.0.1.0";
        using var json = LoadJson();

        var problems = ManifestChecker.CheckAgreement(xml, json);

        Assert.Contains(problems, p => p.Contains("Version", StringComparison.Ordinal));
    }

    public static TheoryData<string, string> BrokenXmlCopies => new()
    {
        { "dangling resid", "does not resolve in bt:Urls" },
        { "missing icon", "has no file" },
        { "http url", "is not an https URL" },
        { "second origin", "is not on the configured origin" },
        { "wrong icon size", "expected a square PNG of 80px" },
        { "elements out of order", "out of order" },
        { "organizer surface missing", "lacks the AppointmentOrganizerCommandSurface" },
        { "broader permission", "needs exactly ReadItem" },
        { "version not n.n.n.n", "is not of the form n.n.n.n" },
        { "id not a guid", "is not a GUID" },
        { "sign-in settings missing", "lacks <WebApplicationInfo>" },
        { "duplicate resource id", "is defined twice" },
        { "send handler renamed", "but the handler registers \"onMessageSendHandler\"" },
        { "send runtime missing", "lacks the <Runtimes> element" },
        { "send mode block", "must have SendMode=\"PromptUser\"" },
        { "send mode missing", "must have SendMode=\"PromptUser\"" },
        { "script override missing", "lacks <Override type=\"javascript\">" },
        { "launch event on another runtime", "must use the resid of the send-time <Runtime>" },
        { "compose surface missing", "lacks the MessageComposeCommandSurface extension point" },
        { "handler button renamed", "lacks the button \"BossTalkComposeOpenPaneButton\"" },
    };

    [Theory]
    [MemberData(nameof(BrokenXmlCopies))]
    public void A_broken_copy_of_the_add_in_only_manifest_fails_our_checks(string breakage, string expectedProblem)
    {
        var xml = LoadXml();
        BreakXml(xml.Root!, breakage);

        var problems = ManifestChecker.CheckXml(xml, ManifestExpectations.Placeholders);

        Assert.True(
            problems.Any(p => p.Contains(expectedProblem, StringComparison.Ordinal)),
            $"Expected a problem containing '{expectedProblem}', got:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
    }

    public static TheoryData<string, string> BrokenJsonCopies => new()
    {
        { "dangling action id", "matches no runtime action" },
        { "http task pane", "is not an https URL" },
        { "organizer context missing", "No ribbon covers the meetingDetailsOrganizer context" },
        { "broader permission", "must be exactly MailboxItem.Read.User" },
        { "wrong icon size", "expected a square PNG of 80px" },
        { "missing app package icon", "does not exist in manifest/" },
        { "client id mismatch", "webApplicationInfo.resource" },
        { "second valid domain", "validDomains must be exactly" },
        { "send handler dangling action", "matches no executeFunction action" },
        { "send runtime without script", "code.script" },
        { "send mode soft block", "must have options.sendMode \"promptUser\"" },
        { "send events on an old mailbox", "must ask for Mailbox 1.12" },
        { "send events missing", "has no autoRunEvents" },
        { "compose pane button renamed", "the pane button \"BossTalkComposeOpenPaneButton\"" },
    };

    [Theory]
    [MemberData(nameof(BrokenJsonCopies))]
    public void A_broken_copy_of_the_unified_manifest_fails_our_checks(string breakage, string expectedProblem)
    {
        var manifest = JsonNode.Parse(File.ReadAllText(RepoPaths.UnifiedManifest))!;
        BreakJson(manifest, breakage);
        using var json = JsonDocument.Parse(manifest.ToJsonString());

        var problems = ManifestChecker.CheckJson(json, ManifestExpectations.Placeholders);

        Assert.True(
            problems.Any(p => p.Contains(expectedProblem, StringComparison.Ordinal)),
            $"Expected a problem containing '{expectedProblem}', got:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
    }

    [Fact]
    public void Every_icon_the_add_in_uses_is_a_png_of_its_named_size()
    {
        foreach (var size in new[] { 16, 32, 64, 80, 128 })
            Assert.Equal((size, size), ManifestChecker.PngSize(Path.Combine(RepoPaths.Assets, $"icon-{size}.png")));
        Assert.Equal((192, 192), ManifestChecker.PngSize(Path.Combine(RepoPaths.ManifestDirectory, "color.png")));
        Assert.Equal((32, 32), ManifestChecker.PngSize(Path.Combine(RepoPaths.ManifestDirectory, "outline.png")));
    }

    private static void BreakXml(XElement root, string breakage)
    {
        var v10 = root.Element(Mail10 + "VersionOverrides")!;
        var v11 = v10.Element(Mail11 + "VersionOverrides")!;
        var image80 = v10.Descendants(Bt + "Image").First(i => (string?)i.Attribute("id") == "Icon.80x80");
        switch (breakage)
        {
            case "dangling resid":
                v10.Descendants(Mail10 + "SourceLocation").First().SetAttributeValue("resid", "Taskpane.Missing");
                break;
            case "missing icon":
                image80.SetAttributeValue("DefaultValue", "https://bosstalk.example.com/assets/icon-81.png");
                break;
            case "http url":
                v11.Descendants(Bt + "Url").First().SetAttributeValue("DefaultValue", "http://bosstalk.example.com/taskpane.html");
                break;
            case "second origin":
                root.Element(OfficeApp + "SupportUrl")!.SetAttributeValue("DefaultValue", "https://support.example.net/");
                break;
            case "wrong icon size":
                image80.SetAttributeValue("DefaultValue", "https://bosstalk.example.com/assets/icon-64.png");
                break;
            case "elements out of order":
                var permissions = root.Element(OfficeApp + "Permissions")!;
                permissions.Remove();
                root.Element(OfficeApp + "FormSettings")!.AddBeforeSelf(permissions);
                break;
            case "organizer surface missing":
                v11.Descendants(Mail11 + "ExtensionPoint").Single(e => (string?)e.Attribute(Xsi + "type") == "AppointmentOrganizerCommandSurface").Remove();
                break;
            case "broader permission":
                root.Element(OfficeApp + "Permissions")!.Value = "ReadWriteMailbox";
                break;
            case "version not n.n.n.n":
                root.Element(OfficeApp + "Version")!.Value = "1.0";
                break;
            case "id not a guid":
                root.Element(OfficeApp + "Id")!.Value = "bosstalk";
                break;
            case "sign-in settings missing":
                v11.Element(Mail11 + "WebApplicationInfo")!.Remove();
                break;
            case "duplicate resource id":
                image80.AddAfterSelf(new XElement(image80));
                break;
            case "send handler renamed":
                LaunchEvent(v11, "OnMessageSend").SetAttributeValue("FunctionName", "onSend");
                break;
            case "send runtime missing":
                v11.Descendants(Mail11 + "Runtimes").Single().Remove();
                break;
            case "send mode block":
                LaunchEvent(v11, "OnAppointmentSend").SetAttributeValue("SendMode", "Block");
                break;
            case "send mode missing":
                LaunchEvent(v11, "OnMessageSend").SetAttributeValue("SendMode", null);
                break;
            case "script override missing":
                v11.Descendants(Mail11 + "Override").Single().Remove();
                break;
            case "launch event on another runtime":
                LaunchEvent(v11, "OnMessageSend").Parent!.Parent!.Element(Mail11 + "SourceLocation")!.SetAttributeValue("resid", "Taskpane.Url");
                break;
            case "compose surface missing":
                Surface(v11, "MessageComposeCommandSurface").Remove();
                break;
            case "handler button renamed":
                Surface(v11, "MessageComposeCommandSurface").Descendants(Mail11 + "Control").Single().SetAttributeValue("id", "BossTalkWriteButton");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(breakage), breakage, "Unknown breakage.");
        }
    }

    private static XElement LaunchEvent(XElement v11, string type) =>
        v11.Descendants(Mail11 + "LaunchEvent").Single(e => (string?)e.Attribute("Type") == type);

    private static XElement Surface(XElement v11, string type) =>
        v11.Descendants(Mail11 + "ExtensionPoint").Single(e => (string?)e.Attribute(Xsi + "type") == type);

    private static void BreakJson(JsonNode manifest, string breakage)
    {
        var extension = manifest["extensions"]![0]!;
        var control = extension["ribbons"]![0]!["tabs"]![0]!["groups"]![0]!["controls"]![0]!;
        switch (breakage)
        {
            case "dangling action id":
                control["actionId"] = "OpenSomethingElse";
                break;
            case "http task pane":
                extension["runtimes"]![0]!["code"]!["page"] = "http://bosstalk.example.com/taskpane.html";
                break;
            case "organizer context missing":
                extension["ribbons"]!.AsArray().RemoveAt(1);
                break;
            case "send handler dangling action":
                extension["autoRunEvents"]![0]!["events"]![0]!["actionId"] = "onSend";
                break;
            case "send runtime without script":
                extension["runtimes"]![1]!["code"]!.AsObject().Remove("script");
                break;
            case "send mode soft block":
                extension["autoRunEvents"]![0]!["events"]![1]!["options"]!["sendMode"] = "softBlock";
                break;
            case "send events on an old mailbox":
                extension["autoRunEvents"]![0]!["requirements"]!["capabilities"]![0]!["minVersion"] = "1.10";
                break;
            case "send events missing":
                extension.AsObject().Remove("autoRunEvents");
                break;
            case "compose pane button renamed":
                extension["ribbons"]![2]!["tabs"]![0]!["groups"]![0]!["controls"]![0]!["id"] = "BossTalkWriteButton";
                break;
            case "broader permission":
                manifest["authorization"]!["permissions"]!["resourceSpecific"]![0]!["name"] = "Mailbox.ReadWrite.User";
                break;
            case "wrong icon size":
                control["icons"]![2]!["url"] = "https://bosstalk.example.com/assets/icon-16.png";
                break;
            case "missing app package icon":
                manifest["icons"]!["color"] = "colour.png";
                break;
            case "client id mismatch":
                manifest["webApplicationInfo"]!["resource"] = "api://bosstalk.example.com/11111111-1111-1111-1111-111111111111";
                break;
            case "second valid domain":
                manifest["validDomains"]!.AsArray().Add("login.example.net");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(breakage), breakage, "Unknown breakage.");
        }
    }

    [Fact]
    public void The_send_handler_registers_the_names_and_opens_the_buttons_the_manifests_declare()
    {
        var handler = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "BossTalkCalendar.Api", "wwwroot", "launchevent", "launchevent.js"));

        foreach (var name in ManifestChecker.SendHandlers.Values)
            Assert.Contains($"Office.actions.associate(\"{name}\", onSend)", handler, StringComparison.Ordinal);
        foreach (var commandId in ManifestChecker.HandlerCommandIds.Values)
            Assert.Contains($"\"{commandId}\"", handler, StringComparison.Ordinal);

        // A classic script: the JavaScript-only runtime of classic Outlook on Windows loads no modules.
        Assert.DoesNotMatch(@"(?m)^\s*(import|export)\s", handler);
    }

    private static XDocument LoadXml() => XDocument.Load(RepoPaths.XmlManifest);

    private static JsonDocument LoadJson() => JsonDocument.Parse(File.ReadAllText(RepoPaths.UnifiedManifest));
}

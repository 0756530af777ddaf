using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using BossTalkCalendar.Api.Hosting;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.AddIn;

/// <summary>
/// Turns the manifests embedded from manifest/ into the operator's copies. Rendered once: the
/// settings are fixed for the life of the process.
/// </summary>
internal sealed partial class ManifestRenderer
{
    private const string ResourcePrefix = "BossTalkCalendar.AddIn.";
    private static readonly XNamespace MailOverrides11 = "http://schemas.microsoft.com/office/mailappversionoverrides/1.1";

    // A fixed timestamp keeps the app package byte-for-byte identical between runs.
    private static readonly DateTimeOffset PackageTimestamp = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Lazy<byte[]> xml;
    private readonly Lazy<byte[]> json;
    private readonly Lazy<byte[]> appPackage;

    public ManifestRenderer(IOptions<AddInOptions> options, IOptions<ServiceOptions> service)
    {
        var settings = options.Value;
        var origin = service.Value.Origin;

        var clientId = Guid.ParseExact(settings.ClientId, "D").ToString("D");
        xml = new Lazy<byte[]>(() => RenderXml(Substitute(ReadText("manifest.xml"), origin, clientId), settings.ApiScope));
        json = new Lazy<byte[]>(() => Encoding.UTF8.GetBytes(Substitute(ReadText("manifest.json"), origin, clientId)));
        appPackage = new Lazy<byte[]>(() => BuildAppPackage(json.Value));
    }

    public byte[] Xml => xml.Value;

    public byte[] Json => json.Value;

    public byte[] AppPackage => appPackage.Value;

    // One pass, so an operator origin that happens to contain a placeholder is never substituted twice.
    internal static string Substitute(string template, PublicOrigin origin, string clientId) =>
        PlaceholderPattern().Replace(template, match => match.Value switch
        {
            ManifestPlaceholders.Origin => origin.Origin,
            ManifestPlaceholders.Host => origin.Authority,
            _ => clientId,
        });

    private static byte[] RenderXml(string text, string apiScope)
    {
        var document = XDocument.Parse(text);

        // The comments describe the placeholders, which no longer apply to the served copy.
        document.DescendantNodes().OfType<XComment>().ToList().ForEach(comment => comment.Remove());
        foreach (var scope in document.Descendants(MailOverrides11 + "Scope").Where(s => s.Value == ManifestPlaceholders.ApiScope))
            scope.Value = apiScope;

        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
            document.Save(writer);
        return stream.ToArray();
    }

    private static byte[] BuildAppPackage(byte[] manifestJson)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            AddEntry(zip, "manifest.json", manifestJson);
            AddEntry(zip, "color.png", ReadBytes("color.png"));
            AddEntry(zip, "outline.png", ReadBytes("outline.png"));
        }

        return stream.ToArray();
    }

    private static void AddEntry(ZipArchive zip, string name, byte[] content)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = PackageTimestamp;
        using var target = entry.Open();
        target.Write(content);
    }

    private static string ReadText(string name) => Encoding.UTF8.GetString(ReadBytes(name));

    private static byte[] ReadBytes(string name)
    {
        using var resource = typeof(ManifestRenderer).Assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"The add-in file {name} is not embedded in the API assembly; see the EmbeddedResource items in BossTalkCalendar.Api.csproj.");
        using var copy = new MemoryStream();
        resource.CopyTo(copy);
        return copy.ToArray();
    }

    [GeneratedRegex("https://bosstalk\\.example\\.com|bosstalk\\.example\\.com|00000000-0000-0000-0000-000000000000")]
    private static partial Regex PlaceholderPattern();
}

using System.Text.Json.Nodes;

namespace BossTalkCalendar.Api.Tests.Manifest;

/// <summary>
/// The unified manifest against Microsoft's JSON schema, through office-addin-manifest (offline: the
/// schema ships inside @microsoft/app-manifest). Its XML validation needs an online service, so the
/// XML manifest is covered by <see cref="ManifestChecker"/> instead.
/// </summary>
public sealed class UnifiedManifestSchemaTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("btc-manifest-").FullName;

    [Fact]
    public async Task The_unified_manifest_passes_the_official_schema()
    {
        var result = await OfficeAddinManifestCli.ValidateAsync(RepoPaths.UnifiedManifest);

        Assert.True(result.ExitCode == 0, $"office-addin-manifest rejected manifest/manifest.json:\n{result.Output}");
    }

    [Fact]
    public async Task A_unified_manifest_with_the_wrong_manifest_version_fails_the_schema()
    {
        var broken = WriteBrokenCopy(manifest => manifest["manifestVersion"] = "1.99");

        var result = await OfficeAddinManifestCli.ValidateAsync(broken);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("manifestVersion", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_unified_manifest_with_an_unknown_ribbon_context_fails_the_schema()
    {
        var broken = WriteBrokenCopy(manifest => manifest["extensions"]![0]!["ribbons"]![1]!["contexts"]![0] = "meetingDetailsBoss");

        var result = await OfficeAddinManifestCli.ValidateAsync(broken);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("meetingDetailsBoss", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_unified_manifest_with_an_unknown_send_mode_fails_the_schema()
    {
        var broken = WriteBrokenCopy(manifest => manifest["extensions"]![0]!["autoRunEvents"]![0]!["events"]![0]!["options"]!["sendMode"] = "gentle");

        var result = await OfficeAddinManifestCli.ValidateAsync(broken);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("sendMode", result.Output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    private string WriteBrokenCopy(Action<JsonNode> breakIt)
    {
        var manifest = JsonNode.Parse(File.ReadAllText(RepoPaths.UnifiedManifest))!;
        breakIt(manifest);
        var path = Path.Combine(scratch, "manifest.json");
        File.WriteAllText(path, manifest.ToJsonString());
        return path;
    }
}

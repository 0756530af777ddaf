using System.Text.Json;
using System.Text.RegularExpressions;
using BossTalkCalendar.Core.Texts;

namespace BossTalkCalendar.Core.Tests.Texts;

/// <summary>
/// The task pane's catalogs (src/BossTalkCalendar.Api/wwwroot/i18n/*.json), read from the repository: one per
/// calendar language, every key of English present and non-empty in each with the same placeholders, and every key
/// the page and its scripts ask for defined in English.
/// </summary>
public partial class PaneCatalogTests
{
    private static readonly string WebRoot = Path.Combine(RepositoryRoot.Path, "src", "BossTalkCalendar.Api", "wwwroot");

    public static TheoryData<string> Languages() => [.. Catalogs.SupportedLanguages];

    [Fact]
    public void ThePaneHasACatalogForEveryLanguage_AndNoOther()
    {
        var files = Directory.GetFiles(Path.Combine(WebRoot, "i18n"), "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .Order(StringComparer.Ordinal);
        Assert.Equal(Catalogs.SupportedLanguages.Order(StringComparer.Ordinal), files);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void EveryPaneKey_IsPresentAndNonEmpty_WithEnglishsPlaceholders(string language)
    {
        CatalogTests.AssertSameKeysAndPlaceholders(Read("en"), Read(language), "pane " + language);
    }

    [Fact]
    public void EveryKeyThePageAndItsScriptsUse_IsInEnglish()
    {
        var english = Read("en");
        var html = File.ReadAllText(Path.Combine(WebRoot, "taskpane.html"));
        var used = new HashSet<string>(StringComparer.Ordinal);
        used.UnionWith(DataI18n().Matches(html).Select(m => m.Groups[1].Value));
        used.UnionWith(DataI18nAttr().Matches(html).SelectMany(m => m.Groups[1].Value.Split(';')).Select(pair => pair.Split(':')[1].Trim()));
        foreach (var script in Directory.GetFiles(Path.Combine(WebRoot, "js"), "*.js").Append(Path.Combine(WebRoot, "taskpane.js")))
        {
            used.UnionWith(LiteralKey().Matches(File.ReadAllText(script)).Select(m => m.Groups[1].Value));
        }

        Assert.True(used.Count > 100, $"Only {used.Count} keys found: the scan no longer sees how the pane reads its texts.");
        var missing = used.Where(key => !english.ContainsKey(key)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "Used but not in en.json: " + string.Join(", ", missing));
    }

    [Fact]
    public void ThePanesReasonCodes_CoverEveryCodeTheApiSends()
    {
        // NudgeDto's table of reason codes and English sentences: the pane has its own words for each.
        var dto = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src", "BossTalkCalendar.Api", "Nudges", "NudgeDto.cs"));
        var codes = ReasonCode().Matches(dto).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(codes);
        var english = Read("en");
        Assert.All(codes, code => Assert.True(english.ContainsKey("nudge.reason." + code), $"No pane text for the reason code {code}."));
    }

    private static Dictionary<string, string> Read(string language)
    {
        var path = Path.Combine(WebRoot, "i18n", language + ".json");
        return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path))
            ?? throw new InvalidDataException(path + " is empty.");
    }

    [GeneratedRegex("data-i18n=\"([^\"]+)\"")]
    private static partial Regex DataI18n();

    [GeneratedRegex("data-i18n-attr=\"([^\"]+)\"")]
    private static partial Regex DataI18nAttr();

    // t("key") and t("key", { … }) with a literal key; keys built at run time ("signIn." + code) are covered by the
    // completeness test across languages and the reason-code test.
    [GeneratedRegex(@"\bt\(""([A-Za-z0-9.]+)""\s*[,)]")]
    private static partial Regex LiteralKey();

    [GeneratedRegex(@"\[""(\w+)""\] = ""[^""]+"",")]
    private static partial Regex ReasonCode();
}

using System.Text.RegularExpressions;
using BossTalkCalendar.Core.Scheduling;
using BossTalkCalendar.Core.Texts;

namespace BossTalkCalendar.Core.Tests.Texts;

/// <summary>
/// Every language carries every key, nothing empty, the same placeholders as English; the registry falls back
/// de-AT → de → en; and the texts built from each catalog keep their shape.
/// </summary>
public partial class CatalogTests
{
    private static readonly Uri Fine = new("https://bosstalk.example/taskpane.html?eventId=a1&outcome=fine");
    private static readonly Uri Rough = new("https://bosstalk.example/taskpane.html?eventId=a1&outcome=rough");

    public static TheoryData<string> Languages() => [.. Catalogs.SupportedLanguages];

    [Fact]
    public void TheRegistry_HasTheFiveLanguages_EnglishFirst()
    {
        Assert.Equal(["en", "de", "fr", "es", "ja"], Catalogs.SupportedLanguages);
    }

    [Fact]
    public void EveryCatalogFileInTheRepository_IsRegistered_AndEveryLanguageHasAFile()
    {
        var files = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "src", "BossTalkCalendar.Core", "Texts", "Catalogs"), "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .Order(StringComparer.Ordinal);
        Assert.Equal(Catalogs.SupportedLanguages.Order(StringComparer.Ordinal), files);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void EveryKey_IsPresentAndNonEmpty_WithEnglishsPlaceholders(string language)
    {
        var english = Catalogs.English;
        var catalog = Catalogs.For(language);
        Assert.Equal(language, catalog.Language);
        AssertSameKeysAndPlaceholders(
            english.Keys.ToDictionary(k => k, k => english[k], StringComparer.Ordinal),
            catalog.Keys.ToDictionary(k => k, k => catalog[k], StringComparer.Ordinal),
            language);
    }

    [Theory]
    [InlineData("de-DE", "de", "de-DE")]
    [InlineData("de-AT", "de", "de-AT")]
    [InlineData("de", "de", "de-DE")]
    [InlineData("fr-CA", "fr", "fr-CA")]
    [InlineData("es-MX", "es", "es-MX")]
    [InlineData("ja-JP", "ja", "ja-JP")]
    [InlineData("JA-jp", "ja", "ja-JP")]
    [InlineData("en-GB", "en", "en-GB")]
    [InlineData("en_GB", "en", "en-GB")]
    [InlineData("pt-BR", "en", "en-US")]
    [InlineData("xx-YY", "en", "en-US")]
    [InlineData("de-XX", "de", "de-DE")]
    [InlineData("", "en", "en-US")]
    [InlineData(null, "en", "en-US")]
    public void For_FallsBackFromTheLocaleToItsLanguageToEnglish(string? locale, string language, string culture)
    {
        var catalog = Catalogs.For(locale);
        Assert.Equal(language, catalog.Language);
        Assert.Equal(culture, catalog.Culture.Name);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void EveryLanguage_BuildsEveryText_EscapedAndWithItsLinks(string language)
    {
        var catalog = Catalogs.For(language);
        var hostile = new Uri("https://bosstalk.example/p?x=\"><script>");
        var reflection = ReflectionText.Create(catalog, Fine, hostile);
        Assert.Equal(4, CountOf(reflection.BodyHtml, "<li>"));
        Assert.Equal(2, CountOf(reflection.BodyHtml, "<a href="));
        Assert.DoesNotContain("<script>", reflection.BodyHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("\"><", reflection.BodyHtml.Replace("\"><script", "", StringComparison.Ordinal).Replace("\">", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(reflection.Subject.Length <= 40, reflection.Subject);

        var casual = FollowUpText.PrivateHold(catalog, FollowUpTone.Casual, Fine);
        var formal = FollowUpText.PrivateHold(catalog, FollowUpTone.Formal, Fine);
        Assert.NotEqual(casual.Subject, formal.Subject);
        Assert.Equal(3, CountOf(casual.BodyHtml, "<li>"));
        Assert.Equal(3, CountOf(formal.BodyHtml, "<li>"));

        var prep = PrepText.Create(catalog, Fine, Rough, new DateTimeOffset(2026, 12, 8, 9, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc);
        Assert.Equal(4, CountOf(prep.BodyHtml, "<li>"));
        Assert.Equal(2, CountOf(prep.BodyHtml, "<a href="));

        foreach (var tone in new[] { FollowUpTone.Casual, FollowUpTone.Formal })
        {
            var invitation = FollowUpText.Invitation(catalog, tone);
            Assert.True(invitation.Subject.Length <= 30, invitation.Subject);
            Assert.DoesNotContain("href", invitation.BodyHtml, StringComparison.Ordinal);
            Assert.DoesNotContain("BossTalk", invitation.Subject + invitation.BodyHtml, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void PrivateBlocks_SayTheyArePrivate_AndTheInvitationDoesNot(string language)
    {
        var catalog = Catalogs.For(language);
        // The privacy mark of each language, as its subjects carry it.
        var mark = language switch
        {
            "en" => "(private)",
            "de" => "(privat)",
            "fr" => "(privé)",
            "es" => "(privado)",
            "ja" => "（非公開）",
            _ => throw new InvalidOperationException("A new language needs its privacy mark here."),
        };
        Assert.EndsWith(mark, ReflectionText.SubjectIn(catalog), StringComparison.Ordinal);
        Assert.EndsWith(mark, PrepText.SubjectIn(catalog), StringComparison.Ordinal);
        Assert.EndsWith(mark, FollowUpText.PrivateHold(catalog, FollowUpTone.Casual, Fine).Subject, StringComparison.Ordinal);
        Assert.EndsWith(mark, FollowUpText.PrivateHold(catalog, FollowUpTone.Formal, Fine).Subject, StringComparison.Ordinal);
        Assert.DoesNotContain(mark, FollowUpText.Invitation(catalog, FollowUpTone.Casual).Subject, StringComparison.Ordinal);
        Assert.DoesNotContain(mark, FollowUpText.Invitation(catalog, FollowUpTone.Formal).Subject, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("de-DE", "formal", "Ihnen")]
    [InlineData("de-DE", "casual", "dir")]
    [InlineData("fr-FR", "formal", "vous")]
    [InlineData("fr-FR", "casual", "te va")]
    [InlineData("es-ES", "formal", "le viene")]
    [InlineData("es-ES", "casual", "te viene")]
    [InlineData("ja-JP", "formal", "いただけますでしょうか")]
    public void TheInvitation_UsesTheFormOfAddressOfItsTone(string locale, string tone, string expected)
    {
        var text = FollowUpText.Invitation(Catalogs.For(locale), tone == "formal" ? FollowUpTone.Formal : FollowUpTone.Casual);
        Assert.Contains(expected, text.BodyHtml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en-US", "Tuesday, December 8, 2026")]
    [InlineData("en-GB", "8 December 2026 10:00")]
    [InlineData("de-DE", "Dienstag, 8. Dezember 2026 10:00")]
    [InlineData("fr-FR", "mardi 8 décembre 2026 10:00")]
    [InlineData("es-ES", "martes, 8 de diciembre de 2026 10:00")]
    [InlineData("ja-JP", "2026年12月8日火曜日 10:00")]
    public void ThePrepBlock_WritesTheNextOneOnOne_InTheLocalesWay_InThePersonsZone(string locale, string expected)
    {
        // 09:00 UTC is 10:00 in Berlin (and in every culture's own notation).
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var text = PrepText.Create(Catalogs.For(locale), null, Fine, new DateTimeOffset(2026, 12, 8, 9, 0, 0, TimeSpan.Zero), berlin);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(expected), text.BodyHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void TheEnglishOverloads_StayEnglish()
    {
        Assert.Equal(ReflectionText.Subject, ReflectionText.Create(Fine, Rough).Subject);
        Assert.Equal(PrepText.Subject, PrepText.Create(null, Fine).Subject);
        Assert.Equal(FollowUpText.InvitationSubject, FollowUpText.Invitation().Subject);
        Assert.Equal(ReflectionText.Subject, ReflectionText.SubjectIn(Catalogs.For("en-GB")));
    }

    [Fact]
    public void Format_FillsPlaceholders_AndAMissingKeyIsNamed()
    {
        Assert.Equal("Dein nächstes Einzelgespräch: morgen.", Catalogs.For("de").Format("prep.when", ("when", "morgen")));
        var missing = Assert.Throws<KeyNotFoundException>(() => Catalogs.English["no.such.key"]);
        Assert.Contains("no.such.key", missing.Message, StringComparison.Ordinal);
    }

    internal static void AssertSameKeysAndPlaceholders(IReadOnlyDictionary<string, string> english, IReadOnlyDictionary<string, string> other, string name)
    {
        var missing = english.Keys.Except(other.Keys, StringComparer.Ordinal).ToList();
        var extra = other.Keys.Except(english.Keys, StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"{name} lacks: {string.Join(", ", missing)}");
        Assert.True(extra.Count == 0, $"{name} has keys English does not: {string.Join(", ", extra)}");
        foreach (var (key, text) in other)
        {
            Assert.False(string.IsNullOrWhiteSpace(text), $"{name}: '{key}' is empty.");
            Assert.True(
                Placeholders(english[key]).SetEquals(Placeholders(text)),
                $"{name}: '{key}' has placeholders {{{string.Join(",", Placeholders(text))}}}, English {{{string.Join(",", Placeholders(english[key]))}}}.");
        }
    }

    private static HashSet<string> Placeholders(string text) =>
        PlaceholderPattern().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var index = text.IndexOf(part, StringComparison.Ordinal); index >= 0; index = text.IndexOf(part, index + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)\}")]
    private static partial Regex PlaceholderPattern();
}

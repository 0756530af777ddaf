using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace BossTalkCalendar.Core.Texts;

/// <summary>
/// The languages BossTalk writes calendar texts in, and the one place that picks a catalog for a locale. To add a
/// language: write Texts/Catalogs/{code}.json with every key of en.json (the tests check it) and add its code and
/// default culture to <see cref="Languages"/>.
/// </summary>
public static class Catalogs
{
    /// <summary>Language code and the culture its dates use when the locale names no region we know. One line per language.</summary>
    private static readonly (string Code, string Culture)[] Languages =
    [
        ("en", "en-US"),
        ("de", "de-DE"),
        ("fr", "fr-FR"),
        ("es", "es-ES"),
        ("ja", "ja-JP"),
    ];

    /// <summary>The fallback language.</summary>
    public const string DefaultLanguage = "en";

    private static readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> Loaded = new(StringComparer.OrdinalIgnoreCase);

    private static readonly ConcurrentDictionary<string, TextCatalog> ByLocale = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The supported language codes, English first.</summary>
    public static IReadOnlyList<string> SupportedLanguages { get; } = [.. Languages.Select(l => l.Code)];

    /// <summary>English, the fallback.</summary>
    public static TextCatalog English => For(DefaultLanguage);

    /// <summary>
    /// The catalog for a locale as mailboxSettings gives it ("de-AT", "ja-JP", "fr"): its language when we have it
    /// (de-AT → de), else English. Dates follow the full locale when .NET knows it (de-AT writes "Jänner").
    /// Null, empty or unknown locales get English.
    /// </summary>
    public static TextCatalog For(string? locale)
    {
        var key = string.IsNullOrWhiteSpace(locale) ? DefaultLanguage : locale.Trim().Replace('_', '-');
        return ByLocale.GetOrAdd(key, Resolve);
    }

    private static TextCatalog Resolve(string locale)
    {
        var dash = locale.IndexOf('-', StringComparison.Ordinal);
        var language = (dash > 0 ? locale[..dash] : locale).ToLowerInvariant();
        if (!Array.Exists(Languages, l => l.Code == language))
        {
            language = DefaultLanguage;
        }

        var defaultCulture = Array.Find(Languages, l => l.Code == language).Culture;

        var culture = CultureInfo.GetCultureInfo(defaultCulture);
        if (dash > 0 && TryCulture(locale) is { } specific && specific.TwoLetterISOLanguageName.Equals(language, StringComparison.OrdinalIgnoreCase))
        {
            culture = specific;
        }

        return new TextCatalog(language, Loaded.GetOrAdd(language, Load), culture);
    }

    private static CultureInfo? TryCulture(string locale)
    {
        try
        {
            return CultureInfo.GetCultureInfo(locale, predefinedOnly: true);
        }
        catch (CultureNotFoundException)
        {
            return null;
        }
    }

    private static IReadOnlyDictionary<string, string> Load(string language)
    {
        var name = $"BossTalkCalendar.Core.Texts.Catalogs.{language}.json";
        using var stream = typeof(Catalogs).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The text catalog {name} is not embedded in the core assembly.");
        return JsonSerializer.Deserialize<Dictionary<string, string>>(stream)
            ?? throw new InvalidOperationException($"The text catalog {name} is empty.");
    }
}

using System.Globalization;
using System.Text;

namespace BossTalkCalendar.Core.Texts;

/// <summary>
/// One language's calendar texts: a flat set of keys (<c>reflection.subject</c>, <c>prep.when</c>, …) read from an
/// embedded JSON file (Texts/Catalogs/{language}.json). Placeholders are written <c>{name}</c>.
/// </summary>
public sealed class TextCatalog
{
    private readonly IReadOnlyDictionary<string, string> _texts;

    internal TextCatalog(string language, IReadOnlyDictionary<string, string> texts, CultureInfo culture)
    {
        Language = language;
        _texts = texts;
        Culture = culture;
    }

    /// <summary>The catalog's language, a two-letter code ("en", "de", …).</summary>
    public string Language { get; }

    /// <summary>
    /// How dates and times are written: the mailbox's own locale when it is one we know (de-AT, en-GB), else the
    /// language's default culture.
    /// </summary>
    public CultureInfo Culture { get; }

    /// <summary>Every key of this catalog.</summary>
    public IEnumerable<string> Keys => _texts.Keys;

    /// <summary>The text of a key.</summary>
    /// <exception cref="KeyNotFoundException">The key is not in the catalog (a test proves every language has every key).</exception>
    public string this[string key] =>
        _texts.TryGetValue(key, out var text) ? text : throw new KeyNotFoundException($"Text '{key}' is missing from the '{Language}' catalog.");

    /// <summary>The text of a key with its <c>{name}</c> placeholders filled in (plain text; HTML encoding happens later).</summary>
    public string Format(string key, params (string Name, string Value)[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var builder = new StringBuilder(this[key]);
        foreach (var (name, value) in values)
        {
            builder.Replace("{" + name + "}", value);
        }

        return builder.ToString();
    }

    /// <summary>
    /// A moment as people of this locale write it (en-US "Wednesday, December 9, 2026 10:00 AM", de-DE "Mittwoch, 9. Dezember
    /// 2026 10:00"), in the given zone.
    /// </summary>
    public string FormatDateTime(DateTimeOffset instant, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var format = Culture.DateTimeFormat;
        return local.ToString(format.LongDatePattern + " " + format.ShortTimePattern, Culture);
    }
}

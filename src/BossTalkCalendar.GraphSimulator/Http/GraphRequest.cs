using System.Text.Json;
using System.Text.Json.Nodes;

namespace BossTalkCalendar.GraphSimulator;

/// <summary>One Graph request, from HTTP or from a $batch item, in the form the handlers read.</summary>
internal sealed class GraphRequest
{
    public required string Method { get; init; }

    /// <summary>Decoded path segments after the version segment (<c>v1.0</c>); null when the version is not v1.0.</summary>
    public required IReadOnlyList<string>? Segments { get; init; }

    public required QueryParameters Query { get; init; }

    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>Scheme and authority the client used, e.g. <c>http://127.0.0.1:5180</c>; nextLinks are built on it.</summary>
    public required string Origin { get; init; }

    public required string RequestId { get; init; }

    public string ClientRequestId => Headers.GetValueOrDefault("client-request-id") ?? RequestId;

    public string VersionRoot => Origin + "/v1.0";

    // Graph reads property names case-insensitively; the SDK sends getSchedule's parameters as "Schedules", "StartTime"...
    private static readonly JsonNodeOptions CaseInsensitive = new() { PropertyNameCaseInsensitive = true };

    public static IReadOnlyList<string>? SplitPath(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToList();
        if (segments.Count == 0 || !segments[0].Equals("v1.0", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        segments.RemoveAt(0);
        return segments;
    }

    /// <summary>The request body as a JSON object, or null when it is missing or not a JSON object.</summary>
    public JsonObject? ReadJsonObject()
    {
        if (Body.IsEmpty)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(Body.Span, CaseInsensitive) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Values of the Prefer header(s), e.g. <c>outlook.timezone</c> → <c>Pacific Standard Time</c>.</summary>
    public string? Preference(string name)
    {
        if (!Headers.TryGetValue("Prefer", out var prefer))
        {
            return null;
        }

        foreach (var part in SplitPreferences(prefer))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = (eq < 0 ? part : part[..eq]).Trim();
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return eq < 0 ? "" : part[(eq + 1)..].Trim().Trim('"');
            }
        }

        return null;
    }

    private static IEnumerable<string> SplitPreferences(string header)
    {
        // Commas separate preferences, except inside quotes (zone names never contain commas, but be safe).
        var start = 0;
        var quoted = false;
        for (var i = 0; i < header.Length; i++)
        {
            if (header[i] == '"')
            {
                quoted = !quoted;
            }
            else if (header[i] == ',' && !quoted)
            {
                yield return header[start..i];
                start = i + 1;
            }
        }

        yield return header[start..];
    }
}

/// <summary>Query parameters decoded without turning '+' into a space (offsets like +01:00 survive unencoded).</summary>
internal sealed class QueryParameters
{
    private readonly List<KeyValuePair<string, string>> _items;

    private QueryParameters(List<KeyValuePair<string, string>> items) => _items = items;

    public IReadOnlyList<KeyValuePair<string, string>> Items => _items;

    public static QueryParameters Parse(string? query)
    {
        var items = new List<KeyValuePair<string, string>>();
        foreach (var part in (query ?? "").TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? part : part[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(part[(eq + 1)..]);
            items.Add(new(key, value));
        }

        return new QueryParameters(items);
    }

    /// <summary>A parameter by name; OData system options match with or without their '$'.</summary>
    public string? Get(string name)
    {
        foreach (var item in _items)
        {
            if (item.Key.Equals(name, StringComparison.OrdinalIgnoreCase)
                || (name.StartsWith('$') && item.Key.Equals(name[1..], StringComparison.OrdinalIgnoreCase)))
            {
                return item.Value;
            }
        }

        return null;
    }

    /// <summary>The query string with <paramref name="name"/> replaced (or added), for nextLinks.</summary>
    public string With(string name, string value, params string[] without)
    {
        var kept = _items
            .Where(i => !Same(i.Key, name) && !without.Any(w => Same(i.Key, w)))
            .Append(new(name, value))
            .Select(i => Uri.EscapeDataString(i.Key).Replace("%24", "$", StringComparison.Ordinal) + "=" + Uri.EscapeDataString(i.Value));
        return "?" + string.Join('&', kept);
    }

    private static bool Same(string key, string name) =>
        key.Equals(name, StringComparison.OrdinalIgnoreCase)
        || (name.StartsWith('$') && key.Equals(name[1..], StringComparison.OrdinalIgnoreCase));
}

using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace BossTalkCalendar.Api.Api;

/// <summary>A request body read strictly: either a value or the problem to answer with.</summary>
public readonly record struct JsonBody<T>(T? Value, ProblemHttpResult? Problem)
    where T : class;

/// <summary>
/// The API's JSON: camelCase, enums as camelCase strings, and on input nothing loose — unknown fields, duplicate
/// fields, numbers in strings, comments, trailing commas and anything after the one value are refused.
/// </summary>
public static partial class ApiJson
{
    private const int ReadChunk = 4096;

    public static JsonSerializerOptions Strict { get; } = CreateStrict();

    /// <summary>Applies the API's settings to the host's JSON options (used for responses and any framework binding).</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = null;
        options.Converters.Add(new StrictEnumConverterFactory());
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowDuplicateProperties = false;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.ReadCommentHandling = JsonCommentHandling.Disallow;
        options.AllowTrailingCommas = false;
        options.RespectNullableAnnotations = true;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
    }

    /// <summary>
    /// Reads the body as <typeparamref name="T"/>: 415 unless it is JSON, 413 above <see cref="ApiOptions.MaxRequestBodyBytes"/>,
    /// 400 with <c>errors</c> when it is malformed or does not fit the type.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="fieldHints">Messages for a field whose value has the wrong type or is not one of the allowed names.</param>
    public static async Task<JsonBody<T>> ReadAsync<T>(HttpContext context, IReadOnlyDictionary<string, string>? fieldHints = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var limit = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxRequestBodyBytes;

        var hasBody = request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.ContainsKey(HeaderNames.TransferEncoding));
        if (!hasBody && string.IsNullOrEmpty(request.ContentType))
        {
            return Fail<T>(ApiProblems.Validation("body", "Send a JSON object."));
        }

        if (!request.HasJsonContentType())
        {
            return Fail<T>(ApiProblems.UnsupportedMediaType());
        }

        if (request.ContentLength > limit)
        {
            return Fail<T>(ApiProblems.TooLarge(limit));
        }

        byte[] body;
        try
        {
            body = await ReadLimitedAsync(request.Body, limit, context.RequestAborted);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Fail<T>(ApiProblems.TooLarge(limit));
        }

        if (body.Length > limit)
        {
            return Fail<T>(ApiProblems.TooLarge(limit));
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(body, Strict);
            return value is null
                ? Fail<T>(ApiProblems.Validation("body", "Send a JSON object."))
                : new JsonBody<T>(value, null);
        }
        catch (JsonException ex)
        {
            var (field, message) = Describe(ex, fieldHints);
            return Fail<T>(ApiProblems.Validation(field, message));
        }
    }

    private static JsonSerializerOptions CreateStrict()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Reads at most <paramref name="limit"/> + 1 bytes, so a body without Content-Length cannot grow without bound.</summary>
    private static async Task<byte[]> ReadLimitedAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[ReadChunk];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                break;
            }
        }

        return buffer.ToArray();
    }

    // The serializer's messages name .NET types; the client gets the field and our own sentence instead.
    private static (string Field, string Message) Describe(JsonException ex, IReadOnlyDictionary<string, string>? fieldHints)
    {
        if (UnmappedProperty().Match(ex.Message) is { Success: true } unmapped)
        {
            return (unmapped.Groups["name"].Value, "Unknown field.");
        }

        if (DuplicateProperty().Match(ex.Message) is { Success: true } duplicate)
        {
            return (duplicate.Groups["name"].Value, "The field appears more than once.");
        }

        // The reader's own errors (broken syntax, comments, anything after the value) are about the body as a whole.
        var field = ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
        if (field is null || ex.InnerException is JsonException)
        {
            return ("body", "The body is not a single valid JSON object.");
        }

        return fieldHints is not null && fieldHints.TryGetValue(field, out var hint)
            ? (field, hint)
            : (field, "Not a valid value for this field.");
    }

    [GeneratedRegex("The JSON property '(?<name>[^']{1,100})' could not be mapped")]
    private static partial Regex UnmappedProperty();

    [GeneratedRegex("[Dd]uplicate[^']*'(?<name>[^'.]{1,100})'")]
    private static partial Regex DuplicateProperty();

    private static JsonBody<T> Fail<T>(ProblemHttpResult problem)
        where T : class => new(null, problem);
}

/// <summary>
/// Enums as camelCase names, read exactly: no numbers, no padding, no comma-separated flag lists (which the stock
/// converter accepts), only the case of the letters may differ.
/// </summary>
internal sealed class StrictEnumConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(StrictEnumConverter<>).MakeGenericType(typeToConvert))!;
}

internal sealed class StrictEnumConverter<T> : JsonConverter<T>
    where T : struct, Enum
{
    private static readonly Dictionary<string, T> ByName =
        Enum.GetValues<T>().ToDictionary(value => NameOf(value), StringComparer.OrdinalIgnoreCase);

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && reader.GetString() is { } name && ByName.TryGetValue(name, out var value)
            ? value
            : throw new JsonException();

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(NameOf(value));
    }

    private static string NameOf(T value) => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}

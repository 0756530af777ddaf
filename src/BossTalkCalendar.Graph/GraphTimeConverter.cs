using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Serialization.Json;

namespace BossTalkCalendar.Graph;

/// <summary>
/// Reads Graph's time-of-day values (<c>workingHours.startTime</c> is <c>"08:00:00.0000000"</c>) as Kiota's
/// <see cref="Time"/> without an exception.
/// </summary>
/// <remarks>
/// Kiota's JSON parse node first hands a time to the serializer context's <see cref="Time"/> type, which has no
/// converter and throws, then catches that and parses the string itself. Every mailbox-settings read threw twice; a
/// profile of the first 10,000-user sweep counted 20,000 of those exceptions. A converter in the context is Kiota's
/// supported way to change how a value is read (microsoft/kiota-dotnet#792); an unreadable value still falls back
/// to Kiota's own parse.
/// </remarks>
internal sealed class GraphTimeConverter : JsonConverter<Time>
{
    /// <summary>Kiota's serializer context with this converter; used for every JSON response.</summary>
    public static readonly KiotaJsonSerializationContext Context =
        new(new JsonSerializerOptions(KiotaJsonSerializationContext.Default.Options) { Converters = { new GraphTimeConverter() } });

    public override Time Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
        && TimeOnly.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? new Time(time.Hour, time.Minute, time.Second)
            : throw new JsonException("Not a time of day.");

    public override void Write(Utf8JsonWriter writer, Time value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}

using System.Text.Json.Serialization;

namespace BossTalkCalendar.Graph;

/// <summary>
/// An event as Graph sends it for <see cref="GraphMapping.EventFields"/> and <see cref="GraphMapping.OurPropertyExpand"/>,
/// read with System.Text.Json instead of the SDK's models (https://learn.microsoft.com/graph/api/resources/event).
/// </summary>
/// <remarks>
/// Calendar reads are most of what the service asks Graph, and the SDK's models cost a dictionary of about a hundred
/// field readers per object, a backing store and a parse node per value. An allocation profile of the 10,000-user sweep
/// put them at about three fifths of everything the service allocated, and the garbage they made set its peak working
/// set (README, "Performance"). The request still goes through the SDK's request builder and its whole pipeline;
/// only the body is read here. Enumerations stay strings, so a value Graph adds later reads as unknown instead of
/// failing the calendar.
/// </remarks>
internal sealed record EventWire(
    string? Id,
    string? ICalUId,
    string? Type,
    string? SeriesMasterId,
    DateTimeTimeZoneWire? Start,
    DateTimeTimeZoneWire? End,
    RecipientWire? Organizer,
    bool? IsOrganizer,
    IReadOnlyList<AttendeeWire>? Attendees,
    ResponseStatusWire? ResponseStatus,
    bool? IsCancelled,
    bool? IsAllDay,
    string? ShowAs,
    IReadOnlyList<ExtendedPropertyWire>? SingleValueExtendedProperties);

/// <summary>https://learn.microsoft.com/graph/api/resources/datetimetimezone</summary>
internal sealed record DateTimeTimeZoneWire(string? DateTime, string? TimeZone);

/// <summary>https://learn.microsoft.com/graph/api/resources/recipient (only the address is asked for or read).</summary>
internal sealed record RecipientWire(EmailAddressWire? EmailAddress);

internal sealed record EmailAddressWire(string? Address);

/// <summary>https://learn.microsoft.com/graph/api/resources/attendee</summary>
internal sealed record AttendeeWire(string? Type, ResponseStatusWire? Status, EmailAddressWire? EmailAddress);

/// <summary>https://learn.microsoft.com/graph/api/resources/responsestatus</summary>
internal sealed record ResponseStatusWire(string? Response);

/// <summary>https://learn.microsoft.com/graph/api/resources/singlevaluelegacyextendedproperty</summary>
internal sealed record ExtendedPropertyWire(string? Id, string? Value);

/// <summary>A page of a collection: its items and the link to the next page (https://learn.microsoft.com/graph/paging).</summary>
internal sealed record EventPageWire(
    IReadOnlyList<EventWire>? Value,
    [property: JsonPropertyName("@odata.nextLink")] string? NextLink);

/// <summary>
/// Source-generated readers for the wire records: Graph's names are camelCase, and members not listed here are
/// skipped.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(EventWire))]
[JsonSerializable(typeof(EventPageWire))]
internal sealed partial class EventWireJson : JsonSerializerContext;

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BossTalkCalendar.GraphSimulator;

internal sealed partial class GraphApi
{
    private static readonly string[] Sensitivities = ["normal", "personal", "private", "confidential"];
    private static readonly string[] FreeBusyStatuses = ["free", "tentative", "busy", "oof", "workingElsewhere", "unknown"];
    private static readonly string[] AttendeeTypes = ["required", "optional", "resource"];

    public GraphResponse CalendarView(GraphRequest request, RouteMatch match) => _tenant.WithLock(() =>
    {
        if (MailboxOf(request, match, out var user) is { } denied)
        {
            return denied;
        }

        if (Window(request, out var windowStart, out var windowEnd) is { } badWindow)
        {
            return badWindow;
        }

        if (PreferredZone(request, out var zone, out var zoneName, out var fromHeader) is { } badZone)
        {
            return badZone;
        }

        if (EventQueryOf(request, allowExtendedPropertyFilter: false) is not { } query)
        {
            return Error(request, 400, "ErrorInvalidUrlQueryFilter", "The query filter contains one or more invalid nodes.");
        }

        if (!TryPageSize(request, 10, 1000, out var top, out var badTop) || Skip(request, out var skip) is { } badSkip)
        {
            return badTop ?? Error(request, 400, "ErrorInvalidUrlQuery", "The value of $skip is invalid.");
        }

        var events = _tenant.EventsOfUnlocked(user.Id)
            .Where(e => e.Type != "seriesMaster" && Overlaps(e, windowStart, windowEnd) && query.Filter(e));
        var body = Page(request, query, events, skip, top, zone, zoneName, $"/$metadata#users('{Uri.EscapeDataString(match.UserSegment!)}')/calendarView");
        return WithZoneApplied(new GraphResponse(200, body), fromHeader, zoneName);
    });

    public GraphResponse ListEvents(GraphRequest request, RouteMatch match) => _tenant.WithLock(() =>
    {
        if (MailboxOf(request, match, out var user) is { } denied)
        {
            return denied;
        }

        if (PreferredZone(request, out var zone, out var zoneName, out var fromHeader) is { } badZone)
        {
            return badZone;
        }

        if (EventQueryOf(request, allowExtendedPropertyFilter: true) is not { } query)
        {
            return Error(request, 400, "ErrorInvalidUrlQueryFilter", "The query filter contains one or more invalid nodes.");
        }

        if (!TryPageSize(request, 10, 1000, out var top, out var badTop) || Skip(request, out var skip) is { } badSkip)
        {
            return badTop ?? Error(request, 400, "ErrorInvalidUrlQuery", "The value of $skip is invalid.");
        }

        // /events lists single instances and series masters; occurrences only show in calendarView.
        var events = _tenant.EventsOfUnlocked(user.Id).Where(e => e.Type is "singleInstance" or "seriesMaster" && query.Filter(e));
        var body = Page(request, query, events, skip, top, zone, zoneName, $"/$metadata#users('{Uri.EscapeDataString(match.UserSegment!)}')/events");
        return WithZoneApplied(new GraphResponse(200, body), fromHeader, zoneName);
    });

    public GraphResponse GetEvent(GraphRequest request, RouteMatch match) => _tenant.WithLock(() =>
    {
        if (MailboxOf(request, match, out var user) is { } denied)
        {
            return denied;
        }

        if (PreferredZone(request, out var zone, out var zoneName, out var fromHeader) is { } badZone)
        {
            return badZone;
        }

        var ev = _tenant.FindOwnedEventUnlocked(user.Id, match.ItemId!);
        if (ev is null)
        {
            return Error(request, 404, "ErrorItemNotFound", "The specified object was not found in the store.");
        }

        var select = Select(request);
        var body = new JsonObject
        {
            ["@odata.context"] = request.VersionRoot + $"/$metadata#users('{Uri.EscapeDataString(match.UserSegment!)}')/events{SelectSuffix(select)}/$entity",
        };
        var shaped = GraphJson.Shape(GraphJson.Event(ev, zone, zoneName, WantsImmutableIds(request)), ev, select, ExpandExtendedProperties.Parse(request.Query.Get("$expand")));
        foreach (var (key, value) in shaped)
        {
            body[key] = value?.DeepClone();
        }

        return WithZoneApplied(new GraphResponse(200, body), fromHeader, zoneName);
    });

    public GraphResponse CreateEvent(GraphRequest request, RouteMatch match)
    {
        EventRecord draft;
        var (denied, ownerId, zone, zoneName, fromHeader) = _tenant.WithLock(() =>
        {
            if (MailboxOf(request, match, out var user) is { } failure)
            {
                return (failure, "", TimeZoneInfo.Utc, "UTC", false);
            }

            var badZone = PreferredZone(request, out var z, out var n, out var h);
            return (badZone, user.Id, z, n, h);
        });
        if (denied is not null)
        {
            return denied;
        }

        try
        {
            draft = ParseNewEvent(request);
        }
        catch (BadRequestException ex)
        {
            return Error(request, 400, ex.Code, ex.Message);
        }

        var (created, outcome) = _tenant.CreateFromGraph(ownerId, draft);
        if (created is null || outcome == CreateOutcome.Conflict)
        {
            // See SimulatedTenant.CreateFromGraph for the sources.
            return Error(request, 400, "ErrorDuplicateTransactionId", "Your request can't be completed. The TransactionId specified in the request has already been used to create a different event.");
        }

        return _tenant.WithLock(() =>
        {
            var body = new JsonObject
            {
                ["@odata.context"] = request.VersionRoot + $"/$metadata#users('{Uri.EscapeDataString(match.UserSegment!)}')/events/$entity",
            };
            foreach (var (key, value) in GraphJson.Event(created, zone, zoneName, WantsImmutableIds(request)))
            {
                body[key] = value?.DeepClone();
            }

            // An identical repeat answers 201 too, with the event the first POST made.
            return WithZoneApplied(new GraphResponse(201, body) { Mutated = outcome == CreateOutcome.Created }, fromHeader, zoneName);
        });
    }

    public GraphResponse DeleteEvent(GraphRequest request, RouteMatch match)
    {
        var (denied, ownerId) = _tenant.WithLock(() => (MailboxOf(request, match, out var user), user?.Id));
        if (denied is not null)
        {
            return denied;
        }

        return _tenant.DeleteFromGraph(ownerId!, match.ItemId!)
            ? new GraphResponse(204) { Mutated = true }
            : Error(request, 404, "ErrorItemNotFound", "The specified object was not found in the store.");
    }

    private static JsonObject Page(GraphRequest request, EventQuery query, IEnumerable<EventRecord> events, int skip, int top, TimeZoneInfo zone, string zoneName, string context)
    {
        var ordered = query.Descending
            ? events.OrderByDescending(e => e.Start).ThenByDescending(e => e.End).ThenBy(e => e.Id, StringComparer.Ordinal).ToList()
            : events.OrderBy(e => e.Start).ThenBy(e => e.End).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        var immutableIds = WantsImmutableIds(request);
        var page = ordered.Skip(skip).Take(top)
            .Select(e => (JsonNode?)GraphJson.Shape(GraphJson.Event(e, zone, zoneName, immutableIds), e, query.Select, query.Expand))
            .ToArray();
        var body = new JsonObject
        {
            ["@odata.context"] = request.VersionRoot + context + SelectSuffix(query.Select),
            ["value"] = new JsonArray(page),
        };
        if (skip + top < ordered.Count)
        {
            var path = "/" + string.Join('/', request.Segments!.Select(Uri.EscapeDataString));
            body["@odata.nextLink"] = request.VersionRoot + path + request.Query.With("$skip", (skip + top).ToString(CultureInfo.InvariantCulture));
        }

        return body;
    }

    private static bool Overlaps(EventRecord e, DateTimeOffset start, DateTimeOffset end) =>
        e.Start < end && (e.End > start || (e.Start == e.End && e.Start >= start));

    private GraphResponse? Window(GraphRequest request, out DateTimeOffset start, out DateTimeOffset end)
    {
        start = end = default;
        var startText = request.Query.Get("startDateTime");
        var endText = request.Query.Get("endDateTime");
        if (string.IsNullOrWhiteSpace(startText) || string.IsNullOrWhiteSpace(endText))
        {
            return Error(request, 400, "ErrorInvalidParameter", "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.");
        }

        // The window's own offset counts; without one it is UTC, whatever the Prefer header says.
        if (!TimeZones.TryParse(startText, TimeZoneInfo.Utc, out start))
        {
            return Error(request, 400, "ErrorInvalidParameter", $"The parameter 'StartDateTime' has an invalid value '{startText}'.");
        }

        if (!TimeZones.TryParse(endText, TimeZoneInfo.Utc, out end))
        {
            return Error(request, 400, "ErrorInvalidParameter", $"The parameter 'EndDateTime' has an invalid value '{endText}'.");
        }

        return end < start
            ? Error(request, 400, "ErrorInvalidParameter", "The parameter 'EndDateTime' must be later than 'StartDateTime'.")
            : null;
    }

    private static GraphResponse? Skip(GraphRequest request, out int skip)
    {
        skip = 0;
        var text = request.Query.Get("$skip");
        return text is null || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out skip) && skip >= 0)
            ? null
            : new GraphResponse(400);
    }

    /// <remarks>
    /// $filter forms: <c>iCalUId eq '…'</c>, and on /events only the documented lookup by a string extended property,
    /// <c>singleValueExtendedProperties/Any(ep: ep/id eq '{id}' and ep/value eq '{value}')</c> (or <c>ne</c>), from
    /// https://learn.microsoft.com/graph/api/singlevaluelegacyextendedproperty-get. Every other form answers 400, among
    /// them a filter on the id alone and the documented <c>contains</c>/<c>startswith</c> forms, which we do not use:
    /// stricter than Graph, never more forgiving. The value compares case-insensitively, as documented.
    /// </remarks>
    private static EventQuery? EventQueryOf(GraphRequest request, bool allowExtendedPropertyFilter)
    {
        var orderBy = request.Query.Get("$orderby");
        var descending = orderBy is not null && orderBy.TrimEnd().EndsWith(" desc", StringComparison.OrdinalIgnoreCase);
        Func<EventRecord, bool> filter = _ => true;
        if (request.Query.Get("$filter") is { } text)
        {
            var byProperty = ExtendedPropertyFilter().Match(text);
            var byICalUId = ICalUIdFilter().Match(text);
            if (byProperty.Success && allowExtendedPropertyFilter)
            {
                var id = Unquote(byProperty.Groups["id"].Value);
                var value = Unquote(byProperty.Groups["value"].Value);
                var equal = byProperty.Groups["op"].Value.Equals("eq", StringComparison.OrdinalIgnoreCase);
                filter = e => e.ExtendedProperties.Any(p => ExtendedPropertyIds.Same(p.Id, id)
                    && string.Equals(p.Value, value, StringComparison.OrdinalIgnoreCase) == equal);
            }
            else if (byICalUId.Success)
            {
                var id = Unquote(byICalUId.Groups[1].Value);
                filter = e => e.ICalUId == id;
            }
            else
            {
                return null;
            }
        }

        return new EventQuery(Select(request), ExpandExtendedProperties.Parse(request.Query.Get("$expand")), descending, filter);
    }

    /// <summary>Prefer: IdType="ImmutableId" (https://learn.microsoft.com/graph/outlook-immutable-id): which id to answer with.</summary>
    private static bool WantsImmutableIds(GraphRequest request) =>
        string.Equals(request.Preference("IdType"), "ImmutableId", StringComparison.OrdinalIgnoreCase);

    private static string Unquote(string text) => text.Replace("''", "'", StringComparison.Ordinal);

    private EventRecord ParseNewEvent(GraphRequest request)
    {
        var json = request.ReadJsonObject()
            ?? throw new BadRequestException("BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
        var (start, startZone) = ReadDateTimeTimeZone(json, "start");
        var (end, endZone) = ReadDateTimeTimeZone(json, "end");
        if (end < start)
        {
            throw new BadRequestException("ErrorInvalidRequest", "The end of the event must not be before its start.");
        }

        var body = json["body"] as JsonObject;
        var draft = new EventRecord
        {
            Subject = ReadString(json, "subject") ?? "",
            BodyContentType = ReadString(body, "contentType")?.ToLowerInvariant() ?? "text",
            BodyContent = ReadString(body, "content") ?? "",
            Start = start,
            End = end,
            StartTimeZone = startZone,
            EndTimeZone = endZone,
            IsAllDay = ReadBool(json, "isAllDay") ?? false,
            Sensitivity = ReadEnum(json, "sensitivity", Sensitivities, "microsoft.graph.sensitivity") ?? "normal",
            ShowAs = ReadEnum(json, "showAs", FreeBusyStatuses, "microsoft.graph.freeBusyStatus") ?? "busy",
            Categories = ReadStrings(json, "categories"),
            IsReminderOn = ReadBool(json, "isReminderOn") ?? true,
            ReminderMinutesBeforeStart = ReadInt(json, "reminderMinutesBeforeStart") ?? 15,
            TransactionId = ReadString(json, "transactionId"),
        };

        if (json["attendees"] is JsonArray attendees)
        {
            foreach (var node in attendees)
            {
                var attendee = node as JsonObject ?? throw Malformed("attendees");
                var email = attendee["emailAddress"] as JsonObject;
                var address = ReadString(email, "address");
                if (string.IsNullOrWhiteSpace(address) || !address.Contains('@', StringComparison.Ordinal))
                {
                    throw new BadRequestException("ErrorInvalidRecipients", "At least one recipient isn't valid.");
                }

                var tenantUser = _tenant.WithLock(() => _tenant.FindUserUnlocked(address));
                draft.Attendees.Add(new AttendeeRecord
                {
                    Mail = tenantUser?.Mail ?? address,
                    Name = ReadString(email, "name") ?? tenantUser?.DisplayName ?? address,
                    Type = ReadEnum(attendee, "type", AttendeeTypes, "microsoft.graph.attendeeType") ?? "required",
                    Response = "none",
                });
            }
        }
        else if (json["attendees"] is not null)
        {
            throw Malformed("attendees");
        }

        if (json["singleValueExtendedProperties"] is JsonArray properties)
        {
            foreach (var node in properties)
            {
                var property = node as JsonObject ?? throw Malformed("singleValueExtendedProperties");
                var id = ReadString(property, "id");
                if (string.IsNullOrWhiteSpace(id))
                {
                    throw Malformed("singleValueExtendedProperties");
                }

                draft.ExtendedProperties.Add(new ExtendedPropertyRecord { Id = id, Value = ReadString(property, "value") ?? "" });
            }
        }

        return draft;
    }

    private static (DateTimeOffset Instant, string Zone) ReadDateTimeTimeZone(JsonObject json, string name)
    {
        if (json[name] is not JsonObject value || ReadString(value, "dateTime") is not { } text)
        {
            throw new BadRequestException("ErrorInvalidRequest", $"The event's '{name}' (dateTime and timeZone) must be specified.");
        }

        var zoneName = ReadString(value, "timeZone") ?? "UTC";
        if (!TimeZones.TryResolve(zoneName, out var zone))
        {
            throw new BadRequestException("TimeZoneNotSupportedException", $"A valid TimeZone value must be specified. The following TimeZone value is not supported: '{zoneName}'.");
        }

        return TimeZones.TryParse(text, zone, out var instant)
            ? (instant, zoneName)
            : throw new BadRequestException("RequestBodyRead", $"Cannot convert the literal '{text}' to the expected type 'Edm.String'.");
    }

    private static string? ReadString(JsonObject? json, string name) => json?[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw Malformed(name),
    };

    private static bool? ReadBool(JsonObject json, string name) => json[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw Malformed(name),
    };

    private static int? ReadInt(JsonObject json, string name) => json[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i) => i,
        _ => throw Malformed(name),
    };

    private static List<string> ReadStrings(JsonObject json, string name) => json[name] switch
    {
        null => [],
        JsonArray a => a.Select(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw Malformed(name)).ToList(),
        _ => throw Malformed(name),
    };

    private static string? ReadEnum(JsonObject json, string name, string[] allowed, string typeName)
    {
        var value = ReadString(json, name);
        if (value is null)
        {
            return null;
        }

        return allowed.FirstOrDefault(a => a.Equals(value, StringComparison.OrdinalIgnoreCase))
            ?? throw new BadRequestException("RequestBodyRead", $"Cannot convert the literal '{value}' to the expected type '{typeName}'.");
    }

    private static BadRequestException Malformed(string name) =>
        new("RequestBodyRead", $"Invalid value for property '{name}'.");

    [GeneratedRegex(@"^\s*singleValueExtendedProperties/any\(\s*(\w+)\s*:\s*\1/id\s+eq\s+'(?<id>(?:[^']|'')*)'\s+and\s+\1/value\s+(?<op>eq|ne)\s+'(?<value>(?:[^']|'')*)'\s*\)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex ExtendedPropertyFilter();

    [GeneratedRegex(@"^\s*iCalUId\s+eq\s+'((?:[^']|'')*)'\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex ICalUIdFilter();

    private sealed record EventQuery(List<string>? Select, ExpandExtendedProperties? Expand, bool Descending, Func<EventRecord, bool> Filter);
}

internal sealed class BadRequestException : Exception
{
    public BadRequestException(string code, string message)
        : base(message) => Code = code;

    public BadRequestException()
        : this("BadRequest", "Bad request.")
    {
    }

    public BadRequestException(string message)
        : this("BadRequest", message)
    {
    }

    public BadRequestException(string message, Exception innerException)
        : base(message, innerException) => Code = "BadRequest";

    public string Code { get; }
}

using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BossTalkCalendar.GraphSimulator;

/// <summary>Graph v1.0 JSON shapes of the resources the simulator serves.</summary>
internal static partial class GraphJson
{
    private const string NeverResponded = "0001-01-01T00:00:00Z";

    public static JsonObject DateTimeTimeZone(DateTimeOffset instant, TimeZoneInfo zone, string zoneName) => new()
    {
        ["dateTime"] = TimeZones.Format(instant, zone),
        ["timeZone"] = zoneName,
    };

    /// <summary>An event as Graph renders it for the requested zone.</summary>
    /// <param name="e">The event.</param>
    /// <param name="zone">The zone of Prefer: outlook.timezone (UTC without it).</param>
    /// <param name="zoneName">That zone's name as the client sent it.</param>
    /// <param name="immutableIds">Whether the request carried <c>Prefer: IdType="ImmutableId"</c>.</param>
    public static JsonObject Event(EventRecord e, TimeZoneInfo zone, string zoneName, bool immutableIds)
    {
        var id = immutableIds ? e.Id : e.RestId;
        var json = new JsonObject
        {
            ["@odata.etag"] = $"W/\"{e.ChangeKey}\"",
            ["id"] = id,
            ["createdDateTime"] = TimeZones.FormatUtc(e.Created),
            ["lastModifiedDateTime"] = TimeZones.FormatUtc(e.LastModified),
            ["changeKey"] = e.ChangeKey,
            ["categories"] = new JsonArray(e.Categories.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
        };
        if (e.TransactionId is not null)
        {
            json["transactionId"] = e.TransactionId;
        }

        json["originalStartTimeZone"] = e.StartTimeZone;
        json["originalEndTimeZone"] = e.EndTimeZone;
        json["iCalUId"] = e.ICalUId;
        json["uid"] = e.ICalUId;
        json["reminderMinutesBeforeStart"] = e.ReminderMinutesBeforeStart;
        json["isReminderOn"] = e.IsReminderOn;
        json["hasAttachments"] = false;
        json["subject"] = e.Subject;
        json["bodyPreview"] = Preview(e.BodyContent);
        json["importance"] = "normal";
        json["sensitivity"] = e.Sensitivity;
        json["isAllDay"] = e.IsAllDay;
        json["isCancelled"] = e.IsCancelled;
        json["isOrganizer"] = e.IsOrganizer;
        json["responseRequested"] = true;
        json["seriesMasterId"] = e.SeriesMasterId;
        json["showAs"] = e.ShowAs;
        json["type"] = e.Type;
        json["webLink"] = "https://outlook.office365.com/owa/?itemid=" + Uri.EscapeDataString(id) + "&exvsurl=1&path=/calendar/item";
        json["onlineMeetingUrl"] = null;
        json["isOnlineMeeting"] = false;
        json["onlineMeetingProvider"] = "unknown";
        json["allowNewTimeProposals"] = true;
        json["occurrenceId"] = null;
        json["isDraft"] = false;
        json["hideAttendees"] = false;
        json["responseStatus"] = new JsonObject
        {
            ["response"] = e.Response,
            ["time"] = e.ResponseTime is { } t ? TimeZones.FormatUtc(t) : NeverResponded,
        };
        json["body"] = new JsonObject { ["contentType"] = e.BodyContentType, ["content"] = e.BodyContent };
        if (e.IsAllDay)
        {
            // All-day events come back as midnight to midnight of their dates, labelled with the REQUESTED zone, not
            // their own: "by design" (https://github.com/microsoftgraph/microsoft-graph-docs/issues/1802,
            // https://github.com/microsoftgraph/microsoft-graph-docs/issues/6003). The dates are the event's own.
            var own = TimeZones.TryResolve(e.StartTimeZone, out var ownZone) ? ownZone : TimeZoneInfo.Utc;
            json["start"] = new JsonObject { ["dateTime"] = LocalMidnight(e.Start, own), ["timeZone"] = zoneName };
            json["end"] = new JsonObject { ["dateTime"] = LocalMidnight(e.End, own), ["timeZone"] = zoneName };
        }
        else
        {
            json["start"] = DateTimeTimeZone(e.Start, zone, zoneName);
            json["end"] = DateTimeTimeZone(e.End, zone, zoneName);
        }

        json["location"] = new JsonObject
        {
            ["displayName"] = "",
            ["locationType"] = "default",
            ["uniqueIdType"] = "unknown",
            ["address"] = new JsonObject(),
            ["coordinates"] = new JsonObject(),
        };
        json["locations"] = new JsonArray();
        json["recurrence"] = null;
        json["attendees"] = new JsonArray(e.Attendees.Select(a => (JsonNode?)new JsonObject
        {
            ["type"] = a.Type,
            ["status"] = new JsonObject
            {
                ["response"] = a.Response,
                ["time"] = a.Response is "none" or "notResponded" ? NeverResponded : TimeZones.FormatUtc(e.Start.AddDays(-1)),
            },
            ["emailAddress"] = EmailAddress(a.Name, a.Mail),
        }).ToArray());
        json["organizer"] = new JsonObject { ["emailAddress"] = EmailAddress(e.OrganizerName, e.OrganizerMail) };
        json["onlineMeeting"] = null;
        return json;
    }

    /// <summary>The date of <paramref name="instant"/> in <paramref name="zone"/>, at midnight, in Graph's dateTime format.</summary>
    private static string LocalMidnight(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).Date.ToString(TimeZones.DateTimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Applies $select (id and the etag always stay) and $expand of singleValueExtendedProperties.</summary>
    public static JsonObject Shape(JsonObject full, EventRecord e, IReadOnlyList<string>? select, ExpandExtendedProperties? expand)
    {
        var shaped = full;
        if (select is { Count: > 0 })
        {
            shaped = [];
            foreach (var (key, value) in full)
            {
                if (key is "@odata.etag" or "id" || select.Contains(key, StringComparer.OrdinalIgnoreCase))
                {
                    shaped[key] = value?.DeepClone();
                }
            }
        }

        if (expand is not null)
        {
            var properties = e.ExtendedProperties.Where(p => expand.Matches(p.Id)).ToList();
            if (properties.Count > 0)
            {
                shaped["singleValueExtendedProperties"] = new JsonArray(properties
                    .Select(p => (JsonNode?)new JsonObject { ["id"] = p.Id, ["value"] = p.Value }).ToArray());
            }
        }

        return shaped;
    }

    public static JsonObject User(UserRecord u, bool typed = false)
    {
        var json = new JsonObject();
        if (typed)
        {
            json["@odata.type"] = "#microsoft.graph.user";
        }

        var names = u.DisplayName.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        json["id"] = u.Id;
        json["businessPhones"] = new JsonArray();
        json["displayName"] = u.DisplayName;
        json["givenName"] = names.Length > 0 ? names[0] : null;
        json["jobTitle"] = null;
        json["mail"] = u.Mail;
        json["mobilePhone"] = null;
        json["officeLocation"] = null;
        json["preferredLanguage"] = "en-US";
        json["surname"] = names.Length > 1 ? names[1] : null;
        json["userPrincipalName"] = u.UserPrincipalName;
        return json;
    }

    public static JsonObject Select(JsonObject full, IReadOnlyList<string>? select)
    {
        if (select is not { Count: > 0 })
        {
            return full;
        }

        var shaped = new JsonObject();
        foreach (var (key, value) in full)
        {
            if (key is "@odata.type" or "id" || select.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                shaped[key] = value?.DeepClone();
            }
        }

        return shaped;
    }

    public static JsonObject WorkingHours(UserRecord u)
    {
        var wh = u.WorkingHours;
        return new JsonObject
        {
            ["daysOfWeek"] = new JsonArray(wh.DaysOfWeek.Select(d => (JsonNode?)JsonValue.Create(d.ToLowerInvariant())).ToArray()),
            ["startTime"] = TimeOfDay(wh.StartTime),
            ["endTime"] = TimeOfDay(wh.EndTime),
            ["timeZone"] = wh.CustomTimeZone is { } custom ? CustomTimeZone(custom) : new JsonObject { ["name"] = wh.TimeZoneName ?? u.TimeZone },
        };
    }

    public static JsonObject MailboxSettings(UserRecord u, DateTimeOffset now) => new()
    {
        ["archiveFolder"] = "AAMkAGArchive" + u.Id.Replace("-", "", StringComparison.Ordinal),
        ["timeZone"] = u.TimeZone,
        ["delegateMeetingMessageDeliveryOptions"] = "sendToDelegateOnly",
        ["dateFormat"] = "M/d/yyyy",
        ["timeFormat"] = "h:mm tt",
        ["userPurpose"] = "user",
        ["automaticRepliesSetting"] = new JsonObject
        {
            ["status"] = "disabled",
            ["externalAudience"] = "all",
            ["internalReplyMessage"] = "",
            ["externalReplyMessage"] = "",
            ["scheduledStartDateTime"] = DateTimeTimeZone(now, TimeZoneInfo.Utc, "UTC"),
            ["scheduledEndDateTime"] = DateTimeTimeZone(now.AddDays(1), TimeZoneInfo.Utc, "UTC"),
        },
        ["language"] = new JsonObject { ["locale"] = u.Locale, ["displayName"] = LocaleDisplayName(u.Locale) },
        ["workingHours"] = WorkingHours(u),
    };

    /// <summary>localeInfo.displayName: the locale's name in English, as Graph writes it ("German (Germany)").</summary>
    private static string LocaleDisplayName(string locale)
    {
        try
        {
            return CultureInfo.GetCultureInfo(locale, predefinedOnly: true).EnglishName;
        }
        catch (CultureNotFoundException)
        {
            return locale;
        }
    }

    public static JsonObject EmailAddress(string name, string address) => new() { ["name"] = name, ["address"] = address };

    /// <summary>Edm.TimeOfDay as Outlook writes it: "08:00:00.0000000".</summary>
    public static string TimeOfDay(string text) =>
        TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var t)
            ? t.ToString(@"hh\:mm\:ss\.fffffff", CultureInfo.InvariantCulture)
            : text;

    private static JsonObject CustomTimeZone(SeedCustomTimeZone custom)
    {
        var json = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.customTimeZone",
            ["bias"] = custom.Bias,
            ["name"] = custom.Name,
        };
        if (custom.StandardOffset is { } standard)
        {
            json["standardOffset"] = Offset(standard);
        }

        if (custom.DaylightOffset is { } daylight)
        {
            var offset = Offset(daylight);
            offset["daylightBias"] = daylight.DaylightBias;
            json["daylightOffset"] = offset;
        }

        return json;
    }

    private static JsonObject Offset(SeedStandardTimeZoneOffset o) => new()
    {
        ["time"] = TimeOfDay(o.Time),
        ["dayOccurrence"] = o.DayOccurrence,
        ["dayOfWeek"] = o.DayOfWeek.ToLowerInvariant(),
        ["month"] = o.Month,
        ["year"] = o.Year,
    };

    private static string Preview(string body)
    {
        var text = WebUtility.HtmlDecode(Tags().Replace(body, " "));
        text = Spaces().Replace(text, " ").Trim();
        return text.Length <= 255 ? text : text[..255];
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}

/// <summary>$expand=singleValueExtendedProperties, optionally with ($filter=id eq '...').</summary>
internal sealed partial class ExpandExtendedProperties
{
    private readonly string? _id;

    private ExpandExtendedProperties(string? id) => _id = id;

    public bool Matches(string propertyId) => _id is null || ExtendedPropertyIds.Same(_id, propertyId);

    /// <summary>Null when $expand does not ask for singleValueExtendedProperties.</summary>
    public static ExpandExtendedProperties? Parse(string? expand)
    {
        if (expand is null || !expand.Contains("singleValueExtendedProperties", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var match = IdFilter().Match(expand);
        return new ExpandExtendedProperties(match.Success ? match.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal) : null);
    }

    [GeneratedRegex(@"id\s+eq\s+'((?:[^']|'')*)'", RegexOptions.IgnoreCase)]
    private static partial Regex IdFilter();
}

/// <summary>Comparing extended property ids as Graph does.</summary>
internal static class ExtendedPropertyIds
{
    private const string NameKeyword = " Name ";

    /// <summary>
    /// Type and property set compare case-insensitively; the string name after "Name" is case-sensitive
    /// (https://learn.microsoft.com/graph/api/singlevaluelegacyextendedproperty-get: "Filtering the string name (Name)
    /// in the id of an extended property is case-sensitive").
    /// </summary>
    public static bool Same(string a, string b)
    {
        var atA = a.IndexOf(NameKeyword, StringComparison.OrdinalIgnoreCase);
        var atB = b.IndexOf(NameKeyword, StringComparison.OrdinalIgnoreCase);
        if (atA < 0 || atB < 0)
        {
            return string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
        }

        return string.Equals(a[..atA], b[..atB], StringComparison.OrdinalIgnoreCase)
            && string.Equals(a[(atA + NameKeyword.Length)..], b[(atB + NameKeyword.Length)..], StringComparison.Ordinal);
    }
}

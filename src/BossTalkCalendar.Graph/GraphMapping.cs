using System.Globalization;
using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Graph;
using BossTalkCalendar.Core.Nudges;
using GraphModels = Microsoft.Graph.Models;

namespace BossTalkCalendar.Graph;

/// <summary>Graph wire types to Core's model and back. Nothing here reads a subject or a body.</summary>
internal static class GraphMapping
{
    /// <summary>The only event fields we ask for: no subject, body, location or display-name-bearing extras.</summary>
    public static readonly string[] EventFields =
    [
        "id", "iCalUId", "type", "seriesMasterId", "start", "end", "organizer", "isOrganizer",
        "attendees", "responseStatus", "isCancelled", "isAllDay", "showAs",
    ];

    /// <summary>Expands only our own extended property, so an event BossTalk wrote can be told apart.</summary>
    public static readonly string[] OurPropertyExpand =
        ["singleValueExtendedProperties($filter=id eq '" + NudgeKeys.ExtendedPropertyId + "')"];

    public static readonly string[] UserFields = ["id", "mail", "userPrincipalName"];

    /// <summary>The manager with the same fields, expanded on a user request.</summary>
    public const string ManagerExpand = "manager($select=id,mail,userPrincipalName)";

    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm",
    ];

    /// <summary>The fields FindOurEventAsync needs: the id, the times and the web link.</summary>
    /// <remarks>
    /// <c>webLink</c> is the event's documented "URL to open the event in Outlook on the web"
    /// (https://learn.microsoft.com/graph/api/resources/event#properties): a prep block links to the user's own
    /// reflection block with it, so their notes stay in their mailbox.
    /// </remarks>
    public static readonly string[] CreatedEventFields = ["id", "start", "end", "webLink"];

    /// <summary>
    /// The event's link for today's Outlook on the web. Graph's <c>webLink</c> has the form
    /// <c>https://outlook.office365.com/owa/?itemid={id}&amp;exvsurl=1&amp;path=/calendar/item</c>, which the event
    /// resource documents as opening only earlier versions of Outlook on the web; it says to open
    /// <c>https://outlook.office365.com/calendar/item/{id}</c> instead (docs/graph.md, "webLink"). Anything that is not
    /// https is dropped: it goes into an event body.
    /// </summary>
    public static Uri? WebLink(string? value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var link) || link.Scheme != Uri.UriSchemeHttps)
        {
            return null;
        }

        var itemId = System.Web.HttpUtility.ParseQueryString(link.Query)["itemid"];
        return link.AbsolutePath.TrimEnd('/').Equals("/owa", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(itemId)
            ? new Uri($"https://{link.Authority}/calendar/item/{Uri.EscapeDataString(itemId)}", UriKind.Absolute)
            : link;
    }

    /// <summary>
    /// The documented lookup of events by a string single-value extended property
    /// (https://learn.microsoft.com/graph/api/singlevaluelegacyextendedproperty-get, "GET resource instances with
    /// string-typed extended properties matching a filter"). Single quotes in OData string literals are escaped by doubling.
    /// </summary>
    public static string OurEventFilter(string sourceValue) =>
        "singleValueExtendedProperties/Any(ep: ep/id eq '" + NudgeKeys.ExtendedPropertyId.Replace("'", "''", StringComparison.Ordinal)
        + "' and ep/value eq '" + sourceValue.Replace("'", "''", StringComparison.Ordinal) + "')";

    /// <summary>True when an event is all-day and so needs its mailbox's zone to be read (see <see cref="ToMeeting"/>).</summary>
    public static bool IsAllDay(EventWire item) => item.IsAllDay == true;

    /// <summary>
    /// An event in Core's terms. An all-day event is read as its dates in <paramref name="mailboxZone"/>: Graph returns it
    /// as midnight to midnight labelled with the zone we asked for, whatever the event's own zone, "by design"
    /// (https://github.com/microsoftgraph/microsoft-graph-docs/issues/1802,
    /// https://github.com/microsoftgraph/microsoft-graph-docs/issues/6003), so the label must not be trusted.
    /// </summary>
    /// <param name="item">The event as Graph sent it.</param>
    /// <param name="mailboxZone">The mailbox's zone; required when the item is all-day.</param>
    public static Meeting ToMeeting(EventWire item, TimeZoneInfo? mailboxZone = null)
    {
        var id = item.Id ?? throw Malformed("event without id");
        DateTimeOffset start, end;
        if (IsAllDay(item))
        {
            var zone = mailboxZone ?? throw new InvalidOperationException("An all-day event needs the mailbox's zone to be read.");
            start = ToLocalMidnight(item.Start, zone) ?? throw Malformed("event without start");
            end = ToLocalMidnight(item.End, zone) ?? throw Malformed("event without end");
        }
        else
        {
            start = ToInstant(item.Start) ?? throw Malformed("event without start");
            end = ToInstant(item.End) ?? throw Malformed("event without end");
        }

        var attendees = (item.Attendees ?? [])
            .Where(a => !string.IsNullOrEmpty(a.EmailAddress?.Address))
            .Select(a => new Attendee(a.EmailAddress!.Address!, ToAttendeeType(a.Type), ToResponse(a.Status?.Response)))
            .ToList();

        return new Meeting(
            id,
            item.ICalUId ?? id,
            ToEventKind(item.Type),
            item.SeriesMasterId,
            start,
            end < start ? start : end,
            item.Organizer?.EmailAddress?.Address ?? "",
            item.IsOrganizer ?? false,
            attendees,
            ToResponse(item.ResponseStatus?.Response),
            item.IsCancelled ?? false,
            item.IsAllDay ?? false,
            ToShowAs(item.ShowAs),
            (item.SingleValueExtendedProperties ?? [])
                .FirstOrDefault(p => string.Equals(p.Id, NudgeKeys.ExtendedPropertyId, StringComparison.OrdinalIgnoreCase))?.Value);
    }

    public static DirectoryUser? ToDirectoryUser(GraphModels.DirectoryObject? directoryObject)
    {
        if (directoryObject is not GraphModels.User { Id: { Length: > 0 } id } user)
        {
            return null;
        }

        var email = !string.IsNullOrWhiteSpace(user.Mail) ? user.Mail : user.UserPrincipalName;
        return string.IsNullOrWhiteSpace(email) ? null : new DirectoryUser(id, email);
    }

    /// <summary>
    /// Converts Graph's dateTime (no offset) + timeZone pair to an instant, read in the zone it is labelled with. We
    /// always ask for UTC, so a label we cannot resolve is read as UTC rather than failing the whole answer
    /// (docs/graph.md, "Time zones"). Not for all-day events (see <see cref="ToMeeting"/>).
    /// </summary>
    public static DateTimeOffset? ToInstant(GraphModels.DateTimeTimeZone? value) => ToInstant(value?.DateTime, value?.TimeZone);

    /// <inheritdoc cref="ToInstant(GraphModels.DateTimeTimeZone?)"/>
    public static DateTimeOffset? ToInstant(DateTimeTimeZoneWire? value) => ToInstant(value?.DateTime, value?.TimeZone);

    private static DateTimeOffset? ToInstant(string? dateTime, string? timeZone)
    {
        if (dateTime is not { Length: > 0 } text)
        {
            return null;
        }

        if (DateTime.TryParseExact(text, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            var zone = timeZone is { } name && TimeZones.TryFindByName(name, out var known) ? known : TimeZoneInfo.Utc;
            return TimeZones.ToInstant(zone, local, AmbiguousTime.Earlier);
        }

        // Not Graph's documented shape, but an explicit offset or Z is unambiguous.
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var withOffset))
        {
            return withOffset;
        }

        throw Malformed("unreadable dateTime");
    }

    /// <summary>Local midnight, in <paramref name="zone"/>, of the date written in Graph's dateTime (its zone label ignored).</summary>
    private static DateTimeOffset? ToLocalMidnight(DateTimeTimeZoneWire? value, TimeZoneInfo zone)
    {
        if (value?.DateTime is not { Length: > 0 } text)
        {
            return null;
        }

        if (!DateTime.TryParseExact(text, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            && !DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out local))
        {
            throw Malformed("unreadable dateTime");
        }

        return TimeZones.ToInstant(zone, local.Date, AmbiguousTime.Earlier);
    }

    public static GraphModels.DateTimeTimeZone ToGraphDateTime(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var graphName = ZoneNames.GraphNameOf(zone);
        if (graphName is null)
        {
            // A zone without a Windows name (e.g. one built from a customTimeZone) cannot be named to Graph;
            // the instant is what matters, so send it in UTC.
            return new GraphModels.DateTimeTimeZone
            {
                DateTime = instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
                TimeZone = "UTC",
            };
        }

        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return new GraphModels.DateTimeTimeZone
        {
            DateTime = local.DateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
            TimeZone = graphName,
        };
    }

    public static string ToQueryInstant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Fallback code: the mailbox's zone name could not be resolved.</summary>
    public const string UnknownMailboxZone = "time-zone-unknown-mailbox";

    /// <summary>Fallback code: the working hours' zone could not be resolved.</summary>
    public const string UnknownWorkingHoursZone = "time-zone-unknown-working-hours";

    /// <summary>Fallback code: neither zone could be resolved.</summary>
    public const string UnknownZones = "time-zone-unknown-mailbox-and-working-hours";

    /// <summary>
    /// mailboxSettings' zone and working hours. A missing zone reads as UTC, missing hours as Outlook's default
    /// (Mon–Fri 08:00–17:00). A zone name we cannot resolve (e.g. "Customized Time Zone" without its rules) does not fail
    /// the profile: an unknown working-hours zone takes the mailbox's zone; an unknown mailbox zone takes the working
    /// hours' zone when that one is known, else UTC; <see cref="MailboxProfile.ZoneFallback"/> says which rule was used
    /// (docs/graph.md, "Time zones").
    /// </summary>
    public static MailboxProfile ToMailboxProfile(GraphModels.MailboxSettings settings)
    {
        var mailboxUnknown = false;
        TimeZoneInfo mailboxZone;
        if (string.IsNullOrWhiteSpace(settings.TimeZone))
        {
            mailboxZone = TimeZoneInfo.Utc;
        }
        else if (TimeZones.TryFindByName(settings.TimeZone, out var found))
        {
            mailboxZone = found;
        }
        else
        {
            mailboxUnknown = true;
            mailboxZone = TryWorkingHoursZone(settings.WorkingHours, out var hoursZone) && hoursZone is not null ? hoursZone : TimeZoneInfo.Utc;
        }

        var hours = ToWorkingHours(settings.WorkingHours, mailboxZone, out var hoursUnknown)
            ?? new WorkingHours(
                new HashSet<DayOfWeek> { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday },
                new TimeOnly(8, 0),
                new TimeOnly(17, 0),
                mailboxZone);
        var fallback = (mailboxUnknown, hoursUnknown) switch
        {
            (true, true) => UnknownZones,
            (true, false) => UnknownMailboxZone,
            (false, true) => UnknownWorkingHoursZone,
            _ => null,
        };
        // Only the locale code: the display name ("Deutsch (Österreich)") is not needed.
        var locale = settings.Language?.Locale;
        return new MailboxProfile(mailboxZone, hours, fallback, string.IsNullOrWhiteSpace(locale) ? null : locale.Trim());
    }

    /// <summary>Working hours; an unresolvable zone is replaced by <paramref name="fallbackZone"/> and reported.</summary>
    public static WorkingHours? ToWorkingHours(GraphModels.WorkingHours? hours, TimeZoneInfo fallbackZone, out bool zoneUnknown)
    {
        zoneUnknown = false;
        if (hours?.StartTime is not { } start || hours.EndTime is not { } end)
        {
            return null;
        }

        var days = (hours.DaysOfWeek ?? [])
            .Where(d => d.HasValue)
            .Select(d => ToDayOfWeek(d!.Value))
            .ToHashSet();
        zoneUnknown = !TryWorkingHoursZone(hours, out var zone);
        return new WorkingHours(days, (TimeOnly)start, (TimeOnly)end, zone ?? fallbackZone);
    }

    /// <summary>
    /// The working hours' own zone: null when they name none; false when they name one we cannot resolve (a name we do
    /// not know, or a customTimeZone we cannot represent).
    /// </summary>
    private static bool TryWorkingHoursZone(GraphModels.WorkingHours? hours, out TimeZoneInfo? zone)
    {
        zone = null;
        switch (hours?.TimeZone)
        {
            case GraphModels.CustomTimeZone custom:
                try
                {
                    zone = TimeZones.Resolve(ToCustomSpec(custom));
                    return true;
                }
                catch (ArgumentException)
                {
                    return false;
                }

            case { Name: { Length: > 0 } name }:
                if (TimeZones.TryFindByName(name, out var found))
                {
                    zone = found;
                    return true;
                }

                return false;
            default:
                return true;
        }
    }

    public static Core.Calendar.CustomTimeZone ToCustomSpec(GraphModels.CustomTimeZone custom) =>
        new(custom.Bias ?? 0, ToTransition(custom.StandardOffset, 0), ToTransition(custom.DaylightOffset, custom.DaylightOffset?.DaylightBias ?? 0));

    /// <summary>
    /// One person's schedule. Nothing about one person can fail the others of the request: working hours in a zone we
    /// cannot resolve are left out (null, <paramref name="zoneUnknown"/> set), item times labelled with an unknown zone
    /// read as UTC (we ask for UTC), and items we cannot read at all make that person's whole window unknown (blocking).
    /// Items are real instants, all-day ones included: Microsoft documents nothing else for getSchedule (scheduleItem has
    /// no isAllDay; docs/graph.md, "All-day events").
    /// </summary>
    public static Schedule ToSchedule(GraphModels.ScheduleInformation info, string requested, Interval window, out bool zoneUnknown)
    {
        zoneUnknown = false;
        var email = string.IsNullOrEmpty(info.ScheduleId) ? requested : info.ScheduleId;
        var unknownWindow = new Schedule(email, [new BusyInterval(window, ShowAs.Unknown)], null);
        if (info.Error is not null)
        {
            // Graph answers an unknown or inaccessible address with an error instead of items. Reading that as
            // "free" could put a block on top of a real meeting, so the whole window shows as unknown (blocking).
            return unknownWindow;
        }

        var items = new List<BusyInterval>();
        try
        {
            foreach (var item in info.ScheduleItems ?? [])
            {
                if (ToInstant(item.Start) is { } start && ToInstant(item.End) is { } end && end >= start)
                {
                    items.Add(new BusyInterval(new Interval(start, end), ToShowAs(item.Status?.ToString())));
                }
            }
        }
        catch (GatewayException)
        {
            return unknownWindow;
        }

        items.Sort((a, b) => a.Interval.Start.CompareTo(b.Interval.Start));
        var hours = ToWorkingHours(info.WorkingHours, TimeZoneInfo.Utc, out zoneUnknown);
        return new Schedule(email, items, zoneUnknown ? null : hours);
    }

    private static ZoneTransition? ToTransition(GraphModels.StandardTimeZoneOffset? offset, int extraBias)
    {
        if (offset is null || offset.Month is null or 0)
        {
            return null;
        }

        var time = offset.Time is { } t ? (TimeOnly)t : TimeOnly.MinValue;
        return new ZoneTransition(
            time,
            offset.Month.Value,
            offset.DayOccurrence ?? 1,
            offset.DayOfWeek is { } day ? ToDayOfWeek(day) : DayOfWeek.Sunday,
            offset.Year ?? 0,
            extraBias);
    }

    private static DayOfWeek ToDayOfWeek(GraphModels.DayOfWeekObject day) => day switch
    {
        GraphModels.DayOfWeekObject.Sunday => DayOfWeek.Sunday,
        GraphModels.DayOfWeekObject.Monday => DayOfWeek.Monday,
        GraphModels.DayOfWeekObject.Tuesday => DayOfWeek.Tuesday,
        GraphModels.DayOfWeekObject.Wednesday => DayOfWeek.Wednesday,
        GraphModels.DayOfWeekObject.Thursday => DayOfWeek.Thursday,
        GraphModels.DayOfWeekObject.Friday => DayOfWeek.Friday,
        GraphModels.DayOfWeekObject.Saturday => DayOfWeek.Saturday,
        _ => throw new ArgumentOutOfRangeException(nameof(day)),
    };

    // Graph's enumeration values by their wire names (the SDK's enum members differ from them only in case), so an
    // event read as JSON and a schedule item read by the SDK share one table; a value Graph adds later is unknown.
    private static bool Is(string? value, string wireName) => string.Equals(value, wireName, StringComparison.OrdinalIgnoreCase);

    /// <summary>https://learn.microsoft.com/graph/api/resources/event, <c>type</c>.</summary>
    private static EventKind ToEventKind(string? type) =>
        Is(type, "occurrence") ? EventKind.Occurrence
        : Is(type, "exception") ? EventKind.Exception
        : Is(type, "seriesMaster") ? EventKind.SeriesMaster
        : EventKind.SingleInstance;

    /// <summary>https://learn.microsoft.com/graph/api/resources/event, <c>showAs</c>, and scheduleItem's <c>status</c>.</summary>
    private static ShowAs ToShowAs(string? status) =>
        Is(status, "free") ? ShowAs.Free
        : Is(status, "tentative") ? ShowAs.Tentative
        : Is(status, "busy") ? ShowAs.Busy
        : Is(status, "oof") ? ShowAs.Oof
        : Is(status, "workingElsewhere") ? ShowAs.WorkingElsewhere
        : ShowAs.Unknown;

    /// <summary>https://learn.microsoft.com/graph/api/resources/attendee, <c>type</c>.</summary>
    private static AttendeeType ToAttendeeType(string? type) =>
        Is(type, "optional") ? AttendeeType.Optional
        : Is(type, "resource") ? AttendeeType.Resource
        : AttendeeType.Required;

    /// <summary>https://learn.microsoft.com/graph/api/resources/responsestatus, <c>response</c>.</summary>
    private static Response ToResponse(string? response) =>
        Is(response, "organizer") ? Response.Organizer
        : Is(response, "tentativelyAccepted") ? Response.TentativelyAccepted
        : Is(response, "accepted") ? Response.Accepted
        : Is(response, "declined") ? Response.Declined
        : Is(response, "notResponded") ? Response.NotResponded
        : Response.None;

    private static GatewayException Malformed(string what) =>
        new(GatewayFailure.Invalid, $"Graph returned a malformed item ({what}).");
}

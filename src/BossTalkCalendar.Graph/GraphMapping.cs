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

    public static Meeting ToMeeting(GraphModels.Event item)
    {
        var id = item.Id ?? throw Malformed("event without id");
        var start = ToInstant(item.Start) ?? throw Malformed("event without start");
        var end = ToInstant(item.End) ?? throw Malformed("event without end");
        var attendees = (item.Attendees ?? [])
            .Where(a => !string.IsNullOrEmpty(a.EmailAddress?.Address))
            .Select(a => new Attendee(a.EmailAddress!.Address!, ToAttendeeType(a.Type), ToResponse(a.Status?.Response)))
            .ToList();

        return new Meeting(
            id,
            item.ICalUId ?? id,
            item.Type switch
            {
                GraphModels.EventType.Occurrence => EventKind.Occurrence,
                GraphModels.EventType.Exception => EventKind.Exception,
                GraphModels.EventType.SeriesMaster => EventKind.SeriesMaster,
                _ => EventKind.SingleInstance,
            },
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
    /// Converts Graph's dateTime (no offset) + timeZone pair to an instant. We ask for UTC with the Prefer header,
    /// but all-day events keep their own zone whatever we ask, so the pair is always read as sent.
    /// </summary>
    public static DateTimeOffset? ToInstant(GraphModels.DateTimeTimeZone? value)
    {
        if (value?.DateTime is not { Length: > 0 } text)
        {
            return null;
        }

        if (DateTime.TryParseExact(text, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return TimeZones.ToInstant(FindZone(value.TimeZone), local, AmbiguousTime.Earlier);
        }

        // Not Graph's documented shape, but an explicit offset or Z is unambiguous.
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var withOffset))
        {
            return withOffset;
        }

        throw Malformed("unreadable dateTime");
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

    /// <summary>mailboxSettings' zone and working hours. A missing zone reads as UTC, missing hours as Outlook's default (Mon–Fri 08:00–17:00).</summary>
    public static MailboxProfile ToMailboxProfile(GraphModels.MailboxSettings settings)
    {
        var mailboxZone = string.IsNullOrWhiteSpace(settings.TimeZone) ? TimeZoneInfo.Utc : FindZone(settings.TimeZone);
        var hours = ToWorkingHours(settings.WorkingHours, mailboxZone)
            ?? new WorkingHours(
                new HashSet<DayOfWeek> { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday },
                new TimeOnly(8, 0),
                new TimeOnly(17, 0),
                mailboxZone);
        return new MailboxProfile(mailboxZone, hours);
    }

    public static WorkingHours? ToWorkingHours(GraphModels.WorkingHours? hours, TimeZoneInfo fallbackZone)
    {
        if (hours?.StartTime is not { } start || hours.EndTime is not { } end)
        {
            return null;
        }

        var days = (hours.DaysOfWeek ?? [])
            .Where(d => d.HasValue)
            .Select(d => ToDayOfWeek(d!.Value))
            .ToHashSet();
        var zone = hours.TimeZone switch
        {
            GraphModels.CustomTimeZone custom => ResolveCustom(custom),
            { Name: { Length: > 0 } name } => FindZone(name),
            _ => fallbackZone,
        };
        return new WorkingHours(days, (TimeOnly)start, (TimeOnly)end, zone);
    }

    public static Core.Calendar.CustomTimeZone ToCustomSpec(GraphModels.CustomTimeZone custom) =>
        new(custom.Bias ?? 0, ToTransition(custom.StandardOffset, 0), ToTransition(custom.DaylightOffset, custom.DaylightOffset?.DaylightBias ?? 0));

    public static Schedule ToSchedule(GraphModels.ScheduleInformation info, string requested, Interval window)
    {
        var email = string.IsNullOrEmpty(info.ScheduleId) ? requested : info.ScheduleId;
        if (info.Error is not null)
        {
            // Graph answers an unknown or inaccessible address with an error instead of items. Reading that as
            // "free" could put a block on top of a real meeting, so the whole window shows as unknown (blocking).
            return new Schedule(email, [new BusyInterval(window, ShowAs.Unknown)], null);
        }

        var items = new List<BusyInterval>();
        foreach (var item in info.ScheduleItems ?? [])
        {
            if (ToInstant(item.Start) is { } start && ToInstant(item.End) is { } end && end >= start)
            {
                items.Add(new BusyInterval(new Interval(start, end), ToShowAs(item.Status)));
            }
        }

        items.Sort((a, b) => a.Interval.Start.CompareTo(b.Interval.Start));
        return new Schedule(email, items, ToWorkingHours(info.WorkingHours, TimeZoneInfo.Utc));
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

    private static TimeZoneInfo ResolveCustom(GraphModels.CustomTimeZone custom)
    {
        try
        {
            return TimeZones.Resolve(ToCustomSpec(custom));
        }
        catch (ArgumentException e)
        {
            throw new GatewayException(GatewayFailure.Invalid, "Graph returned a custom time zone this service cannot represent.", null, e);
        }
    }

    private static TimeZoneInfo FindZone(string? name) =>
        name is not null && TimeZones.TryFindByName(name, out var zone)
            ? zone
            : throw new GatewayException(GatewayFailure.Invalid, $"Graph returned a time zone this service does not know ('{name}').");

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

    private static ShowAs ToShowAs(GraphModels.FreeBusyStatus? status) => status switch
    {
        GraphModels.FreeBusyStatus.Free => ShowAs.Free,
        GraphModels.FreeBusyStatus.Tentative => ShowAs.Tentative,
        GraphModels.FreeBusyStatus.Busy => ShowAs.Busy,
        GraphModels.FreeBusyStatus.Oof => ShowAs.Oof,
        GraphModels.FreeBusyStatus.WorkingElsewhere => ShowAs.WorkingElsewhere,
        _ => ShowAs.Unknown,
    };

    private static AttendeeType ToAttendeeType(GraphModels.AttendeeType? type) => type switch
    {
        GraphModels.AttendeeType.Optional => AttendeeType.Optional,
        GraphModels.AttendeeType.Resource => AttendeeType.Resource,
        _ => AttendeeType.Required,
    };

    private static Response ToResponse(GraphModels.ResponseType? response) => response switch
    {
        GraphModels.ResponseType.Organizer => Response.Organizer,
        GraphModels.ResponseType.TentativelyAccepted => Response.TentativelyAccepted,
        GraphModels.ResponseType.Accepted => Response.Accepted,
        GraphModels.ResponseType.Declined => Response.Declined,
        GraphModels.ResponseType.NotResponded => Response.NotResponded,
        _ => Response.None,
    };

    private static GatewayException Malformed(string what) =>
        new(GatewayFailure.Invalid, $"Graph returned a malformed item ({what}).");
}

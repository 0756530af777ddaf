using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace BossTalkCalendar.GraphSimulator;

internal sealed partial class GraphApi
{
    private const int MaxSchedules = 20;
    private static readonly TimeSpan MaxScheduleWindow = TimeSpan.FromDays(62);

    public GraphResponse GetSchedule(GraphRequest request, RouteMatch match)
    {
        var denied = _tenant.WithLock(() => MailboxOf(request, match, out _));
        if (denied is not null)
        {
            return denied;
        }

        if (PreferredZone(request, out var zone, out var zoneName, out var fromHeader) is { } badZone)
        {
            return badZone;
        }

        List<string> schedules;
        DateTimeOffset start, end;
        int interval;
        try
        {
            var json = request.ReadJsonObject()
                ?? throw new BadRequestException("BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
            schedules = ReadStrings(json, "schedules");
            (start, _) = ReadDateTimeTimeZone(json, "startTime");
            (end, _) = ReadDateTimeTimeZone(json, "endTime");
            interval = ReadInt(json, "availabilityViewInterval") ?? 30;
        }
        catch (BadRequestException ex)
        {
            return Error(request, 400, ex.Code, ex.Message);
        }

        if (schedules.Count == 0)
        {
            return Error(request, 400, "ErrorInvalidParameter", "At least one schedule must be specified.");
        }

        if (schedules.Count > MaxSchedules)
        {
            return Error(request, 400, "ErrorInvalidParameter", $"The number of schedules exceeds the maximum of {MaxSchedules}.");
        }

        if (end <= start)
        {
            return Error(request, 400, "ErrorInvalidParameter", "The end time must be later than the start time.");
        }

        if (end - start >= MaxScheduleWindow)
        {
            return Error(request, 400, "ErrorInvalidParameter", "The requested time period must be less than 62 days.");
        }

        if (interval is < 5 or > 1440)
        {
            return Error(request, 400, "ErrorInvalidParameter", "availabilityViewInterval must be between 5 and 1440 minutes.");
        }

        var value = _tenant.WithLock(() => schedules
            .Select(id => (JsonNode?)ScheduleInformation(id, start, end, interval, zone, zoneName))
            .ToArray());
        var body = new JsonObject
        {
            ["@odata.context"] = request.VersionRoot + "/$metadata#Collection(microsoft.graph.scheduleInformation)",
            ["value"] = new JsonArray(value),
        };
        return WithZoneApplied(new GraphResponse(200, body), fromHeader, zoneName);
    }

    private JsonObject ScheduleInformation(string scheduleId, DateTimeOffset start, DateTimeOffset end, int interval, TimeZoneInfo zone, string zoneName)
    {
        var user = _tenant.FindUserUnlocked(scheduleId);
        if (user is null)
        {
            return new JsonObject
            {
                ["scheduleId"] = scheduleId,
                ["availabilityView"] = "",
                ["scheduleItems"] = new JsonArray(),
                ["error"] = new JsonObject
                {
                    ["message"] = $"Unable to resolve the email address '{scheduleId}'.",
                    ["responseCode"] = "ErrorMailRecipientNotFound",
                },
            };
        }

        // Cancelled meetings free the time; events shown as free are not part of free/busy.
        var items = _tenant.EventsOfUnlocked(user.Id)
            .Where(e => !e.IsCancelled && e.ShowAs != "free" && e.Type != "seriesMaster" && Overlaps(e, start, end))
            .OrderBy(e => e.Start).ThenBy(e => e.End)
            .ToList();

        var slots = (int)Math.Ceiling((end - start).TotalMinutes / interval);
        var view = new StringBuilder(slots);
        for (var i = 0; i < slots; i++)
        {
            var slotStart = start.AddMinutes((double)i * interval);
            var slotEnd = slotStart.AddMinutes(interval);
            var digit = items.Where(e => e.Start < slotEnd && e.End > slotStart).Select(e => AvailabilityDigit(e.ShowAs)).DefaultIfEmpty(0).Max();
            view.Append(digit.ToString(CultureInfo.InvariantCulture));
        }

        var scheduleItems = items.Select(e =>
        {
            // Only normal and personal items show their subject and location to others.
            var hidden = e.Sensitivity is "private" or "confidential";
            var item = new JsonObject { ["isPrivate"] = e.Sensitivity == "private", ["status"] = e.ShowAs };
            if (!hidden)
            {
                item["subject"] = e.Subject;
                item["location"] = "";
            }

            // Real instants, all-day events included: Microsoft documents nothing about all-day items in getSchedule
            // (scheduleItem has no isAllDay), so none of calendarView's midnight relabelling is assumed here
            // (docs/graph.md, "All-day events").
            item["start"] = GraphJson.DateTimeTimeZone(e.Start, zone, zoneName);
            item["end"] = GraphJson.DateTimeTimeZone(e.End, zone, zoneName);
            return (JsonNode?)item;
        }).ToArray();

        return new JsonObject
        {
            ["scheduleId"] = scheduleId,
            ["availabilityView"] = view.ToString(),
            ["scheduleItems"] = new JsonArray(scheduleItems),
            ["workingHours"] = GraphJson.WorkingHours(user),
        };
    }

    // scheduleInformation.availabilityView: 0 free (and workingElsewhere, for backward compatibility), 1 tentative, 2 busy, 3 oof.
    private static int AvailabilityDigit(string showAs) => showAs switch
    {
        "tentative" => 1,
        "busy" => 2,
        "oof" => 3,
        _ => 0,
    };
}

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace BossTalkCalendar.GraphSimulator;

/// <summary>
/// calendarView/delta. Every event change takes a tenant-wide sequence number; a round covers the changes in
/// (from, to], where to is the counter when the round began, so paging within a round is stable. Pages follow the
/// event id (a cursor, not an offset) so a change during the round cannot skip another event.
/// </summary>
internal sealed partial class GraphApi
{
    public GraphResponse CalendarViewDelta(GraphRequest request, RouteMatch match) => _tenant.WithLock(() =>
    {
        if (MailboxOf(request, match, out var user) is { } denied)
        {
            return denied;
        }

        if (PreferredZone(request, out var zone, out var zoneName, out var fromHeader) is { } badZone)
        {
            return badZone;
        }

        DeltaCursor cursor;
        var skipToken = request.Query.Get("$skiptoken");
        var deltaToken = request.Query.Get("$deltatoken");
        if (skipToken is not null || deltaToken is not null)
        {
            var token = skipToken ?? deltaToken!;
            if (DeltaCursor.Decode(token) is not { } decoded || !string.Equals(decoded.Owner, user.Id, StringComparison.OrdinalIgnoreCase))
            {
                return Error(request, 410, "SyncStateNotFound", "The sync state generation is invalid or has expired; start a new synchronization.");
            }

            cursor = skipToken is null
                ? decoded with { From = decoded.To, To = _tenant.ChangeCounterUnlocked, AfterId = "" }
                : decoded;
        }
        else
        {
            if (Window(request, out var windowStart, out var windowEnd) is { } badWindow)
            {
                return badWindow;
            }

            cursor = new DeltaCursor(user.Id, windowStart, windowEnd, 0, _tenant.ChangeCounterUnlocked, "");
        }

        var pageSize = 10;
        if (request.Preference("odata.maxpagesize") is { } max && int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0)
        {
            pageSize = Math.Min(size, 1000);
        }

        // Pages follow the immutable id (stable); the ids answered follow Prefer: IdType like every other route.
        var immutableIds = WantsImmutableIds(request);
        var entries = new List<(string Id, EventRecord? Event, string AnsweredId)>();
        foreach (var e in _tenant.EventsOfUnlocked(user.Id))
        {
            if (e.Type == "seriesMaster" || e.ChangeSeq <= cursor.From || e.ChangeSeq > cursor.To)
            {
                continue;
            }

            var inWindow = Overlaps(e, cursor.Start, cursor.End);
            if (inWindow)
            {
                entries.Add((e.Id, e, ""));
            }
            else if (cursor.From > 0)
            {
                // Changed events that left the window come as removals, as Graph sends them.
                entries.Add((e.Id, null, immutableIds ? e.Id : e.RestId));
            }
        }

        if (cursor.From > 0)
        {
            entries.AddRange(_tenant.TombstonesUnlocked
                .Where(t => t.ChangeSeq > cursor.From && t.ChangeSeq <= cursor.To && string.Equals(t.OwnerId, user.Id, StringComparison.OrdinalIgnoreCase))
                .Select(t => (t.EventId, (EventRecord?)null, immutableIds || t.RestId.Length == 0 ? t.EventId : t.RestId)));
        }

        var remaining = entries
            .Where(x => string.CompareOrdinal(x.Id, cursor.AfterId) > 0)
            .DistinctBy(x => x.Id)
            .OrderBy(x => x.Id, StringComparer.Ordinal)
            .ToList();
        var page = remaining.Take(pageSize).ToList();
        var value = page.Select(x => (JsonNode?)(x.Event is { } ev
            ? GraphJson.Event(ev, zone, zoneName, immutableIds)
            : new JsonObject { ["@odata.type"] = "#microsoft.graph.event", ["id"] = x.AnsweredId, ["@removed"] = new JsonObject { ["reason"] = "deleted" } })).ToArray();

        var path = request.VersionRoot + "/" + string.Join('/', request.Segments!.Select(Uri.EscapeDataString));
        var body = new JsonObject
        {
            ["@odata.context"] = request.VersionRoot + "/$metadata#Collection(event)",
        };
        if (remaining.Count > page.Count)
        {
            body["@odata.nextLink"] = path + "?$skiptoken=" + (cursor with { AfterId = page[^1].Id }).Encode();
        }
        else
        {
            body["@odata.deltaLink"] = path + "?$deltatoken=" + (cursor with { AfterId = "" }).Encode();
        }

        body["value"] = new JsonArray(value);
        return WithZoneApplied(new GraphResponse(200, body), fromHeader, zoneName);
    });

    private sealed record DeltaCursor(string Owner, DateTimeOffset Start, DateTimeOffset End, long From, long To, string AfterId)
    {
        public string Encode()
        {
            var text = string.Join('\n', Owner, Start.UtcTicks.ToString(CultureInfo.InvariantCulture), End.UtcTicks.ToString(CultureInfo.InvariantCulture),
                From.ToString(CultureInfo.InvariantCulture), To.ToString(CultureInfo.InvariantCulture), AfterId);
            return Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        }

        public static DeltaCursor? Decode(string token)
        {
            try
            {
                var base64 = token.Replace('-', '+').Replace('_', '/');
                base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
                var parts = Encoding.UTF8.GetString(Convert.FromBase64String(base64)).Split('\n');
                if (parts.Length != 6)
                {
                    return null;
                }

                var ic = CultureInfo.InvariantCulture;
                return new DeltaCursor(
                    parts[0],
                    new DateTimeOffset(long.Parse(parts[1], ic), TimeSpan.Zero),
                    new DateTimeOffset(long.Parse(parts[2], ic), TimeSpan.Zero),
                    long.Parse(parts[3], ic),
                    long.Parse(parts[4], ic),
                    parts[5]);
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
            {
                return null;
            }
        }
    }
}

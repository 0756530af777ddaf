using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;

namespace BossTalkCalendar.Graph;

/// <summary>
/// The Graph gateway's instruments: requests by route template and status, 429s, and request duration, plus one
/// span per request. Routes are templates (<c>users/{id}/calendarView</c>), never the raw path, so no user or
/// event id reaches a metric or trace.
/// </summary>
public static class GraphMetrics
{
    /// <summary>Name of the <see cref="Meter"/> and <see cref="ActivitySource"/> to subscribe to.</summary>
    public const string Name = "BossTalkCalendar.Graph";

    /// <summary>Counter of Graph responses, tagged <c>route</c> and <c>status</c> (HTTP code, or "error").</summary>
    public const string RequestsInstrument = "bosstalk.graph.requests";

    /// <summary>Counter of 429 responses, tagged <c>route</c>.</summary>
    public const string ThrottledInstrument = "bosstalk.graph.throttled";

    /// <summary>Histogram of request duration in seconds, tagged <c>route</c> and <c>status</c>.</summary>
    public const string DurationInstrument = "bosstalk.graph.request.duration";

    internal static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(RequestsInstrument, "{request}", "Graph requests by route template and status.");
    private static readonly Counter<long> Throttled = Meter.CreateCounter<long>(ThrottledInstrument, "{request}", "Graph responses 429 Too Many Requests.");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(DurationInstrument, "s", "Graph request duration on the wire.");

    // Path segments that are part of Graph's API shape; anything else is an id (user, event, message) and is
    // replaced, so the set errs towards hiding.
    private static readonly HashSet<string> Literals = new(StringComparer.OrdinalIgnoreCase)
    {
        "users", "me", "manager", "directReports", "mailboxSettings", "calendar", "calendars", "calendarView", "delta",
        "events", "instances", "getSchedule", "$batch", "$count", "attachments", "extensions", "singleValueExtendedProperties",
        "cancel", "decline", "accept", "tentativelyAccept", "findMeetingTimes",
    };

    /// <summary>The route template of a Graph URL: version segment dropped, ids replaced by <c>{id}</c>.</summary>
    public static string RouteOf(Uri? uri)
    {
        if (uri is null)
        {
            return "unknown";
        }

        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var parts = new List<string>(segments.Length);
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = Uri.UnescapeDataString(segments[i]);
            if (i == 0 && segment is "v1.0" or "beta")
            {
                continue;
            }

            // Graph's function-call syntax, e.g. microsoft.graph.delta() or calendarView/delta().
            var bare = segment.EndsWith("()", StringComparison.Ordinal) ? segment[..^2] : segment;
            bare = bare.StartsWith("microsoft.graph.", StringComparison.OrdinalIgnoreCase) ? bare["microsoft.graph.".Length..] : bare;
            parts.Add(Literals.TryGetValue(bare, out var literal) ? literal : "{id}");
        }

        return parts.Count == 0 ? "/" : string.Join('/', parts);
    }

    internal static Activity? StartRequest(HttpMethod method, string route)
    {
        var activity = Source.StartActivity($"Graph {method.Method} {route}", ActivityKind.Client);
        activity?.SetTag("http.request.method", method.Method);
        activity?.SetTag("graph.route", route);
        return activity;
    }

    internal static void Record(string route, HttpStatusCode? status, TimeSpan elapsed)
    {
        var code = status is { } s ? ((int)s).ToString(System.Globalization.CultureInfo.InvariantCulture) : "error";
        var tags = new TagList { { "route", route }, { "status", code } };
        Requests.Add(1, tags);
        Duration.Record(elapsed.TotalSeconds, tags);
        if (status == HttpStatusCode.TooManyRequests)
        {
            Throttled.Add(1, new KeyValuePair<string, object?>("route", route));
        }
    }
}

/// <summary>
/// Innermost in the Graph pipeline, so it counts what actually goes on the wire (each attempt of a retried 503 too,
/// as Graph would count it) and times Graph's answer without our own throttle waits.
/// </summary>
internal sealed class GraphMetricsHandler(TimeProvider timeProvider) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var route = GraphMetrics.RouteOf(request.RequestUri);
        using var activity = GraphMetrics.StartRequest(request.Method, route);
        var started = timeProvider.GetTimestamp();
        HttpStatusCode? status = null;
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            status = response.StatusCode;
            activity?.SetTag("http.response.status_code", (int)response.StatusCode);
            if (!response.IsSuccessStatusCode)
            {
                activity?.SetStatus(ActivityStatusCode.Error);
            }

            return response;
        }
        catch (Exception ex) when (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
        finally
        {
            GraphMetrics.Record(route, status, timeProvider.GetElapsedTime(started));
        }
    }
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace BossTalkCalendar.GraphSimulator;

internal sealed class GraphResponse
{
    public GraphResponse(int status, JsonNode? body = null)
    {
        Status = status;
        Body = body;
    }

    public int Status { get; }

    public JsonNode? Body { get; }

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A body that is not JSON (an HTML error page), written as is with <see cref="RawContentType"/>.</summary>
    public string? RawBody { get; private init; }

    public string? RawContentType { get; private init; }

    /// <summary>Set when the handler changed state: the answer waits until that change is on disk.</summary>
    public bool Mutated { get; init; }

    public GraphResponse WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }

    /// <summary>
    /// An HTML error page as a proxy or front door in front of Graph answers it, instead of Graph's JSON error
    /// (observed: msgraph-sdk-dotnet issues 2407, 2803 and 3009, https://github.com/microsoftgraph/msgraph-sdk-dotnet/issues/3009).
    /// </summary>
    public static GraphResponse Html(int status, string reason) => new(status)
    {
        RawContentType = "text/html",
        RawBody = $"<!DOCTYPE html><html><head><title>{status} {reason}</title></head><body><h1>{status} {reason}</h1><hr><p>The server encountered a temporary error and could not complete your request.</p></body></html>",
    };

    /// <summary>Graph's error body: {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}.</summary>
    public static GraphResponse Error(GraphRequest request, DateTimeOffset now, int status, string code, string message)
    {
        var body = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["innerError"] = new JsonObject
                {
                    ["date"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
                    ["request-id"] = request.RequestId,
                    ["client-request-id"] = request.ClientRequestId,
                },
            },
        };
        return new GraphResponse(status, body);
    }
}

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

    /// <summary>Set when the handler changed state: the answer waits until that change is on disk.</summary>
    public bool Mutated { get; init; }

    public GraphResponse WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }

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

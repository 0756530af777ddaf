using System.Text.Json;
using System.Text.Json.Nodes;

namespace BossTalkCalendar.GraphSimulator;

/// <summary>
/// JSON batching: each item goes through the router like a request of its own (counted, throttled, possibly 429).
/// Items without dependsOn run in parallel; with dependsOn the batch runs in order and a failed dependency gives 424.
/// </summary>
internal sealed partial class GraphApi
{
    private const int MaxBatchRequests = 20;

    public async Task<GraphResponse> BatchAsync(GraphRequest request, RouteMatch match, CancellationToken cancellationToken)
    {
        List<BatchItem> items;
        try
        {
            items = ParseBatch(request);
        }
        catch (BadRequestException ex)
        {
            return Error(request, 400, ex.Code, ex.Message);
        }

        var results = new Dictionary<string, GraphResponse>(StringComparer.Ordinal);
        if (items.All(i => i.DependsOn.Count == 0))
        {
            var responses = await Task.WhenAll(items.Select(i => _router.DispatchAsync(i.Request, cancellationToken)));
            for (var i = 0; i < items.Count; i++)
            {
                results[items[i].Id] = responses[i];
            }
        }
        else
        {
            foreach (var item in items)
            {
                var failed = item.DependsOn.FirstOrDefault(d => !results.TryGetValue(d, out var r) || r.Status >= 400);
                results[item.Id] = failed is null
                    ? await _router.DispatchAsync(item.Request, cancellationToken)
                    : Error(item.Request, 424, "FailedDependency", $"The dependent request '{failed}' failed.");
            }
        }

        var array = new JsonArray(items.Select(i => (JsonNode?)BatchResponse(i.Id, results[i.Id])).ToArray());
        return new GraphResponse(200, new JsonObject { ["responses"] = array });
    }

    private static JsonObject BatchResponse(string id, GraphResponse response)
    {
        var headers = new JsonObject();
        if (response.RawBody is not null)
        {
            headers["Content-Type"] = response.RawContentType;
        }
        else if (response.Body is not null)
        {
            headers["Content-Type"] = GraphHttp.JsonContentType;
        }

        foreach (var (name, value) in response.Headers)
        {
            headers[name] = value;
        }

        return new JsonObject
        {
            ["id"] = id,
            ["status"] = response.Status,
            ["headers"] = headers,
            ["body"] = response.RawBody is { } raw ? JsonValue.Create(raw) : response.Body?.DeepClone(),
        };
    }

    private static List<BatchItem> ParseBatch(GraphRequest request)
    {
        var json = request.ReadJsonObject();
        if (json?["requests"] is not JsonArray requests)
        {
            throw new BadRequestException("BadRequest", "Invalid batch payload format.");
        }

        if (requests.Count > MaxBatchRequests)
        {
            throw new BadRequestException("BadRequest", $"The number of batch requests exceeds the maximum of {MaxBatchRequests}.");
        }

        var items = new List<BatchItem>();
        foreach (var node in requests)
        {
            if (node is not JsonObject item)
            {
                throw new BadRequestException("BadRequest", "Invalid batch payload format.");
            }

            var id = item["id"] is JsonValue idValue ? idValue.ToString() : null;
            var method = ReadString(item, "method");
            var url = ReadString(item, "url");
            if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(method) || string.IsNullOrEmpty(url))
            {
                throw new BadRequestException("BadRequest", "Each batch request needs an id, a method and a url.");
            }

            if (items.Any(i => i.Id == id))
            {
                throw new BadRequestException("BadRequest", $"Batch request id '{id}' is not unique.");
            }

            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (item["headers"] is JsonObject headerObject)
            {
                foreach (var (name, value) in headerObject)
                {
                    headers[name] = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value?.ToJsonString() ?? "";
                }
            }

            var body = item["body"] is { } bodyNode ? JsonSerializer.SerializeToUtf8Bytes(bodyNode) : [];
            var dependsOn = item["dependsOn"] is JsonArray deps ? deps.Select(d => d?.ToString() ?? "").ToList() : [];
            if (dependsOn.Any(d => items.All(i => i.Id != d)))
            {
                throw new BadRequestException("BadRequest", "dependsOn must name an earlier request of the batch.");
            }

            var (path, query) = SplitBatchUrl(url);
            items.Add(new BatchItem(id, dependsOn, new GraphRequest
            {
                Method = method.ToUpperInvariant(),
                Segments = GraphRequest.SplitPath(path),
                Query = QueryParameters.Parse(query),
                Headers = headers,
                Body = body,
                Origin = request.Origin,
                RequestId = Guid.NewGuid().ToString(),
            }));
        }

        return items;
    }

    /// <summary>Batch urls are relative to the version ("/users/x/events"); absolute Graph urls are taken apart too.</summary>
    private static (string Path, string Query) SplitBatchUrl(string url)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            return (absolute.AbsolutePath, absolute.Query);
        }

        var q = url.IndexOf('?', StringComparison.Ordinal);
        var path = q < 0 ? url : url[..q];
        var query = q < 0 ? "" : url[q..];
        path = "/" + path.TrimStart('/');
        if (!path.StartsWith("/v1.0/", StringComparison.OrdinalIgnoreCase))
        {
            path = "/v1.0" + path;
        }

        return (path, query);
    }

    private sealed record BatchItem(string Id, List<string> DependsOn, GraphRequest Request);
}

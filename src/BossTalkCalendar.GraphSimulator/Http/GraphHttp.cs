using System.Text.Encodings.Web;
using System.Text.Json;

namespace BossTalkCalendar.GraphSimulator;

/// <summary>Turns ASP.NET Core's HttpContext into a <see cref="GraphRequest"/> and writes the answer back.</summary>
internal static class GraphHttp
{
    public const string JsonContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

    private const int MaxBodyBytes = 4 * 1024 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<GraphRequest?> ReadAsync(HttpContext context)
    {
        var http = context.Request;
        var body = Array.Empty<byte>();
        if (http.ContentLength is > MaxBodyBytes)
        {
            return null;
        }

        if (http.ContentLength is > 0 || http.Headers.TransferEncoding.Count > 0)
        {
            using var buffer = new MemoryStream();
            await http.Body.CopyToAsync(buffer, context.RequestAborted);
            if (buffer.Length > MaxBodyBytes)
            {
                return null;
            }

            body = buffer.ToArray();
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in http.Headers)
        {
            headers[header.Key] = header.Value.ToString();
        }

        var rawTarget = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        var rawPath = rawTarget is null ? (http.PathBase + http.Path).ToString() : rawTarget.Split('?')[0];
        return new GraphRequest
        {
            Method = http.Method.ToUpperInvariant(),
            Segments = GraphRequest.SplitPath(rawPath),
            Query = QueryParameters.Parse(http.QueryString.Value),
            Headers = headers,
            Body = body,
            Origin = http.Scheme + "://" + http.Host.Value,
            RequestId = Guid.NewGuid().ToString(),
        };
    }

    public static async Task WriteAsync(HttpContext context, GraphRequest request, GraphResponse response)
    {
        var http = context.Response;
        http.StatusCode = response.Status;
        http.Headers["request-id"] = request.RequestId;
        http.Headers["client-request-id"] = request.ClientRequestId;
        foreach (var (name, value) in response.Headers)
        {
            http.Headers[name] = value;
        }

        if (response.RawBody is { } raw)
        {
            http.ContentType = response.RawContentType ?? "text/plain";
            await http.WriteAsync(raw, context.RequestAborted);
            return;
        }

        if (response.Body is null)
        {
            return;
        }

        http.ContentType = JsonContentType;
        await using var writer = new Utf8JsonWriter(http.Body, WriterOptions);
        response.Body.WriteTo(writer);
        await writer.FlushAsync(context.RequestAborted);
    }
}

using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace BossTalkCalendar.Graph;

/// <summary>
/// Puts our preferences on every request that leaves the process, nextLink pages and retries included:
/// <c>outlook.timezone="UTC"</c> (times in UTC) and <c>IdType="ImmutableId"</c> (ids that survive a move between folders).
/// </summary>
/// <remarks>
/// <para>Immutable ids: "This header only applies to the request it is included with. If you want to always use
/// immutable IDs, you must include this header with every API request" (https://learn.microsoft.com/graph/outlook-immutable-id).</para>
/// <para>Following @odata.nextLink does not carry request headers, so a per-request header would be lost on later pages
/// (docs/graph.md, "Prefer on nextLink pages"). Both preferences travel in one header as a comma-separated list, which
/// RFC 7240 section 2 defines as equivalent to several Prefer headers (https://www.rfc-editor.org/rfc/rfc7240#section-2).</para>
/// </remarks>
internal sealed class GraphPreferHandler : DelegatingHandler
{
    public const string HeaderName = "Prefer";

    public const string Value = "outlook.timezone=\"UTC\", IdType=\"ImmutableId\"";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove(HeaderName);
        request.Headers.TryAddWithoutValidation(HeaderName, Value);
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>
/// Turns an answer whose body is not JSON into a JSON error the SDK can read, keeping the status and headers (Retry-After).
/// </summary>
/// <remarks>
/// Proxies and front doors in front of Graph sometimes answer 5xx with a <c>text/html</c> page. The Kiota-based SDK then
/// throws <see cref="InvalidOperationException"/> ("Content type text/html does not have a factory registered to be
/// parsed") instead of an ApiException with the status, so nothing could tell a passing outage from a bug
/// (https://github.com/microsoftgraph/msgraph-sdk-dotnet/issues/2407, /issues/2803, /issues/3009). Here the status stays,
/// so a 5xx maps to Transient and a 429 to Throttled with its Retry-After like any other. A success status with a body
/// that is not JSON cannot be one of Graph's answers to our requests either; it becomes 502 (transient), which is safe
/// to retry because every write we make is idempotent (docs/graph.md, "HTML error bodies").
/// </remarks>
internal sealed class GraphResponseBodyHandler : DelegatingHandler
{
    /// <summary>The error code we put in the JSON that replaces a body that was not JSON.</summary>
    public const string NonJsonBodyCode = "nonJsonResponseBody";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (IsJson(mediaType) || response.StatusCode == HttpStatusCode.NoContent)
        {
            return response;
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (bytes.Length == 0)
        {
            // An empty body is readable: the SDK raises an ApiException with the status (or returns nothing for a 2xx).
            response.Content.Dispose();
            response.Content = new ByteArrayContent([]);
            return response;
        }

        var originalStatus = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            response.StatusCode = HttpStatusCode.BadGateway;
        }

        // The page itself is never kept or logged: only its media type and the status it came with.
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"Graph answered {originalStatus} with a body of type '{mediaType ?? "none"}' instead of JSON.");
        var json = JsonSerializer.Serialize(new { error = new { code = NonJsonBodyCode, message } });
        response.Content.Dispose();
        response.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return response;
    }

    private static bool IsJson(string? mediaType) =>
        mediaType is not null
        && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
}

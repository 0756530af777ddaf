using System.Globalization;
using System.Net;
using BossTalkCalendar.Core.Graph;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;

namespace BossTalkCalendar.Graph;

/// <summary>
/// Turns SDK and transport failures into <see cref="GatewayException"/>. Messages name the operation, the
/// status and Graph's error code only — never Graph's message text, which can quote addresses or content.
/// </summary>
internal static class GraphErrors
{
    /// <summary>Graph's code for an item (event) that is not in the mailbox.</summary>
    public const string ItemNotFound = "ErrorItemNotFound";

    /// <summary>
    /// 400: the transactionId of a POST /events already created a different event ("The TransactionId specified in the
    /// request has already been used to create a different event"); see docs/graph.md, "transactionId".
    /// </summary>
    public const string DuplicateTransactionId = "ErrorDuplicateTransactionId";

    public static bool TryMap(
        Exception exception,
        string operation,
        TimeProvider timeProvider,
        CancellationToken cancellationToken,
        out GatewayException mapped)
    {
        switch (exception)
        {
            case GatewayException gateway:
                mapped = gateway;
                return true;
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                mapped = null!;
                return false;
            case ApiException api:
                mapped = FromStatus(api, operation, timeProvider);
                return true;
            case AggregateException aggregate when aggregate.InnerExceptions.OfType<ApiException>().LastOrDefault() is { } last:
                // The SDK's retry handler gave up; its last attempt says what the server thinks now.
                mapped = FromStatus(last, operation, timeProvider);
                return true;
            case HttpRequestException:
                mapped = new GatewayException(GatewayFailure.Transient, $"Graph {operation}: connection failed.", null, exception);
                return true;
            case TimeoutException or OperationCanceledException:
                mapped = new GatewayException(GatewayFailure.Transient, $"Graph {operation}: timed out.", null, exception);
                return true;
            case IOException:
                mapped = new GatewayException(GatewayFailure.Transient, $"Graph {operation}: the connection broke.", null, exception);
                return true;
            case System.Text.Json.JsonException:
                // A truncated or garbled body: the answer was lost on the way, not refused.
                mapped = new GatewayException(GatewayFailure.Transient, $"Graph {operation}: unreadable answer.", null, exception);
                return true;
            case InvalidOperationException when exception.Message.Contains("does not have a factory registered", StringComparison.Ordinal):
                // Kiota's failure on a body that is not JSON; GraphResponseBodyHandler normally prevents it
                // (https://github.com/microsoftgraph/msgraph-sdk-dotnet/issues/2407).
                mapped = new GatewayException(GatewayFailure.Transient, $"Graph {operation}: the answer was not JSON.", null, exception);
                return true;
            default:
                mapped = null!;
                return false;
        }
    }

    public static string? CodeOf(Exception exception) => (exception as ODataError)?.Error?.Code;

    private static GatewayException FromStatus(ApiException api, string operation, TimeProvider timeProvider)
    {
        var status = api.ResponseStatusCode;
        var code = CodeOf(api);
        var retryAfter = RetryAfter(api.ResponseHeaders, timeProvider);
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"Graph {operation} answered {status}{(code is null ? "" : " " + code)}.");

        var failure = status switch
        {
            // Observed as 400; some clients report 409, so the code decides.
            (int)HttpStatusCode.BadRequest or (int)HttpStatusCode.Conflict when code is DuplicateTransactionId => GatewayFailure.DuplicateTransaction,
            (int)HttpStatusCode.TooManyRequests => GatewayFailure.Throttled,
            (int)HttpStatusCode.Forbidden or (int)HttpStatusCode.Unauthorized => GatewayFailure.Forbidden,
            (int)HttpStatusCode.NotFound => GatewayFailure.NotFound,
            (int)HttpStatusCode.RequestTimeout => GatewayFailure.Transient,
            >= 500 => GatewayFailure.Transient,
            // A 404-like answer to a mailbox that is not (yet) on Exchange Online.
            _ when code is "MailboxNotEnabledForRESTAPI" => GatewayFailure.NotFound,
            _ => GatewayFailure.Invalid,
        };
        return new GatewayException(failure, message, failure is GatewayFailure.Throttled or GatewayFailure.Transient ? retryAfter : null, api);
    }

    /// <summary>Retry-After in seconds or as an HTTP date (relative to the injected clock).</summary>
    internal static TimeSpan? RetryAfter(IDictionary<string, IEnumerable<string>>? headers, TimeProvider timeProvider)
    {
        var value = headers?
            .FirstOrDefault(h => string.Equals(h.Key, "Retry-After", StringComparison.OrdinalIgnoreCase))
            .Value?.FirstOrDefault();
        return ParseRetryAfter(value, timeProvider);
    }

    internal static TimeSpan? ParseRetryAfter(string? value, TimeProvider timeProvider)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParseExact(value.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            var wait = at - timeProvider.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using BossTalkCalendar.Api.Observability;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BossTalkCalendar.Api.Notifications;

/// <summary>
/// <c>POST /notifications/graph</c>, where Graph sends change and lifecycle notifications (docs/graph.md, "Change
/// notifications"). Anonymous by nature: the HTTP side is here (the validation handshake, size and shape of the body,
/// the limit per client address); what the notifications mean is <see cref="NotificationReceiver"/>'s. The answer
/// comes within Graph's 3 seconds because the work is queued.
/// </summary>
public static class NotificationEndpoints
{
    /// <summary>A collection of notifications is small; Graph batches at most a few hundred.</summary>
    private const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Graph's validation tokens are short; anything far longer is not Graph.</summary>
    private const int MaxValidationTokenLength = 1024;

    public static IEndpointConventionBuilder MapGraphNotifications(this WebApplication app) =>
        app.MapPost(NotificationOptions.EndpointPath, ReceiveAsync).AllowAnonymous().ExcludeFromDescription();

    private static async Task<Results<Accepted, ContentHttpResult, BadRequest, StatusCodeHttpResult>> ReceiveAsync(
        HttpContext context,
        NotificationReceiver receiver,
        NotificationAbuseLimit limit,
        NotificationMetrics metrics,
        CancellationToken cancellationToken)
    {
        var client = NotificationAbuseLimit.ClientOf(context);
        if (!limit.Allows(client, out var retryAfter))
        {
            metrics.Rejected("rate-limited");
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return TypedResults.StatusCode(StatusCodes.Status429TooManyRequests);
        }

        // The validation handshake: echo the token as plain text (never as HTML, and never sniffed as anything else),
        // within 10 seconds.
        if (context.Request.Query.TryGetValue("validationToken", out var token))
        {
            var text = token.ToString();
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return text.Length is > 0 and <= MaxValidationTokenLength
                ? TypedResults.Text(text, "text/plain", Encoding.UTF8)
                : TypedResults.BadRequest();
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return Rejected(StatusCodes.Status413PayloadTooLarge, "too-large");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = MaxBodyBytes;
        }

        List<GraphNotification> notifications;
        try
        {
            notifications = await GraphNotification.ReadAsync(context.Request.Body, cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or BadHttpRequestException or InvalidOperationException)
        {
            return Rejected(StatusCodes.Status400BadRequest, "malformed");
        }

        if (notifications.Count == 0)
        {
            // Graph never sends an empty collection; answered as before, but it counts against the sender.
            Rejected(StatusCodes.Status202Accepted, "empty");
            return TypedResults.Accepted((string?)null);
        }

        var outcome = await receiver.ReceiveAsync(notifications, cancellationToken);
        limit.Charge(client, outcome.Forged);
        return outcome.Queued ? TypedResults.Accepted((string?)null) : TypedResults.StatusCode(StatusCodes.Status503ServiceUnavailable);

        StatusCodeHttpResult Rejected(int status, string reason)
        {
            metrics.Rejected(reason);
            limit.Charge(client, 1);
            return TypedResults.StatusCode(status);
        }
    }
}

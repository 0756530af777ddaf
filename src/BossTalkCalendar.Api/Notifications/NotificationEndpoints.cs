using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BossTalkCalendar.Api.Persistence;
using Hangfire;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Api.Notifications;

/// <summary>
/// <c>POST /notifications/graph</c>, where Graph sends change and lifecycle notifications (docs/graph.md, "Change
/// notifications"). Anonymous by nature: what makes a notification Graph's is the subscription's secret clientState,
/// compared in constant time. The answer comes within Graph's 3 seconds because all it does is a few database
/// statements; the work is a queued job. A forged notification (unknown subscription or wrong secret) and a replay
/// (a change already seen) cost no Graph request.
/// </summary>
public static class NotificationEndpoints
{
    /// <summary>A collection of notifications is small; Graph batches at most a few hundred.</summary>
    private const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Graph's validation tokens are short; anything far longer is not Graph.</summary>
    private const int MaxValidationTokenLength = 1024;

    public static IEndpointConventionBuilder MapGraphNotifications(this WebApplication app) =>
        app.MapPost(NotificationOptions.EndpointPath, ReceiveAsync).AllowAnonymous().ExcludeFromDescription();

    private static async Task<IResult> ReceiveAsync(
        HttpContext context,
        IDbContextFactory<BossTalkDbContext> contexts,
        UserRescans rescans,
        CalendarSubscriptions subscriptionUpkeep,
        IBackgroundJobClient jobs,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        // The validation handshake: echo the token as plain text (never as HTML), within 10 seconds.
        if (context.Request.Query.TryGetValue("validationToken", out var token))
        {
            var text = token.ToString();
            return text.Length is > 0 and <= MaxValidationTokenLength
                ? Results.Text(text, "text/plain", Encoding.UTF8)
                : Results.BadRequest();
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = MaxBodyBytes;
        }

        List<Notification> notifications;
        try
        {
            notifications = await Notification.ReadAsync(context.Request.Body, cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or BadHttpRequestException or InvalidOperationException)
        {
            return Results.BadRequest();
        }

        var logger = loggers.CreateLogger(typeof(NotificationEndpoints));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = notifications.Select(n => n.SubscriptionId).Distinct(StringComparer.Ordinal).ToList();
        var subscriptions = await db.CalendarSubscriptions.AsNoTracking()
            .Where(c => c.SubscriptionId != null && ids.Contains(c.SubscriptionId))
            .ToDictionaryAsync(c => c.SubscriptionId!, StringComparer.Ordinal, cancellationToken);

        var ignored = 0;
        var recorded = new List<string>();
        // Users to rescan, each with the one event that asked for it (null: several, or a lifecycle notification).
        var rescan = new Dictionary<(string TenantId, string UserId), string?>();
        void Rescan((string, string) user, string? eventId) =>
            rescan[user] = rescan.TryGetValue(user, out var asked) && asked != eventId ? null : eventId;

        var renew = new List<string>();
        foreach (var notification in notifications)
        {
            if (!subscriptions.TryGetValue(notification.SubscriptionId, out var subscription) || !SameSecret(subscription.ClientState, notification.ClientState))
            {
                ignored++;
                continue;
            }

            var user = (subscription.TenantId, subscription.UserId);
            switch (notification.LifecycleEvent)
            {
                case "reauthorizationRequired":
                    renew.Add(subscription.UserId);
                    break;
                case "subscriptionRemoved":
                    await subscriptionUpkeep.ForgetAsync(notification.SubscriptionId, cancellationToken);
                    renew.Add(subscription.UserId);
                    Rescan(user, null);
                    break;
                case "missed":
                    Rescan(user, null);
                    break;
                case null when !await IsOursAsync(db, subscription, notification, cancellationToken) && await FirstTimeAsync(db, notification, time, cancellationToken) is { } fingerprint:
                    recorded.Add(fingerprint);
                    Rescan(user, notification.ResourceId);
                    break;
                case null:
                    ignored++;
                    break;
            }
        }

        try
        {
            if (renew.Count > 0)
            {
                var users = renew.ToArray();
                jobs.Enqueue<CalendarSubscriptions>(job => job.RunAsync(users, CancellationToken.None));
            }

            foreach (var ((tenantId, userId), eventId) in rescan)
            {
                await rescans.RequestAsync(tenantId, userId, eventId, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The work could not be queued (the job store is overloaded): forget that these were seen, so Graph's
            // retry of this very collection is acted on instead of being taken for a replay.
            await db.NotificationReceipts.Where(r => recorded.Contains(r.Fingerprint)).ExecuteDeleteAsync(CancellationToken.None);
            logger.NotificationsNotQueued(ex.GetType().Name);
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        if (ignored > 0)
        {
            logger.NotificationsIgnored(ignored);
        }

        return Results.Accepted();
    }

    private static bool SameSecret(string expected, string? received) =>
        received is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(received));

    /// <summary>A change to a block we placed ourselves tells us nothing new (reconciliation looks after those).</summary>
    private static Task<bool> IsOursAsync(BossTalkDbContext db, CalendarSubscription subscription, Notification notification, CancellationToken cancellationToken) =>
        notification.ResourceId is { } eventId
            ? db.Nudges.AnyAsync(n => n.TenantId == subscription.TenantId && n.UserId == subscription.UserId && n.CreatedEventId == eventId, cancellationToken)
            : Task.FromResult(false);

    /// <summary>
    /// Records the notification's fingerprint (subscription, change, event and its version) and returns it; null when it
    /// was seen before, so a replayed notification starts nothing.
    /// </summary>
    private static async Task<string?> FirstTimeAsync(BossTalkDbContext db, Notification notification, TimeProvider time, CancellationToken cancellationToken)
    {
        var text = string.Join('\n', notification.SubscriptionId, notification.ChangeType, notification.ResourceId, notification.ETag);
        var fingerprint = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        db.NotificationReceipts.Add(new NotificationReceipt { Fingerprint = fingerprint, ReceivedAtUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds() });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return fingerprint;
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return null;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>One item of a changeNotificationCollection: only the fields we act on (never resource data beyond the id).</summary>
    private sealed record Notification(string SubscriptionId, string? ClientState, string? LifecycleEvent, string? ChangeType, string? ResourceId, string? ETag)
    {
        public static async Task<List<Notification>> ReadAsync(Stream body, CancellationToken cancellationToken)
        {
            using var document = await JsonDocument.ParseAsync(body, new JsonDocumentOptions { MaxDepth = 16 }, cancellationToken);
            if (!document.RootElement.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidOperationException("Not a notification collection.");
            }

            var items = new List<Notification>();
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || Text(item, "subscriptionId") is not { Length: > 0 and <= 128 } subscriptionId)
                {
                    continue;
                }

                var data = item.TryGetProperty("resourceData", out var resourceData) && resourceData.ValueKind == JsonValueKind.Object ? resourceData : default;
                items.Add(new Notification(
                    subscriptionId,
                    Text(item, "clientState"),
                    Text(item, "lifecycleEvent"),
                    Text(item, "changeType"),
                    data.ValueKind == JsonValueKind.Object ? Text(data, "id") : null,
                    data.ValueKind == JsonValueKind.Object ? Text(data, "@odata.etag") : null));
            }

            return items;
        }

        private static string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String ? property.GetString() : null;
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Observability;
using BossTalkCalendar.Api.Persistence;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Notifications;

/// <summary>
/// Acts on one delivery of Graph change and lifecycle notifications (docs/graph.md, "Change notifications"): what
/// makes a notification Graph's is the subscription's secret clientState, compared in constant time. A forged
/// notification (unknown subscription or wrong secret), a replay (a change already seen) and a change to a block of
/// our own cost no Graph request, except that a block of ours Graph says was deleted is checked a little later
/// (<see cref="NotificationOptions.OwnBlockCheckDelay"/>). All it does is a few database statements; the work is queued.
/// </summary>
public sealed class NotificationReceiver(
    IDbContextFactory<BossTalkDbContext> contexts,
    UserRescans rescans,
    CalendarSubscriptions subscriptionUpkeep,
    NotificationReceipts receipts,
    NudgeStore nudges,
    IBackgroundJobClient jobs,
    IOptions<NotificationOptions> options,
    NotificationMetrics metrics,
    ILogger<NotificationReceiver> logger)
{
    /// <summary>What a delivery came to.</summary>
    /// <param name="Queued">False when the work could not be queued (answer 503, so that Graph delivers again).</param>
    /// <param name="Forged">Notifications that are not Graph's: unknown subscription or wrong clientState.</param>
    public readonly record struct Outcome(bool Queued, int Forged);

    public async Task<Outcome> ReceiveAsync(IReadOnlyList<GraphNotification> notifications, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = notifications.Select(n => n.SubscriptionId).Distinct(StringComparer.Ordinal).ToList();
        var subscriptions = await db.CalendarSubscriptions.AsNoTracking()
            .Where(c => c.SubscriptionId != null && ids.Contains(c.SubscriptionId))
            .ToDictionaryAsync(c => c.SubscriptionId!, StringComparer.Ordinal, cancellationToken);

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        void Count(string outcome) => counts[outcome] = counts.GetValueOrDefault(outcome) + 1;

        var recorded = new List<string>();
        var deletedBlocks = new List<Guid>();
        // Users to rescan, each with the one event that asked for it (null: several, or a lifecycle notification), the
        // events that changed, and whether the rescan is due at once whatever they were (lifecycle: changes were lost).
        var rescan = new Dictionary<(string TenantId, string UserId), (string? EventId, HashSet<string> Changed, bool AtOnce)>();
        void Rescan((string, string) user, string? eventId, bool atOnce)
        {
            var (asked, changed, wasAtOnce) = rescan.TryGetValue(user, out var entry) ? entry : (eventId, new HashSet<string>(StringComparer.Ordinal), false);
            if (eventId is not null)
            {
                changed.Add(eventId);
            }

            rescan[user] = (asked == eventId ? eventId : null, changed, wasAtOnce || atOnce || eventId is null);
        }

        var renew = new List<string>();
        foreach (var notification in notifications)
        {
            if (!subscriptions.TryGetValue(notification.SubscriptionId, out var subscription))
            {
                Count(Outcomes.UnknownSubscription);
                continue;
            }

            if (!SameSecret(subscription.ClientState, notification.ClientState))
            {
                Count(Outcomes.WrongClientState);
                continue;
            }

            var user = (subscription.TenantId, subscription.UserId);
            switch (notification.LifecycleEvent)
            {
                case "reauthorizationRequired":
                    renew.Add(subscription.UserId);
                    Count(Outcomes.Lifecycle);
                    break;
                case "subscriptionRemoved":
                    await subscriptionUpkeep.ForgetAsync(notification.SubscriptionId, cancellationToken);
                    renew.Add(subscription.UserId);
                    Rescan(user, null, atOnce: true);
                    Count(Outcomes.Lifecycle);
                    break;
                case "missed":
                    // Changes were lost, and any of them could matter soon.
                    Rescan(user, null, atOnce: true);
                    Count(Outcomes.Lifecycle);
                    break;
                case null when await OwnBlockAsync(db, subscription, notification, cancellationToken) is { } block:
                    // Only a deletion can be the user's: our own create is notified as created and then updated.
                    if (block.State == NudgeState.Placed && notification.ChangeType == "deleted")
                    {
                        deletedBlocks.Add(block.NudgeId);
                    }

                    Count(Outcomes.OwnBlock);
                    break;
                case null when await receipts.FirstTimeAsync(db, notification.SubscriptionId, notification.ChangeType, notification.ResourceId, notification.ETag, cancellationToken) is { } fingerprint:
                    recorded.Add(fingerprint);
                    Rescan(user, notification.ResourceId, atOnce: false);
                    Count(Outcomes.Change);
                    break;
                case null:
                    Count(Outcomes.Replay);
                    break;
                default:
                    // A lifecycle event we do not act on; Graph's, so not counted as forged.
                    Count(Outcomes.Lifecycle);
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

            if (deletedBlocks.Count > 0)
            {
                var blocks = deletedBlocks.ToArray();
                jobs.Schedule<ReconcileJob>(job => job.CheckPlacedAsync(blocks, CancellationToken.None), options.Value.OwnBlockCheckDelay);
            }

            foreach (var ((tenantId, userId), (eventId, changed, atOnce)) in rescan)
            {
                // Inside the try: a failed read forgets the receipts, so Graph's retry is acted on, not taken for a replay.
                var soon = atOnce || await nudges.IsFollowedAsync(tenantId, userId, changed, cancellationToken);
                await rescans.RequestAsync(tenantId, userId, eventId, soon, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The work could not be queued (the job store is overloaded): forget that these were seen, so Graph's
            // retry of this very collection is acted on instead of being taken for a replay.
            await receipts.ForgetAsync(db, recorded);
            logger.NotificationsNotQueued(ex.GetType().Name);
            return new Outcome(Queued: false, Forged: 0);
        }

        foreach (var (outcome, count) in counts)
        {
            metrics.Received(outcome, count);
        }

        var forged = counts.GetValueOrDefault(Outcomes.UnknownSubscription) + counts.GetValueOrDefault(Outcomes.WrongClientState);
        var ignored = forged + counts.GetValueOrDefault(Outcomes.Replay) + counts.GetValueOrDefault(Outcomes.OwnBlock);
        if (ignored > 0)
        {
            // Debug: anyone can post here, so an Information line per forged post would let them fill the logs.
            logger.NotificationsIgnored(forged, counts.GetValueOrDefault(Outcomes.Replay), counts.GetValueOrDefault(Outcomes.OwnBlock));
        }

        return new Outcome(Queued: true, forged);
    }

    private static bool SameSecret(string expected, string? received) =>
        received is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(received));

    /// <summary>The nudge whose block this notification is about, when it is a block we placed ourselves.</summary>
    private static async Task<(Guid NudgeId, NudgeState State)?> OwnBlockAsync(
        BossTalkDbContext db, CalendarSubscription subscription, GraphNotification notification, CancellationToken cancellationToken)
    {
        if (notification.ResourceId is not { } eventId)
        {
            return null;
        }

        var nudge = await db.Nudges.AsNoTracking()
            .Where(n => n.TenantId == subscription.TenantId && n.UserId == subscription.UserId && n.CreatedEventId == eventId)
            .Select(n => new { n.Id, n.State })
            .FirstOrDefaultAsync(cancellationToken);
        return nudge is null ? null : (nudge.Id, nudge.State);
    }

    /// <summary>The <c>outcome</c> tag values of <see cref="NotificationMetrics.NotificationsInstrument"/>.</summary>
    public static class Outcomes
    {
        public const string Change = "change";
        public const string Lifecycle = "lifecycle";
        public const string Replay = "replay";
        public const string OwnBlock = "own-block";
        public const string UnknownSubscription = "unknown-subscription";
        public const string WrongClientState = "wrong-client-state";
    }
}

/// <summary>One item of a changeNotificationCollection: only the fields we act on (never resource data beyond the id).</summary>
public sealed record GraphNotification(string SubscriptionId, string? ClientState, string? LifecycleEvent, string? ChangeType, string? ResourceId, string? ETag)
{
    /// <summary>Reads a collection; items without a usable subscriptionId are left out. Throws on anything else.</summary>
    public static async Task<List<GraphNotification>> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(body, new JsonDocumentOptions { MaxDepth = 16 }, cancellationToken);
        if (!document.RootElement.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidOperationException("Not a notification collection.");
        }

        var items = new List<GraphNotification>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || Text(item, "subscriptionId") is not { Length: > 0 and <= 128 } subscriptionId)
            {
                continue;
            }

            var data = item.TryGetProperty("resourceData", out var resourceData) && resourceData.ValueKind == JsonValueKind.Object ? resourceData : default;
            items.Add(new GraphNotification(
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

using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace BossTalkCalendar.GraphSimulator;

/// <summary>A live subscription on <c>users/{id}/events</c>, as Graph keeps it.</summary>
public sealed record SimSubscription(
    string Id,
    string UserId,
    string Resource,
    string ChangeType,
    Uri NotificationUrl,
    Uri? LifecycleNotificationUrl,
    string? ClientState,
    DateTimeOffset ExpirationDateTime);

/// <summary>What happened to the notifications the hub tried to send (for tests and the benchmark).</summary>
public sealed class NotificationCounters
{
    private long _delivered;
    private long _dropped;
    private long _failed;
    private long _validations;

    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Dropped on purpose (<see cref="SimulatorOptions.NotificationDropRate"/>).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The endpoint answered something other than 2xx every time, or did not answer.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public long Validations => Interlocked.Read(ref _validations);

    internal void CountDelivered() => Interlocked.Increment(ref _delivered);

    internal void CountDropped() => Interlocked.Increment(ref _dropped);

    internal void CountFailed() => Interlocked.Increment(ref _failed);

    internal void CountValidation() => Interlocked.Increment(ref _validations);
}

/// <summary>
/// Graph's change notifications for Outlook events, as documented (docs/graph.md, "Change notifications"): a
/// subscription on <c>users/{id}/events</c> lives at most 10,080 minutes; creating it (and each lifecycle URL) is
/// validated by a POST with <c>?validationToken=</c> that must be echoed as text/plain with 200 within 10 seconds;
/// every created/updated/deleted event copy of that user is then POSTed to the notification URL as a
/// changeNotificationCollection carrying the subscription's clientState, and lifecycle notifications
/// (reauthorizationRequired, subscriptionRemoved, missed) go to the lifecycle URL. Delivery is over real HTTP, to the
/// service's public https URL mapped onto its loopback address (<see cref="SimulatorOptions.NotificationIngress"/>, the
/// TLS-terminating proxy a deployment has in front of it).
/// </summary>
public sealed class SubscriptionHub : IAsyncDisposable
{
    /// <summary>Outlook resources (message, event, contact): at most 10,080 minutes (under 7 days).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(10_080);

    /// <summary>Graph waits this long for the validation answer.</summary>
    public static readonly TimeSpan ValidationTimeout = TimeSpan.FromSeconds(10);

    private readonly SimulatedTenant _tenant;
    private readonly SimulatorOptions _options;
    private readonly Lock _httpGate = new();
    private readonly List<HttpClient> _clients = [];
    private HttpMessageHandler? _handler;
    private HttpClient? _http;
    private readonly ConcurrentDictionary<string, SimSubscription> _subscriptions = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _randomGate = new();
    private readonly Random _random;

    internal SubscriptionHub(SimulatedTenant tenant, SimulatorOptions options)
    {
        _tenant = tenant;
        _options = options;
        _random = new Random(options.RandomSeed + 7);
        tenant.EventsChanged += OnEventsChanged;
    }

    public NotificationCounters Counters { get; } = new();

    public IReadOnlyList<SimSubscription> All => [.. _subscriptions.Values.Where(s => s.ExpirationDateTime > _tenant.Now())];

    /// <summary>Waits until every notification sent so far has been delivered, dropped or given up on.</summary>
    public async Task IdleAsync()
    {
        while (!_inFlight.IsEmpty)
        {
            await Task.WhenAll(_inFlight.Keys);
        }
    }

    /// <summary>Sends a lifecycle notification (reauthorizationRequired, subscriptionRemoved or missed) as Graph would.</summary>
    public Task SendLifecycleAsync(string subscriptionId, string lifecycleEvent)
    {
        if (!_subscriptions.TryGetValue(subscriptionId, out var subscription))
        {
            throw new KeyNotFoundException($"No subscription '{subscriptionId}'.");
        }

        if (lifecycleEvent == "subscriptionRemoved")
        {
            _subscriptions.TryRemove(subscriptionId, out _);
        }

        var target = subscription.LifecycleNotificationUrl ?? subscription.NotificationUrl;
        var item = new JsonObject
        {
            ["subscriptionId"] = subscription.Id,
            ["subscriptionExpirationDateTime"] = subscription.ExpirationDateTime.ToString("o"),
            ["tenantId"] = _tenant.TenantId,
            ["clientState"] = subscription.ClientState,
            ["lifecycleEvent"] = lifecycleEvent,
        };
        return Track(DeliverAsync(target, item, applyDrops: false));
    }

    /// <summary>Removes the subscription the way Graph does when it drops one, telling the lifecycle URL.</summary>
    public Task RemoveAsync(string subscriptionId) => SendLifecycleAsync(subscriptionId, "subscriptionRemoved");

    public async ValueTask DisposeAsync()
    {
        _tenant.EventsChanged -= OnEventsChanged;
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_inFlight.Keys);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        foreach (var client in _clients)
        {
            client.Dispose();
        }

        _stopping.Dispose();
    }

    internal async Task<(SimSubscription? Subscription, string? Error)> CreateAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var changeType = body["changeType"]?.GetValue<string>();
        var resource = body["resource"]?.GetValue<string>();
        var notificationUrl = body["notificationUrl"]?.GetValue<string>();
        var lifecycleUrl = body["lifecycleNotificationUrl"]?.GetValue<string>();
        var clientState = body["clientState"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(changeType) || string.IsNullOrWhiteSpace(resource) || string.IsNullOrWhiteSpace(notificationUrl))
        {
            return (null, "changeType, notificationUrl and resource are required.");
        }

        if (changeType.Split(',').Any(t => t.Trim() is not ("created" or "updated" or "deleted")))
        {
            return (null, "Invalid changeType: " + changeType);
        }

        if (clientState is { Length: > 128 })
        {
            return (null, "clientState can be at most 128 characters.");
        }

        if (!TryHttps(notificationUrl, out var notify) || (lifecycleUrl is not null && !TryHttps(lifecycleUrl, out _)))
        {
            return (null, "The notification URL must use https.");
        }

        var userId = UserOfResource(resource);
        if (userId is null)
        {
            return (null, "Unsupported resource: " + resource);
        }

        if (ExpirationError(body, out var expiration) is { } error)
        {
            return (null, error);
        }

        foreach (var url in new[] { notify, lifecycleUrl is null ? null : new Uri(lifecycleUrl) }.OfType<Uri>().Distinct())
        {
            if (!await ValidateAsync(url, cancellationToken))
            {
                return (null, "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.");
            }
        }

        var subscription = new SimSubscription(
            Guid.NewGuid().ToString(), userId, resource, changeType, notify, lifecycleUrl is null ? null : new Uri(lifecycleUrl), clientState, expiration);
        _subscriptions[subscription.Id] = subscription;
        return (subscription, null);
    }

    internal SimSubscription? Find(string id) =>
        _subscriptions.TryGetValue(id, out var subscription) && subscription.ExpirationDateTime > _tenant.Now() ? subscription : null;

    internal (SimSubscription? Subscription, string? Error) Renew(string id, JsonObject body)
    {
        if (Find(id) is not { } subscription)
        {
            return (null, null);
        }

        if (ExpirationError(body, out var expiration) is { } error)
        {
            return (subscription, error);
        }

        var renewed = subscription with { ExpirationDateTime = expiration };
        _subscriptions[id] = renewed;
        return (renewed, null);
    }

    internal bool Delete(string id) => Find(id) is not null && _subscriptions.TryRemove(id, out _);

    internal static JsonObject Json(SimSubscription subscription, string versionRoot) => new()
    {
        ["@odata.context"] = versionRoot + "/$metadata#subscriptions/$entity",
        ["id"] = subscription.Id,
        ["resource"] = subscription.Resource,
        ["changeType"] = subscription.ChangeType,
        ["notificationUrl"] = subscription.NotificationUrl.ToString(),
        ["lifecycleNotificationUrl"] = subscription.LifecycleNotificationUrl?.ToString(),
        ["clientState"] = subscription.ClientState,
        ["expirationDateTime"] = subscription.ExpirationDateTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        ["applicationId"] = "00000000-0000-0000-0000-0000000b055e",
    };

    private string? ExpirationError(JsonObject body, out DateTimeOffset expiration)
    {
        expiration = default;
        var text = body["expirationDateTime"]?.GetValue<string>();
        if (text is null || !DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out expiration))
        {
            return "expirationDateTime is required.";
        }

        var now = _tenant.Now();
        if (expiration <= now)
        {
            return "Subscription expiration must be in the future.";
        }

        return expiration > now + MaxLifetime
            ? $"Subscription expiration can only be {(int)MaxLifetime.TotalMinutes} minutes in the future."
            : null;
    }

    private string? UserOfResource(string resource)
    {
        var segments = resource.Trim('/').Split('/');
        if (segments.Length != 3 || !segments[0].Equals("users", StringComparison.OrdinalIgnoreCase) || !segments[2].Equals("events", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return _tenant.FindUser(segments[1])?.Id;
    }

    private static bool TryHttps(string text, out Uri url) =>
        Uri.TryCreate(text, UriKind.Absolute, out url!) && url.Scheme == Uri.UriSchemeHttps;

    /// <summary>
    /// Follows <see cref="SimulatorOptions.NotificationHandler"/>, so a test can point it at a host started after the
    /// simulator, or at the host that replaced a stopped one.
    /// </summary>
    private HttpClient Http
    {
        get
        {
            lock (_httpGate)
            {
                var handler = _options.NotificationHandler;
                if (_http is null || !ReferenceEquals(handler, _handler))
                {
                    _handler = handler;
                    _http = handler is null
                        ? new HttpClient { Timeout = ValidationTimeout }
                        : new HttpClient(handler, disposeHandler: false) { Timeout = ValidationTimeout };
                    _clients.Add(_http);
                }

                return _http;
            }
        }
    }

    private Uri Ingress(Uri url) =>
        _options.NotificationIngress is { } ingress ? new Uri(ingress, url.PathAndQuery) : url;

    private async Task<bool> ValidateAsync(Uri url, CancellationToken cancellationToken)
    {
        Counters.CountValidation();
        var token = "Validation: Testing client application reachability for subscription Request-Id: " + Guid.NewGuid();
        var target = new UriBuilder(Ingress(url)) { Query = (url.Query.Length > 1 ? url.Query[1..] + "&" : "") + "validationToken=" + Uri.EscapeDataString(token) }.Uri;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new StringContent("", Encoding.UTF8, "text/plain") };
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
            timeout.CancelAfter(ValidationTimeout);
            using var response = await Http.SendAsync(request, timeout.Token);
            var echoed = await response.Content.ReadAsStringAsync(timeout.Token);
            return response.StatusCode == HttpStatusCode.OK
                && response.Content.Headers.ContentType?.MediaType == "text/plain"
                && echoed == token;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }

    private void OnEventsChanged(IReadOnlyList<EventChange> changes)
    {
        var now = _tenant.Now();
        foreach (var change in changes)
        {
            foreach (var subscription in _subscriptions.Values)
            {
                if (subscription.ExpirationDateTime <= now
                    || !string.Equals(subscription.UserId, change.OwnerId, StringComparison.OrdinalIgnoreCase)
                    || !subscription.ChangeType.Contains(change.ChangeType, StringComparison.Ordinal))
                {
                    continue;
                }

                var resource = $"Users/{subscription.UserId}/Events/{change.EventId}";
                var data = new JsonObject
                {
                    ["@odata.type"] = "#Microsoft.Graph.Event",
                    ["@odata.id"] = resource,
                    ["id"] = change.EventId,
                };
                if (change.ChangeKey is { } etag)
                {
                    data["@odata.etag"] = $"W/\"{etag}\"";
                }

                var item = new JsonObject
                {
                    ["subscriptionId"] = subscription.Id,
                    ["subscriptionExpirationDateTime"] = subscription.ExpirationDateTime.ToString("o"),
                    ["changeType"] = change.ChangeType,
                    ["resource"] = resource,
                    ["resourceData"] = data,
                    ["clientState"] = subscription.ClientState,
                    ["tenantId"] = _tenant.TenantId,
                };
                Track(DeliverAsync(subscription.NotificationUrl, item, applyDrops: true));
            }
        }
    }

    private Task Track(Task delivery)
    {
        _inFlight[delivery] = 0;
        _ = delivery.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
        return delivery;
    }

    /// <summary>
    /// One notification, after the configured delay; dropped on demand; on a non-2xx answer or none, tried again with
    /// growing waits (1 s doubling, at most a minute) for <see cref="SimulatorOptions.NotificationRetryWindow"/>, as Graph
    /// retries for up to 4 hours (docs/graph.md, "Change notifications").
    /// </summary>
    private async Task DeliverAsync(Uri url, JsonObject item, bool applyDrops)
    {
        await Task.Yield();
        if (applyDrops && Roll(_options.NotificationDropRate))
        {
            Counters.CountDropped();
            return;
        }

        try
        {
            if (_options.NotificationDelay > TimeSpan.Zero)
            {
                await Task.Delay(_options.NotificationDelay, _stopping.Token);
            }

            var body = new JsonObject { ["value"] = new JsonArray(item) }.ToJsonString();
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var wait = TimeSpan.FromSeconds(1);
            while (true)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, Ingress(url)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                    using var response = await Http.SendAsync(request, _stopping.Token);
                    if ((int)response.StatusCode is >= 200 and < 300)
                    {
                        Counters.CountDelivered();
                        return;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or ObjectDisposedException or InvalidOperationException
                    || (ex is TaskCanceledException && !_stopping.IsCancellationRequested))
                {
                    // Not reachable, stopped, or slower than Graph waits: tried again below.
                }

                if (System.Diagnostics.Stopwatch.GetElapsedTime(started) + wait > _options.NotificationRetryWindow)
                {
                    Counters.CountFailed();
                    return;
                }

                await Task.Delay(wait, _stopping.Token);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // the simulator is stopping
        }
    }

    private bool Roll(double rate)
    {
        if (rate <= 0)
        {
            return false;
        }

        lock (_randomGate)
        {
            return _random.NextDouble() < rate;
        }
    }
}

namespace BossTalkCalendar.GraphSimulator;

internal delegate Task<GraphResponse> GraphHandler(GraphRequest request, RouteMatch match, CancellationToken cancellationToken);

/// <summary>Which route a request hit. <see cref="UserSegment"/> is the raw user segment for mailbox (Outlook) routes.</summary>
internal sealed record RouteMatch(string Template, string? UserSegment, bool IsMailboxRoute, string? ItemId, GraphHandler? Handler);

/// <summary>
/// Routes every request — from HTTP or from a $batch item — through the same pipeline: app-wide rate limit, per-mailbox
/// concurrency limit, injected latency and failures, the handler, the request log, and persistence of changes.
/// </summary>
internal sealed class GraphRouter
{
    public const string Unmatched = "(unmatched)";

    private readonly SimulatedTenant _tenant;
    private readonly SimulatorOptions _options;
    private readonly StatePersister? _persister;
    private readonly GraphApi _api;
    private readonly TokenBucket _rateLimiter = new();
    private readonly MailboxGate _mailboxes = new();
    private readonly Lock _randomGate = new();
    private readonly Random _random;

    public GraphRouter(SimulatedTenant tenant, SimulatorOptions options, StatePersister? persister, SubscriptionHub subscriptions)
    {
        _tenant = tenant;
        _options = options;
        _persister = persister;
        _random = new Random(options.RandomSeed);
        _api = new GraphApi(tenant, options, this, subscriptions);
    }

    public async Task<GraphResponse> DispatchAsync(GraphRequest request, CancellationToken cancellationToken)
    {
        var match = Match(request);
        // The user a /users/{id}/... route names (directory routes too), as the tenant spells the id, for the log.
        var user = match.UserSegment is { } segment && match.Template.StartsWith("/users/", StringComparison.Ordinal)
            ? _tenant.WithLock(() => _tenant.FindUserUnlocked(segment)?.Id)
            : null;
        var mailbox = match.IsMailboxRoute && match.UserSegment is { } mailboxSegment
            ? user ?? mailboxSegment.ToUpperInvariant()
            : null;

        GraphResponse response;
        try
        {
            response = await ProcessAsync(request, match, mailbox, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            response = GraphResponse.Error(request, _tenant.Now(), 500, "generalException", "The simulator failed: " + ex.GetType().Name);
        }

        _tenant.RequestLog.Record(request.Method.ToUpperInvariant(), match.Template, response.Status, user);
        return response;
    }

    private async Task<GraphResponse> ProcessAsync(GraphRequest request, RouteMatch match, string? mailbox, CancellationToken cancellationToken)
    {
        if (!_rateLimiter.TryTake(_options.RequestsPerSecond, _options.TimeProvider, out var wait))
        {
            return GraphResponse.Error(request, _tenant.Now(), 429, "TooManyRequests", "Please retry again later.")
                .WithHeader("Retry-After", RetryAfterSeconds(wait));
        }

        if (mailbox is null)
        {
            return await RunAsync(request, match, cancellationToken);
        }

        var limit = _options.MailboxConcurrencyLimit;
        if (!_mailboxes.TryEnter(mailbox, limit, out var inFlight))
        {
            _tenant.RequestLog.RecordConcurrency(mailbox, inFlight);
            return GraphResponse.Error(request, _tenant.Now(), 429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.")
                .WithHeader("Retry-After", "1");
        }

        _tenant.RequestLog.RecordConcurrency(mailbox, inFlight);
        try
        {
            return await RunAsync(request, match, cancellationToken);
        }
        finally
        {
            _mailboxes.Exit(mailbox);
        }
    }

    private async Task<GraphResponse> RunAsync(GraphRequest request, RouteMatch match, CancellationToken cancellationToken)
    {
        var (delay, fail, htmlStatus) = Dice();
        if (delay > TimeSpan.Zero)
        {
            // Latency is wall-clock on purpose: it simulates the network, not the tenant's calendar time.
            await Task.Delay(delay, cancellationToken);
        }

        if (fail)
        {
            return GraphResponse.Error(request, _tenant.Now(), 503, "serviceNotAvailable", "The service is temporarily unavailable. Please retry later.")
                .WithHeader("Retry-After", "1");
        }

        if (htmlStatus != 0)
        {
            return GraphResponse.Html(htmlStatus, htmlStatus == 502 ? "Bad Gateway" : "Service Unavailable");
        }

        if (match.Handler is null)
        {
            return match.Template == Unmatched
                ? GraphResponse.Error(request, _tenant.Now(), 404, "UnknownError", "Resource not found for the segment '" + string.Join('/', request.Segments ?? []) + "'.")
                : GraphResponse.Error(request, _tenant.Now(), 405, "Request_BadRequest", $"The HTTP method '{request.Method}' is not allowed on this resource.");
        }

        var response = await match.Handler(request, match, cancellationToken);
        if (response.Mutated && _persister is not null)
        {
            await _persister.WaitPersistedAsync(_tenant.Version, cancellationToken);
        }

        return response;
    }

    private (TimeSpan Delay, bool Fail, int HtmlStatus) Dice()
    {
        var delay = _options.AddedLatency;
        lock (_randomGate)
        {
            if (_options.LatencySpikeRate > 0 && _random.NextDouble() < _options.LatencySpikeRate)
            {
                delay += _options.LatencySpike;
            }

            var fail = _options.FailureRate > 0 && _random.NextDouble() < _options.FailureRate;
            // Dice are only thrown for the failure modes that are on, so a seed gives the same run as before they existed.
            var html = !fail && _options.HtmlErrorRate > 0 && _random.NextDouble() < _options.HtmlErrorRate
                ? (_random.Next(2) == 0 ? 502 : 503)
                : 0;
            return (delay, fail, html);
        }
    }

    /// <summary>
    /// Whether the answer to this top-level request is lost after the change was made (<see cref="SimulatorOptions.LostResponseRate"/>):
    /// only successful writes, never a <c>$batch</c> envelope (its items are changes of their own), and not getSchedule,
    /// a read that happens to be a POST (nothing was changed, so nothing can be lost after a change).
    /// </summary>
    public bool LoseResponse(GraphRequest request, GraphResponse response)
    {
        if (_options.LostResponseRate <= 0
            || response.Status >= 400
            || request.Method is not ("POST" or "PATCH" or "DELETE")
            || request.Segments is not { Count: > 0 } segments
            || Is(segments[0], "$batch")
            || Is(segments[^1], "getSchedule"))
        {
            return false;
        }

        lock (_randomGate)
        {
            return _random.NextDouble() < _options.LostResponseRate;
        }
    }

    private static string RetryAfterSeconds(TimeSpan wait) =>
        Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private RouteMatch Match(GraphRequest request)
    {
        var s = request.Segments;
        var method = request.Method.ToUpperInvariant();
        if (s is null || s.Count == 0)
        {
            return new RouteMatch(Unmatched, null, false, null, null);
        }

        if (s.Count == 1 && Is(s[0], "$batch"))
        {
            return Route("/$batch", null, false, null, method, ("POST", _api.BatchAsync));
        }

        if (Is(s[0], "subscriptions") && s.Count <= 2)
        {
            return s.Count == 1
                ? Route("/subscriptions", null, false, null, method, ("POST", _api.CreateSubscriptionAsync))
                : Route("/subscriptions/{id}", null, false, s[1], method, ("GET", Sync(_api.GetSubscription)), ("PATCH", Sync(_api.RenewSubscription)), ("DELETE", Sync(_api.DeleteSubscription)));
        }

        if (MatchDirectoryApps(s, method) is { } apps)
        {
            return apps;
        }

        if (!Is(s[0], "users"))
        {
            return new RouteMatch(Unmatched, null, false, null, null);
        }

        if (s.Count == 1)
        {
            return Route("/users", null, false, null, method, ("GET", Sync(_api.ListUsers)));
        }

        var user = s[1];
        var rest = s.Skip(2).ToList();
        if (rest.Count == 0)
        {
            return Route("/users/{id}", user, false, null, method, ("GET", Sync(_api.GetUser)));
        }

        if (rest.Count == 1 && Is(rest[0], "manager"))
        {
            return Route("/users/{id}/manager", user, false, null, method, ("GET", Sync(_api.GetManager)));
        }

        if (rest.Count == 1 && Is(rest[0], "directReports"))
        {
            return Route("/users/{id}/directReports", user, false, null, method, ("GET", Sync(_api.GetDirectReports)));
        }

        if (Is(rest[0], "mailboxSettings") && rest.Count <= 2)
        {
            var part = rest.Count == 2 ? rest[1] : null;
            if (part is null || Is(part, "workingHours") || Is(part, "timeZone"))
            {
                var template = "/users/{id}/mailboxSettings" + (part is null ? "" : "/" + (Is(part, "timeZone") ? "timeZone" : "workingHours"));
                return Route(template, user, true, part, method, ("GET", Sync(_api.GetMailboxSettings)));
            }
        }

        var prefix = "/users/{id}";
        if (Is(rest[0], "calendar") && rest.Count >= 2)
        {
            prefix += "/calendar";
            rest.RemoveAt(0);
            if (rest.Count == 1 && (Is(rest[0], "getSchedule") || Is(rest[0], "microsoft.graph.getSchedule")))
            {
                return Route(prefix + "/getSchedule", user, true, null, method, ("POST", Sync(_api.GetSchedule)));
            }
        }

        if (Is(rest[0], "calendarView"))
        {
            if (rest.Count == 1)
            {
                return Route(prefix + "/calendarView", user, true, null, method, ("GET", Sync(_api.CalendarView)));
            }

            if (rest.Count == 2 && (Is(rest[1], "delta") || Is(rest[1], "microsoft.graph.delta")))
            {
                return Route(prefix + "/calendarView/delta", user, true, null, method, ("GET", Sync(_api.CalendarViewDelta)));
            }
        }

        if (Is(rest[0], "events"))
        {
            if (rest.Count == 1)
            {
                return Route(prefix + "/events", user, true, null, method, ("GET", Sync(_api.ListEvents)), ("POST", Sync(_api.CreateEvent)));
            }

            if (rest.Count == 2)
            {
                return Route(prefix + "/events/{eventId}", user, true, rest[1], method, ("GET", Sync(_api.GetEvent)), ("DELETE", Sync(_api.DeleteEvent)));
            }
        }

        return new RouteMatch(Unmatched, null, false, null, null);
    }

    /// <summary>
    /// The app registration routes of <c>setup</c>; the key ("id", "appId" or "uniqueName") travels in
    /// <see cref="RouteMatch.UserSegment"/> and its value in <see cref="RouteMatch.ItemId"/>.
    /// </summary>
    private RouteMatch? MatchDirectoryApps(IReadOnlyList<string> s, string method)
    {
        if (s.Count == 1 && GraphApi.TryAlternateKey(s[0], "applications", out var key, out var value))
        {
            return Route($"/applications({key}=)", key, false, value, method, ("GET", Sync(_api.GetApplication)), ("PATCH", Sync(_api.PatchApplication)));
        }

        if (s.Count == 2 && Is(s[0], "applications"))
        {
            return Route("/applications/{id}", "id", false, s[1], method, ("GET", Sync(_api.GetApplication)), ("PATCH", Sync(_api.PatchApplication)));
        }

        if (s.Count == 1 && GraphApi.TryAlternateKey(s[0], "servicePrincipals", out var spKey, out var spValue) && spKey == "appId")
        {
            return Route("/servicePrincipals(appId=)", spKey, false, spValue, method, ("GET", Sync(_api.GetServicePrincipal)));
        }

        if (s.Count == 1 && Is(s[0], "servicePrincipals"))
        {
            return Route("/servicePrincipals", null, false, null, method, ("POST", Sync(_api.CreateServicePrincipal)));
        }

        return null;
    }

    private static RouteMatch Route(string template, string? user, bool mailbox, string? item, string method, params (string Method, GraphHandler Handler)[] handlers)
    {
        var handler = handlers.FirstOrDefault(h => h.Method == method).Handler;
        return new RouteMatch(template, user, mailbox, item, handler);
    }

    private static GraphHandler Sync(Func<GraphRequest, RouteMatch, GraphResponse> handler) =>
        (request, match, _) => Task.FromResult(handler(request, match));

    private static bool Is(string segment, string name) => segment.Equals(name, StringComparison.OrdinalIgnoreCase);
}

/// <summary>App-wide token bucket; a burst of one second's worth of requests is allowed.</summary>
internal sealed class TokenBucket
{
    private readonly Lock _gate = new();
    private double _tokens;
    private double _rate;
    private long _lastTimestamp;

    public bool TryTake(double requestsPerSecond, TimeProvider clock, out TimeSpan wait)
    {
        wait = TimeSpan.Zero;
        if (requestsPerSecond <= 0)
        {
            return true;
        }

        lock (_gate)
        {
            var now = clock.GetTimestamp();
            var capacity = Math.Max(1, requestsPerSecond);
            if (_rate != requestsPerSecond)
            {
                _rate = requestsPerSecond;
                _tokens = capacity;
                _lastTimestamp = now;
            }

            _tokens = Math.Min(capacity, _tokens + (clock.GetElapsedTime(_lastTimestamp, now).TotalSeconds * _rate));
            _lastTimestamp = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                return true;
            }

            wait = TimeSpan.FromSeconds((1 - _tokens) / _rate);
            return false;
        }
    }
}

/// <summary>Requests admitted per mailbox right now.</summary>
internal sealed class MailboxGate
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _inFlight = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Admits a request unless <paramref name="limit"/> are in flight; <paramref name="inFlight"/> counts this one too.</summary>
    public bool TryEnter(string mailbox, int limit, out int inFlight)
    {
        lock (_gate)
        {
            var current = _inFlight.GetValueOrDefault(mailbox);
            inFlight = current + 1;
            if (limit > 0 && current >= limit)
            {
                return false;
            }

            _inFlight[mailbox] = current + 1;
            return true;
        }
    }

    public void Exit(string mailbox)
    {
        lock (_gate)
        {
            var current = _inFlight.GetValueOrDefault(mailbox) - 1;
            if (current <= 0)
            {
                _inFlight.Remove(mailbox);
            }
            else
            {
                _inFlight[mailbox] = current;
            }
        }
    }
}

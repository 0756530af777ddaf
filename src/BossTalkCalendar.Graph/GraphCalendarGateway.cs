using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Graph;
using BossTalkCalendar.Core.Nudges;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Users.Item.Calendar.GetSchedule;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using GraphModels = Microsoft.Graph.Models;

namespace BossTalkCalendar.Graph;

/// <summary>
/// <see cref="ICalendarGateway"/> over the Microsoft Graph SDK (application permissions). Graph types stay in
/// this class; subjects and bodies of existing events are never requested.
/// </summary>
/// <remarks>
/// <para>Where waiting happens: a 429 is not retried inside the call (the SDK's default would sleep up to
/// minutes on a Hangfire worker). It surfaces at once as <see cref="GatewayFailure.Throttled"/> with Graph's
/// Retry-After, and the job reschedules itself after that delay. A 503/504 is retried once in the call only
/// when Graph asks for at most two seconds; otherwise it surfaces as <see cref="GatewayFailure.Transient"/>
/// with the Retry-After it carried. The only other waits are our own, short and bounded: the per-mailbox
/// concurrency limit and the app-wide request rate (<see cref="GraphOptions"/>).</para>
/// <para>Times and ids: every request, nextLink pages included, carries <c>Prefer: outlook.timezone="UTC",
/// IdType="ImmutableId"</c> (<see cref="GraphPreferHandler"/>). Timed events are read in the zone Graph labels them
/// with; all-day events are read as their dates in the mailbox's own zone, because Graph labels their midnights with
/// the zone we asked for (docs/graph.md, "All-day events").</para>
/// </remarks>
public sealed class GraphCalendarGateway : ICalendarGateway, IDisposable
{
    private const int MaxSchedulesPerRequest = 20;

    /// <summary>The error mapping the SDK's generated request builders pass for every request.</summary>
    private static readonly Dictionary<string, ParsableFactory<IParsable>> ODataErrors = new(StringComparer.Ordinal)
    {
        ["XXX"] = ODataError.CreateFromDiscriminatorValue,
    };

    /// <summary><see cref="GraphMapping.EventFields"/> and <see cref="GraphMapping.OurPropertyExpand"/> as query values.</summary>
    private static readonly string EventSelect = string.Join(',', GraphMapping.EventFields);

    private static readonly string EventExpand = string.Join(',', GraphMapping.OurPropertyExpand.Select(Uri.EscapeDataString));

    /// <summary>Category on every event we create, so people (and we) can tell them apart.</summary>
    public const string EventCategory = "BossTalk";

    private readonly GraphServiceClient _client;
    private readonly HttpClient _http;
    private readonly GraphOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly DirectoryCache<DirectoryEntry> _directory;
    private readonly DirectoryCache<MailboxProfile> _profiles;
    private readonly IDisposable? _ownedCache;

    private GraphCalendarGateway(GraphOptions options, TimeProvider timeProvider, ILogger logger, HybridCache cache, IDisposable? ownedCache)
    {
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        (_client, _http) = GraphClientBuilder.Build(options, timeProvider);
        _directory = new DirectoryCache<DirectoryEntry>(cache, "directory", options.DirectoryCacheDuration);
        _profiles = new DirectoryCache<MailboxProfile>(cache, "mailbox-settings", options.MailboxSettingsCacheDuration);
        _ownedCache = ownedCache;
    }

    /// <summary>
    /// Creates a gateway from options (validated here as at start-up; throws <see cref="OptionsValidationException"/>).
    /// The gateway owns its HTTP pipeline: dispose it when done. Without <paramref name="cache"/> (the host's), it keeps
    /// a cache of its own.
    /// </summary>
    public static GraphCalendarGateway Create(GraphOptions options, TimeProvider timeProvider, ILoggerFactory? loggerFactory = null, HybridCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new GraphOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(GraphOptions), result.Failures);
        }

        IDisposable? ownedCache = null;
        if (cache is null)
        {
            (cache, var owner) = DirectoryCacheServices.CreateLocal(timeProvider);
            ownedCache = owner;
        }

        return new GraphCalendarGateway(
            options,
            timeProvider,
            (ILogger?)loggerFactory?.CreateLogger<GraphCalendarGateway>() ?? NullLogger.Instance,
            cache,
            ownedCache);
    }

    /// <summary>A gateway for a loopback Graph simulator (no credential, no Authorization header).</summary>
    /// <param name="graphBaseUrl">The simulator's Graph root, e.g. http://127.0.0.1:5180/v1.0.</param>
    /// <param name="timeProvider">Clock for Retry-After dates, caches and the rate limiter.</param>
    /// <param name="configure">Adjusts further options (page size, limits) before the gateway is built.</param>
    public static GraphCalendarGateway ForSimulator(Uri graphBaseUrl, TimeProvider timeProvider, Action<GraphOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(graphBaseUrl);
        if (!graphBaseUrl.IsLoopback)
        {
            throw new ArgumentException("A simulator must listen on a loopback address.", nameof(graphBaseUrl));
        }

        var options = new GraphOptions { BaseUrl = graphBaseUrl.AbsoluteUri };
        configure?.Invoke(options);
        return Create(options, timeProvider);
    }

    public async Task<DirectoryUser> GetUserAsync(string userId, CancellationToken cancellationToken) =>
        (await GetDirectoryEntryAsync(userId, cancellationToken).ConfigureAwait(false)).User;

    /// <remarks>A manager that is not a user (an org contact) reads as null, like no manager at all.</remarks>
    public async Task<DirectoryUser?> GetManagerAsync(string userId, CancellationToken cancellationToken) =>
        (await GetDirectoryEntryAsync(userId, cancellationToken).ConfigureAwait(false)).Manager;

    /// <remarks>
    /// The user and their manager in one request (<c>$expand=manager</c>), cached together: every scan needs both
    /// addresses, and asking for them separately would be two of a cold scan's three requests.
    /// </remarks>
    private Task<DirectoryEntry> GetDirectoryEntryAsync(string userId, CancellationToken cancellationToken) =>
        _directory.GetOrAddAsync(userId, ct => CallAsync("get user", async innerCt =>
        {
            var user = await _client.Users[userId].GetAsync(
                rc =>
                {
                    rc.QueryParameters.Select = GraphMapping.UserFields;
                    rc.QueryParameters.Expand = [GraphMapping.ManagerExpand];
                },
                innerCt);
            var owner = GraphMapping.ToDirectoryUser(user)
                ?? throw new GatewayException(GatewayFailure.NotFound, "Graph get user: the user has neither mail nor userPrincipalName.");
            return new DirectoryEntry(owner, GraphMapping.ToDirectoryUser(user?.Manager));
        }, ct), cancellationToken);

    public Task<IReadOnlyList<DirectoryUser>> GetDirectReportsAsync(string managerId, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<DirectoryUser>>("list direct reports", async ct =>
        {
            var reports = new List<DirectoryUser>();
            var builder = _client.Users[managerId].DirectReports;
            var page = await builder.GetAsync(
                rc =>
                {
                    rc.QueryParameters.Select = GraphMapping.UserFields;
                    rc.QueryParameters.Top = _options.PageSize;
                },
                ct);
            while (page is not null)
            {
                reports.AddRange((page.Value ?? []).Select(GraphMapping.ToDirectoryUser).OfType<DirectoryUser>());
                if (string.IsNullOrEmpty(page.OdataNextLink))
                {
                    break;
                }

                page = await builder.WithUrl(page.OdataNextLink).GetAsync(cancellationToken: ct);
            }

            return reports;
        }, cancellationToken);

    /// <remarks>
    /// Each report's manager is <paramref name="managerId"/> (directReports is the inverse of manager:
    /// https://learn.microsoft.com/graph/api/user-list-directreports), so the reports' entries are renewed from this
    /// answer and the manager's own entry: two requests per team instead of one per member. When the manager's entry
    /// cannot be read, nothing is renewed and the reports read their own on their next miss.
    /// </remarks>
    public async Task<IReadOnlyList<DirectoryUser>> RenewTeamAsync(string managerId, CancellationToken cancellationToken)
    {
        var reports = await GetDirectReportsAsync(managerId, cancellationToken).ConfigureAwait(false);
        if (reports.Count == 0)
        {
            return reports;
        }

        DirectoryUser manager;
        try
        {
            manager = await GetUserAsync(managerId, cancellationToken).ConfigureAwait(false);
        }
        catch (GatewayException)
        {
            return reports;
        }

        foreach (var report in reports)
        {
            await _directory.SetAsync(report.Id, new DirectoryEntry(report, manager), cancellationToken).ConfigureAwait(false);
        }

        return reports;
    }

    /// <remarks>
    /// A zone name we cannot resolve does not fail the profile: the fallback rule used is in
    /// <see cref="MailboxProfile.ZoneFallback"/> and logged (the code only, never the zone text).
    /// </remarks>
    public Task<MailboxProfile> GetMailboxProfileAsync(string userId, CancellationToken cancellationToken) =>
        _profiles.GetOrAddAsync(userId, ct => CallAsync("get mailbox settings", async innerCt =>
        {
            var settings = await _client.Users[userId].MailboxSettings.GetAsync(cancellationToken: innerCt)
                ?? throw new GatewayException(GatewayFailure.Invalid, "Graph get mailbox settings returned no body.");
            var profile = GraphMapping.ToMailboxProfile(settings);
            if (profile.ZoneFallback is { } fallback)
            {
                _logger.MailboxZoneFallback(fallback);
            }

            return profile;
        }, ct), cancellationToken);

    /// <summary>
    /// Maps a page of events. The mailbox's zone is fetched (cached) only when the page holds an all-day event, so a
    /// steady-state scan stays one request.
    /// </summary>
    private async Task<IEnumerable<Meeting>> ToMeetingsAsync(string userId, IReadOnlyCollection<EventWire> items, CancellationToken cancellationToken)
    {
        var zone = items.Any(GraphMapping.IsAllDay)
            ? (await GetMailboxProfileAsync(userId, cancellationToken).ConfigureAwait(false)).TimeZone
            : null;
        return items.Select(item => GraphMapping.ToMeeting(item, zone));
    }

    public Task<IReadOnlyList<Meeting>> GetCalendarViewAsync(string userId, Interval window, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<Meeting>>("calendar view", async ct =>
        {
            var meetings = new List<Meeting>();
            var builder = _client.Users[userId].CalendarView;
            var first = builder.WithUrl(CalendarViewUrl(_client.RequestAdapter.BaseUrl, userId, window, _options.PageSize)).ToGetRequestInformation();
            // Our URL names the options with a plain '$': there is nothing for the SDK's handler to decode.
            first.AddRequestOptions([new ParametersNameDecodingOption { Enabled = false }]);
            var page = await ReadAsync(first, EventWireJson.Default.EventPageWire, ct);
            while (page is not null)
            {
                meetings.AddRange(await ToMeetingsAsync(userId, page.Value ?? [], ct));
                if (string.IsNullOrEmpty(page.NextLink))
                {
                    break;
                }

                // The nextLink carries the query but not our headers; GraphPreferHandler puts Prefer back on.
                page = await ReadAsync(builder.WithUrl(page.NextLink).ToGetRequestInformation(), EventWireJson.Default.EventPageWire, ct);
            }

            return meetings;
        }, cancellationToken);

    public Task<Meeting?> GetEventAsync(string userId, string eventId, CancellationToken cancellationToken) =>
        CallAsync("get event", async ct =>
        {
            try
            {
                var item = await ReadAsync(
                    _client.Users[userId].Events[eventId].ToGetRequestInformation(rc =>
                    {
                        rc.QueryParameters.Select = GraphMapping.EventFields;
                        rc.QueryParameters.Expand = GraphMapping.OurPropertyExpand;
                    }),
                    EventWireJson.Default.EventWire,
                    ct);
                return item is null ? null : (await ToMeetingsAsync(userId, [item], ct)).Single();
            }
            catch (ApiException e) when (IsMissingItem(e))
            {
                return null;
            }
        }, cancellationToken);

    /// <summary>
    /// The first page's URL: UTC window bounds, <c>$top=PageSize</c>, <c>$select</c> of the fields we use only (no
    /// subject or body), <c>$expand</c> of our own extended property, <c>$orderby=start/dateTime</c>.
    /// </summary>
    /// <remarks>
    /// Written here rather than by the SDK's query-parameter object: the SDK reads that object's attributes by
    /// reflection and expands its URI template one character at a time on every request, about a tenth of the service's
    /// time in a profile of the 10,000-user sweep, where this is the request sent most. The values are escaped as the
    /// template would escape them (RFC 6570 form-style query expansion).
    /// </remarks>
    internal static string CalendarViewUrl(string? baseUrl, string userId, Interval window, int pageSize) => string.Create(
        CultureInfo.InvariantCulture,
        $"{baseUrl}/users/{Uri.EscapeDataString(userId)}/calendarView?startDateTime={Uri.EscapeDataString(GraphMapping.ToQueryInstant(window.Start))}&endDateTime={Uri.EscapeDataString(GraphMapping.ToQueryInstant(window.End))}&$top={pageSize}&$select={EventSelect}&$expand={EventExpand}&$orderby=start/dateTime");

    /// <summary>
    /// Sends a request the SDK built through the SDK's adapter and pipeline, with the SDK's error mapping (Graph's
    /// error body becomes an <see cref="ODataError"/>), and reads the body as <typeparamref name="T"/> (see
    /// <see cref="EventWire"/> for why events are not read into the SDK's models).
    /// </summary>
    private async Task<T?> ReadAsync<T>(RequestInformation request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        var body = await _client.RequestAdapter.SendPrimitiveAsync<Stream>(request, ODataErrors, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return null;
        }

        await using (body.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync(body, type, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <remarks>
    /// Asks for more than 20 addresses in several requests. An address Graph cannot answer for (unknown,
    /// outside the tenant) comes back as one <see cref="ShowAs.Unknown"/> item over the whole window, which
    /// blocks: treating it as free could place a block on top of a real meeting. One person's unreadable
    /// working-hours zone leaves out their working hours only (see <see cref="GraphMapping.ToSchedule"/>).
    /// </remarks>
    public Task<IReadOnlyList<Schedule>> GetSchedulesAsync(string asUserId, IReadOnlyList<string> emails, Interval window, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<Schedule>>("get schedule", async ct =>
        {
            ArgumentNullException.ThrowIfNull(emails);
            var schedules = new List<Schedule>(emails.Count);
            foreach (var chunk in emails.Chunk(MaxSchedulesPerRequest))
            {
                var body = new GetSchedulePostRequestBody
                {
                    Schedules = [.. chunk],
                    StartTime = GraphMapping.ToGraphDateTime(window.Start, TimeZoneInfo.Utc),
                    EndTime = GraphMapping.ToGraphDateTime(window.End, TimeZoneInfo.Utc),
                    AvailabilityViewInterval = 30,
                };
                var response = await _client.Users[asUserId].Calendar.GetSchedule.PostAsGetSchedulePostResponseAsync(body, cancellationToken: ct);
                var infos = response?.Value ?? [];
                var unknownZones = 0;
                for (var i = 0; i < infos.Count; i++)
                {
                    schedules.Add(GraphMapping.ToSchedule(infos[i], i < chunk.Length ? chunk[i] : "", window, out var zoneUnknown));
                    unknownZones += zoneUnknown ? 1 : 0;
                }

                if (unknownZones > 0)
                {
                    _logger.ScheduleZoneFallback(unknownZones, GraphMapping.UnknownWorkingHoursZone);
                }
            }

            return schedules;
        }, cancellationToken);

    /// <remarks>
    /// Idempotent through Graph's transactionId: a retried POST of the same event after a lost response answers 201
    /// with the event the first one created. If the transactionId already made a different event (for instance the
    /// owner's zone changed between the attempts), Graph answers 400 ErrorDuplicateTransactionId, surfaced as
    /// <see cref="GatewayFailure.DuplicateTransaction"/>: look the event up with <see cref="FindOurEventAsync"/>
    /// (docs/graph.md, "transactionId"). Unless it is to carry nothing of ours (an invitation), the event is tagged with the
    /// category <see cref="EventCategory"/> and the single-value extended property "{kind}|{sourceICalUId}", so our own
    /// events can be recognised later.
    /// </remarks>
    public Task<CreatedEvent> CreateEventAsync(string userId, NewEvent newEvent, CancellationToken cancellationToken) =>
        CallAsync("create event", async ct =>
        {
            ArgumentNullException.ThrowIfNull(newEvent);
            var item = new GraphModels.Event
            {
                Subject = newEvent.Subject,
                Body = new GraphModels.ItemBody { ContentType = GraphModels.BodyType.Html, Content = newEvent.BodyHtml },
                Start = GraphMapping.ToGraphDateTime(newEvent.Slot.Start, newEvent.TimeZone),
                End = GraphMapping.ToGraphDateTime(newEvent.Slot.End, newEvent.TimeZone),
                Sensitivity = newEvent.IsPrivate ? GraphModels.Sensitivity.Private : GraphModels.Sensitivity.Normal,
                ShowAs = GraphModels.FreeBusyStatus.Busy,
                IsReminderOn = newEvent.ReminderMinutes >= 0,
                ReminderMinutesBeforeStart = Math.Max(0, newEvent.ReminderMinutes),
                TransactionId = newEvent.TransactionId,
            };
            if (newEvent.OurSource is { } source)
            {
                item.Categories = [EventCategory];
                item.SingleValueExtendedProperties =
                [
                    new GraphModels.SingleValueLegacyExtendedProperty { Id = NudgeKeys.ExtendedPropertyId, Value = source },
                ];
            }

            if (newEvent.RequiredAttendees.Count > 0)
            {
                item.Attendees = [.. newEvent.RequiredAttendees.Select(address => new GraphModels.Attendee
                {
                    EmailAddress = new GraphModels.EmailAddress { Address = address },
                    Type = GraphModels.AttendeeType.Required,
                })];
            }

            var created = await _client.Users[userId].Events.PostAsync(item, cancellationToken: ct)
                ?? throw new GatewayException(GatewayFailure.Invalid, "Graph create event returned no body.");
            var start = GraphMapping.ToInstant(created.Start) ?? newEvent.Slot.Start;
            var end = GraphMapping.ToInstant(created.End) ?? newEvent.Slot.End;
            return new CreatedEvent(
                created.Id ?? throw new GatewayException(GatewayFailure.Invalid, "Graph create event returned no id."),
                new Interval(start, end < start ? start : end),
                GraphMapping.WebLink(created.WebLink));
        }, cancellationToken);

    /// <remarks>
    /// <c>GET /users/{id}/events?$filter=singleValueExtendedProperties/Any(ep: ep/id eq '…' and ep/value eq '…')</c>,
    /// the documented lookup by a string extended property
    /// (https://learn.microsoft.com/graph/api/singlevaluelegacyextendedproperty-get). /events lists single instances
    /// and series masters, which covers every event we write (single instances). Graph compares the value
    /// case-insensitively; ours are built from ids, so that cannot confuse two of them.
    /// </remarks>
    public Task<CreatedEvent?> FindOurEventAsync(string userId, string sourceValue, CancellationToken cancellationToken) =>
        CallAsync("find our event", async ct =>
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(sourceValue);
            var page = await _client.Users[userId].Events.GetAsync(
                rc =>
                {
                    rc.QueryParameters.Filter = GraphMapping.OurEventFilter(sourceValue);
                    rc.QueryParameters.Select = GraphMapping.CreatedEventFields;
                    rc.QueryParameters.Top = 2;
                },
                ct);
            var found = page?.Value ?? [];
            if (found.Count > 1)
            {
                _logger.OurEventFoundTwice();
            }

            if (found.FirstOrDefault() is not { Id: { Length: > 0 } id } item)
            {
                return null;
            }

            var start = GraphMapping.ToInstant(item.Start) ?? throw new GatewayException(GatewayFailure.Invalid, "Graph find our event returned an event without start.");
            var end = GraphMapping.ToInstant(item.End) ?? start;
            return (CreatedEvent?)new CreatedEvent(id, new Interval(start, end < start ? start : end), GraphMapping.WebLink(item.WebLink));
        }, cancellationToken);

    public Task DeleteEventAsync(string userId, string eventId, CancellationToken cancellationToken) =>
        CallAsync("delete event", async ct =>
        {
            try
            {
                await _client.Users[userId].Events[eventId].DeleteAsync(cancellationToken: ct);
            }
            catch (ApiException e) when (IsMissingItem(e))
            {
                // Already gone (deleted by the owner or by an earlier attempt): the goal is met.
            }

            return true;
        }, cancellationToken);

    /// <remarks>docs/graph.md, "Change notifications": Graph checks the URL with a validation request before it answers.</remarks>
    public Task<EventSubscription> SubscribeToEventsAsync(string userId, Uri notificationUrl, string clientState, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        CallAsync("subscribe", async ct =>
        {
            var created = await _client.Subscriptions.PostAsync(
                new Microsoft.Graph.Models.Subscription
                {
                    ChangeType = "created,updated,deleted",
                    Resource = $"users/{userId}/events",
                    NotificationUrl = notificationUrl.ToString(),
                    LifecycleNotificationUrl = notificationUrl.ToString(),
                    ClientState = clientState,
                    ExpirationDateTime = expiresAt,
                },
                cancellationToken: ct);
            return new EventSubscription(created!.Id!, created.ExpirationDateTime ?? expiresAt);
        }, cancellationToken);

    public Task<EventSubscription?> RenewSubscriptionAsync(string subscriptionId, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        CallAsync("renew subscription", async ct =>
        {
            try
            {
                var renewed = await _client.Subscriptions[subscriptionId].PatchAsync(
                    new Microsoft.Graph.Models.Subscription { ExpirationDateTime = expiresAt }, cancellationToken: ct);
                return (EventSubscription?)new EventSubscription(subscriptionId, renewed?.ExpirationDateTime ?? expiresAt);
            }
            catch (ApiException e) when (e.ResponseStatusCode == 404)
            {
                return null;
            }
        }, cancellationToken);

    public Task DeleteSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken) =>
        CallAsync("delete subscription", async ct =>
        {
            try
            {
                await _client.Subscriptions[subscriptionId].DeleteAsync(cancellationToken: ct);
            }
            catch (ApiException e) when (e.ResponseStatusCode == 404)
            {
                // Already gone: expired, removed by Graph, or deleted by an earlier attempt.
            }

            return true;
        }, cancellationToken);

    public void Dispose()
    {
        _http.Dispose();
        _ownedCache?.Dispose();
    }

    [ImmutableObject(true)]
    private sealed record DirectoryEntry(DirectoryUser User, DirectoryUser? Manager);

    /// <summary>A missing event, as opposed to a missing user or mailbox (which stays an error).</summary>
    private static bool IsMissingItem(ApiException e) =>
        e.ResponseStatusCode == 404 && GraphErrors.CodeOf(e) is null or GraphErrors.ItemNotFound;

    private async Task<T> CallAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken);
        }
        catch (Exception e) when (GraphErrors.TryMap(e, operation, _timeProvider, cancellationToken, out var mapped))
        {
            if (mapped.Failure is GatewayFailure.Throttled)
            {
                _logger.Throttled(operation, mapped.RetryAfter);
            }

            if (ReferenceEquals(mapped, e))
            {
                throw;
            }

            throw mapped;
        }
    }
}

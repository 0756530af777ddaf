using System.ComponentModel;
using BossTalkCalendar.Core.Calendar;

namespace BossTalkCalendar.Core.Graph;

/// <summary>A directory user as we keep it: identifiers only, no display name.</summary>
/// <param name="Id">Directory object id (the <c>oid</c> of the user's tokens).</param>
/// <param name="Email">Primary SMTP address (or UPN when there is no mail).</param>
public sealed record DirectoryUser(string Id, string Email);

/// <summary>What mailboxSettings tells about a user's time and language.</summary>
/// <param name="TimeZone">The mailbox's preferred time zone.</param>
/// <param name="WorkingHours">Working hours (which carry their own zone, which may differ).</param>
/// <param name="ZoneFallback">
/// Null when every zone name was understood; otherwise a short code of ours saying which fallback rule was used
/// (see docs/graph.md, "Time zones"), so the nudge can record why its times may be off.
/// </param>
/// <param name="Locale">
/// The mailbox's locale from mailboxSettings.language.locale ("en-US", "de-AT", sometimes lower case), or null when the
/// mailbox has none; the texts we write in this mailbox follow it (<c>Catalogs.For</c>).
/// </param>
[ImmutableObject(true)] // cached as is (Graph/DirectoryCache.cs)
public sealed record MailboxProfile(TimeZoneInfo TimeZone, WorkingHours WorkingHours, string? ZoneFallback = null, string? Locale = null);

/// <summary>One person's free/busy for a window, as getSchedule returns it.</summary>
/// <param name="Email">The schedule id that was asked for.</param>
/// <param name="Items">Busy, tentative, oof, working-elsewhere and free items.</param>
/// <param name="WorkingHours">Working hours of that person, when Graph returned them.</param>
public sealed record Schedule(string Email, IReadOnlyList<BusyInterval> Items, WorkingHours? WorkingHours);

/// <summary>An event we want to create. It never carries anything from the source meeting but its id.</summary>
/// <param name="Subject">Subject we wrote.</param>
/// <param name="BodyHtml">Body we wrote (HTML).</param>
/// <param name="Slot">When.</param>
/// <param name="TimeZone">Zone to express start/end in (the owner's zone).</param>
/// <param name="TransactionId">Deterministic id so a retried create never duplicates.</param>
/// <param name="OurSource">
/// The value of our single-value extended property (<c>kind|iCalUId</c> of the meeting it was made for), which also
/// gets our category; null for an event that must carry nothing of ours, such as an invitation: what it carries can
/// travel to the invitee's copy.
/// </param>
/// <param name="RequiredAttendees">Addresses to invite; empty for a private block.</param>
/// <param name="IsPrivate">Sensitivity private.</param>
/// <param name="ReminderMinutes">Reminder lead time.</param>
public sealed record NewEvent(
    string Subject,
    string BodyHtml,
    Interval Slot,
    TimeZoneInfo TimeZone,
    string TransactionId,
    string? OurSource,
    IReadOnlyList<string> RequiredAttendees,
    bool IsPrivate,
    int ReminderMinutes);

/// <summary>An event as created.</summary>
/// <param name="Id">Its id in the owner's mailbox.</param>
/// <param name="Slot">When it is.</param>
/// <param name="WebLink">Graph's <c>webLink</c>: opens the event in Outlook on the web (null when not read).</param>
public sealed record CreatedEvent(string Id, Interval Slot, Uri? WebLink = null);

/// <summary>How a Graph call failed, in our terms.</summary>
public enum GatewayFailure
{
    /// <summary>429: wait <see cref="GatewayException.RetryAfter"/> and try again.</summary>
    Throttled,
    /// <summary>5xx, timeouts, connection failures: try again with back-off.</summary>
    Transient,
    /// <summary>403: the app may not touch this mailbox (e.g. application access policy).</summary>
    Forbidden,
    /// <summary>404: the user, mailbox or event does not exist.</summary>
    NotFound,
    /// <summary>400 and other permanent errors.</summary>
    Invalid,
    /// <summary>
    /// 400 <c>ErrorDuplicateTransactionId</c>: the transactionId already created a different event. The event we meant
    /// to create may well exist: look it up by our extended property (<see cref="ICalendarGateway.FindOurEventAsync"/>).
    /// </summary>
    DuplicateTransaction,
}

/// <summary>A Graph call failed; <see cref="Failure"/> says whether retrying can help.</summary>
public sealed class GatewayException : Exception
{
    public GatewayException(GatewayFailure failure, string message, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
        RetryAfter = retryAfter;
    }

    public GatewayException()
        : this(GatewayFailure.Transient, "Graph call failed.")
    {
    }

    public GatewayException(string message)
        : this(GatewayFailure.Transient, message)
    {
    }

    public GatewayException(string message, Exception innerException)
        : this(GatewayFailure.Transient, message, null, innerException)
    {
    }

    /// <summary>The kind of failure.</summary>
    public GatewayFailure Failure { get; }

    /// <summary>How long Graph asked us to wait (429/503 Retry-After), if it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>True when retrying later may succeed.</summary>
    public bool IsTransient => Failure is GatewayFailure.Throttled or GatewayFailure.Transient;
}

/// <summary>
/// Everything the service reads from and writes to Microsoft Graph, in Core's terms. Implemented over
/// GraphServiceClient; Graph types never cross this boundary. Failures throw <see cref="GatewayException"/>.
/// </summary>
public interface ICalendarGateway
{
    /// <summary>A user by id or UPN.</summary>
    Task<DirectoryUser> GetUserAsync(string userId, CancellationToken cancellationToken);

    /// <summary>The user's manager, or null when none is set.</summary>
    Task<DirectoryUser?> GetManagerAsync(string userId, CancellationToken cancellationToken);

    /// <summary>The manager's direct reports (users only).</summary>
    Task<IReadOnlyList<DirectoryUser>> GetDirectReportsAsync(string managerId, CancellationToken cancellationToken);

    /// <summary>
    /// The manager's direct reports, as <see cref="GetDirectReportsAsync"/>, also renewing each report's cached
    /// directory entry (the user and this manager): the team refresh's read, which spares the members their own.
    /// </summary>
    Task<IReadOnlyList<DirectoryUser>> RenewTeamAsync(string managerId, CancellationToken cancellationToken);

    /// <summary>Time zone, working hours and locale from mailboxSettings.</summary>
    Task<MailboxProfile> GetMailboxProfileAsync(string userId, CancellationToken cancellationToken);

    /// <summary>
    /// Expanded calendar view (occurrences, not series masters) for a window, all pages. All-day events come back as
    /// their dates in the mailbox's own zone (local midnight to midnight), whatever zone Graph labelled them with.
    /// </summary>
    Task<IReadOnlyList<Meeting>> GetCalendarViewAsync(string userId, Interval window, CancellationToken cancellationToken);

    /// <summary>One event of the user's calendar, or null when it does not exist.</summary>
    Task<Meeting?> GetEventAsync(string userId, string eventId, CancellationToken cancellationToken);

    /// <summary>Free/busy of up to 20 people in one getSchedule request made as <paramref name="asUserId"/>.</summary>
    Task<IReadOnlyList<Schedule>> GetSchedulesAsync(string asUserId, IReadOnlyList<string> emails, Interval window, CancellationToken cancellationToken);

    /// <summary>Creates an event on the user's calendar; idempotent by <see cref="NewEvent.TransactionId"/>.</summary>
    Task<CreatedEvent> CreateEventAsync(string userId, NewEvent newEvent, CancellationToken cancellationToken);

    /// <summary>
    /// The event BossTalk wrote on the user's calendar whose single-value extended property has exactly
    /// <paramref name="sourceValue"/> (<c>NudgeKeys.SourceValue</c>), or null when there is none. Used before a retried
    /// create and to adopt the event behind an <see cref="GatewayFailure.DuplicateTransaction"/>.
    /// </summary>
    Task<CreatedEvent?> FindOurEventAsync(string userId, string sourceValue, CancellationToken cancellationToken);

    /// <summary>Deletes an event; a missing event is not an error.</summary>
    Task DeleteEventAsync(string userId, string eventId, CancellationToken cancellationToken);

    /// <summary>
    /// Subscribes to created/updated/deleted changes of the user's events (<c>users/{id}/events</c>); Graph validates
    /// <paramref name="notificationUrl"/> before it answers. Lifecycle notifications go to the same URL.
    /// </summary>
    Task<EventSubscription> SubscribeToEventsAsync(string userId, Uri notificationUrl, string clientState, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Moves a subscription's expiry; null when Graph no longer has it (expired or removed).</summary>
    Task<EventSubscription?> RenewSubscriptionAsync(string subscriptionId, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Deletes a subscription; a missing one is not an error.</summary>
    Task DeleteSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken);
}

/// <summary>A change-notification subscription as Graph confirmed it.</summary>
public sealed record EventSubscription(string Id, DateTimeOffset ExpiresAt);

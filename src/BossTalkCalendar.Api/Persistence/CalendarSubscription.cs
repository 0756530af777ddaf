namespace BossTalkCalendar.Api.Persistence;

/// <summary>
/// One user's change-notification subscription at Graph: ids, a secret and times only. Instants that SQL compares are
/// Unix milliseconds (SQLite cannot compare <see cref="DateTimeOffset"/> in SQL).
/// </summary>
public sealed class CalendarSubscription
{
    public required string TenantId { get; set; }

    public required string UserId { get; set; }

    /// <summary>Graph's id; null until Graph has confirmed the subscription.</summary>
    public string? SubscriptionId { get; set; }

    /// <summary>
    /// The random secret Graph echoes in every notification of this subscription; a notification without it is not
    /// Graph's. Not a user's data; replaced whenever the subscription is made again.
    /// </summary>
    public required string ClientState { get; set; }

    /// <summary>When Graph drops the subscription unless it is renewed (Unix milliseconds, UTC); 0 before it exists.</summary>
    public long ExpiresAtUnixMs { get; set; }

    /// <summary>While set in the future, one job is creating, renewing or deleting this subscription; others leave it.</summary>
    public long ClaimedUntilUnixMs { get; set; }

    /// <summary>Short code of the last failure to create or renew (for example <c>graph-forbidden</c>).</summary>
    public string? LastFailure { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A change notification already acted on (a hash of its subscription, change, event and version).</summary>
public sealed class NotificationReceipt
{
    public required string Fingerprint { get; set; }

    public long ReceivedAtUnixMs { get; set; }
}

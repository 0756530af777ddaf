namespace BossTalkCalendar.Api.Persistence;

/// <summary>
/// A short lease on one user's calendar: while a holder has it, no other job, worker or instance places events for
/// that user, so two placements can never pick the same free slot. Expiry is stored as Unix milliseconds because
/// SQLite cannot compare <see cref="DateTimeOffset"/> values in SQL.
/// </summary>
public sealed class UserLease
{
    public required string TenantId { get; set; }

    public required string UserId { get; set; }

    /// <summary>A random id per placement run; only the holder renews or releases the lease.</summary>
    public required string Holder { get; set; }

    /// <summary>When the lease lapses (Unix milliseconds, UTC); anybody may take a lapsed lease.</summary>
    public long ExpiresAtUnixMs { get; set; }
}

using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Notifications;

/// <summary>
/// A limit per client address on what is not Graph's at the anonymous <c>/notifications/graph</c>: every forged
/// notification (unknown subscription, wrong clientState) and every malformed, oversized or empty request uses one
/// permit of a fixed window of <see cref="NotificationOptions.RejectedPerClientPerMinute"/>. An address that has used
/// them all gets 429 with Retry-After, before its body is read or the database asked, until the window ends.
/// Genuine notifications, replays of them and validation handshakes use none, so Graph itself (which may post
/// thousands a minute from one address) is never held back while it sends what is its own.
/// </summary>
public sealed class NotificationAbuseLimit : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly int _permits;

    public NotificationAbuseLimit(IOptions<NotificationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _permits = options.Value.RejectedPerClientPerMinute;
        _limiter = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = _permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>The caller's address as the connection shows it (behind a proxy, with forwarded headers applied).</summary>
    public static string ClientOf(HttpContext context) =>
        context?.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>False, with the wait, when <paramref name="client"/> has used up its window.</summary>
    public bool Allows(string client, out TimeSpan retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(client, 0);
        if (lease.IsAcquired)
        {
            retryAfter = TimeSpan.Zero;
            return true;
        }

        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        return false;
    }

    /// <summary>Uses <paramref name="count"/> permits of <paramref name="client"/>'s window (as many as are left).</summary>
    public void Charge(string client, int count)
    {
        var available = _limiter.GetStatistics(client)?.CurrentAvailablePermits ?? _permits;
        var take = (int)Math.Min(count, Math.Min(available, _permits));
        if (take > 0)
        {
            using var lease = _limiter.AttemptAcquire(client, take);
        }
    }

    public void Dispose() => _limiter.Dispose();
}

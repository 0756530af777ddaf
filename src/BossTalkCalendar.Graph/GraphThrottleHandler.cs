using System.Threading.RateLimiting;

namespace BossTalkCalendar.Graph;

/// <summary>
/// Keeps us under Graph's limits instead of learning them from 429s: at most N requests in flight per mailbox
/// (Exchange allows 4 per app and mailbox) and, when configured, an app-wide request rate (see
/// <see cref="RequestPacer"/>). Waiting here is short and bounded by our own load, unlike a 429's
/// Retry-After, which is left to the job scheduler.
/// </summary>
/// <remarks>
/// The per-mailbox limit is a <see cref="PartitionedRateLimiter"/> of concurrency limiters, one per mailbox: the
/// library's default partitioned limiter drops a partition's limiter once it has been idle for a while, so a
/// tenant-wide sweep does not leave one gate per mailbox behind for the life of the process.
/// </remarks>
internal sealed class GraphThrottleHandler : DelegatingHandler
{
    private readonly PartitionedRateLimiter<string>? _mailboxes;
    private readonly RequestPacer? _pacer;

    public GraphThrottleHandler(int maxConcurrentPerMailbox, int maxRequestsPerSecond, TimeProvider timeProvider)
    {
        _mailboxes = maxConcurrentPerMailbox > 0
            ? PartitionedRateLimiter.Create<string, string>(
                mailbox => RateLimitPartition.GetConcurrencyLimiter(mailbox, _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = maxConcurrentPerMailbox,
                    // Waiting is bounded by our own load (BatchParallelism × workers), never refused.
                    QueueLimit = int.MaxValue,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                }),
                StringComparer.OrdinalIgnoreCase)
            : null;
        _pacer = maxRequestsPerSecond > 0 ? new RequestPacer(maxRequestsPerSecond, timeProvider) : null;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var mailbox = _mailboxes is null ? null : MailboxOf(request.RequestUri);
        using var lease = mailbox is null ? null : await _mailboxes!.AcquireAsync(mailbox, 1, cancellationToken).ConfigureAwait(false);
        if (lease is { IsAcquired: false })
        {
            // Cannot happen with an unbounded queue; refusing to send is the safe reading if it ever does.
            throw new InvalidOperationException("The per-mailbox request limit refused a request.");
        }

        if (_pacer is not null)
        {
            await _pacer.WaitTurnAsync(cancellationToken).ConfigureAwait(false);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The {id} of a /users/{id}/... path, which is what Exchange counts concurrency against.</summary>
    internal static string? MailboxOf(Uri? uri)
    {
        if (uri is null)
        {
            return null;
        }

        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (segments[i].Equals("users", StringComparison.OrdinalIgnoreCase))
            {
                return Uri.UnescapeDataString(segments[i + 1]).ToUpperInvariant();
            }
        }

        return null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _mailboxes?.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>
/// An app-wide token bucket on the injected <see cref="TimeProvider"/> (generic cell rate algorithm): a burst
/// of up to one second's worth of requests passes at once, after that one request per 1/rate seconds.
/// System.Threading.RateLimiting's bucket replenishes from Stopwatch even when driven by hand, so a test
/// clock could not pace it.
/// </summary>
internal sealed class RequestPacer
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly long _origin;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _burstTolerance;
    private TimeSpan _theoreticalArrival;

    public RequestPacer(int requestsPerSecond, TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _origin = timeProvider.GetTimestamp();
        _interval = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / requestsPerSecond);
        _burstTolerance = _interval * (requestsPerSecond - 1);
    }

    public Task WaitTurnAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_gate)
        {
            var now = _timeProvider.GetElapsedTime(_origin);
            var arrival = _theoreticalArrival > now ? _theoreticalArrival : now;
            wait = arrival - _burstTolerance - now;
            _theoreticalArrival = arrival + _interval;
        }

        return wait > TimeSpan.Zero ? Task.Delay(wait, _timeProvider, cancellationToken) : Task.CompletedTask;
    }
}

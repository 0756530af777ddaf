namespace BossTalkCalendar.GraphSimulator;

/// <summary>One counter of the request log: requests with this method, route template and status.</summary>
/// <param name="Method">HTTP method, upper case.</param>
/// <param name="Route">Route template, e.g. <c>/users/{id}/calendarView</c>; <c>(unmatched)</c> for unknown routes.</param>
/// <param name="Status">HTTP status answered.</param>
public readonly record struct RequestLogKey(string Method, string Route, int Status);

/// <summary>
/// What the simulator was asked, counted per HTTP request including each $batch sub-request (the $batch POST itself
/// is counted too, under route <c>/$batch</c>), and again per user for routes that name one (<c>/users/{id}/...</c>),
/// so a benchmark can tell what one group of users cost. Thread-safe.
/// </summary>
public sealed class RequestLog
{
    private readonly Lock _gate = new();
    private readonly Dictionary<RequestLogKey, long> _counts = [];
    private readonly Dictionary<string, int> _peakByMailbox = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Dictionary<RequestLogKey, long>> _byUser = new(StringComparer.OrdinalIgnoreCase);
    private long _total;
    private long _throttled;
    private long _lostResponses;

    public long TotalCount
    {
        get { lock (_gate) { return _total; } }
    }

    /// <summary>Requests answered 429.</summary>
    public long ThrottledCount
    {
        get { lock (_gate) { return _throttled; } }
    }

    /// <summary>
    /// Writes that were carried out but whose answer was lost (<see cref="SimulatorOptions.LostResponseRate"/>); they are
    /// counted above with the status the handler produced, not the 504 or dropped connection the client saw.
    /// </summary>
    public long LostResponseCount
    {
        get { lock (_gate) { return _lostResponses; } }
    }

    /// <summary>The highest number of requests seen in flight at once on any one mailbox (rejected ones included).</summary>
    public int MaxPeakConcurrency
    {
        get { lock (_gate) { return _peakByMailbox.Count == 0 ? 0 : _peakByMailbox.Values.Max(); } }
    }

    public IReadOnlyDictionary<RequestLogKey, long> Snapshot()
    {
        lock (_gate)
        {
            return new Dictionary<RequestLogKey, long>(_counts);
        }
    }

    /// <summary>
    /// The counts of the requests whose path named a user (<c>/users/{id}/...</c>, $batch sub-requests included) for
    /// whom <paramref name="which"/> is true, by the user's id as the tenant spells it.
    /// </summary>
    public IReadOnlyDictionary<RequestLogKey, long> SnapshotOfUsers(Func<string, bool> which)
    {
        ArgumentNullException.ThrowIfNull(which);
        lock (_gate)
        {
            var counts = new Dictionary<RequestLogKey, long>();
            foreach (var (user, byKey) in _byUser)
            {
                if (!which(user))
                {
                    continue;
                }

                foreach (var (key, count) in byKey)
                {
                    counts[key] = counts.GetValueOrDefault(key) + count;
                }
            }

            return counts;
        }
    }

    /// <summary>Requests with this method and route, optionally only those answered with <paramref name="status"/>.</summary>
    public long Count(string method, string route, int? status = null)
    {
        lock (_gate)
        {
            return _counts
                .Where(c => string.Equals(c.Key.Method, method, StringComparison.OrdinalIgnoreCase)
                    && string.Equals(c.Key.Route, route, StringComparison.OrdinalIgnoreCase)
                    && (status is null || c.Key.Status == status))
                .Sum(c => c.Value);
        }
    }

    /// <summary>Requests answered with this status on any route.</summary>
    public long CountStatus(int status)
    {
        lock (_gate)
        {
            return _counts.Where(c => c.Key.Status == status).Sum(c => c.Value);
        }
    }

    /// <summary>Peak requests in flight at once on the mailbox (user id), rejected ones included.</summary>
    public int PeakConcurrency(string userId)
    {
        lock (_gate)
        {
            return _peakByMailbox.GetValueOrDefault(userId);
        }
    }

    public IReadOnlyDictionary<string, int> PeakConcurrencyByMailbox()
    {
        lock (_gate)
        {
            return new Dictionary<string, int>(_peakByMailbox, StringComparer.OrdinalIgnoreCase);
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _counts.Clear();
            _peakByMailbox.Clear();
            _byUser.Clear();
            _total = 0;
            _throttled = 0;
            _lostResponses = 0;
        }
    }

    internal void Record(string method, string route, int status, string? userId = null)
    {
        lock (_gate)
        {
            var key = new RequestLogKey(method, route, status);
            _counts[key] = _counts.GetValueOrDefault(key) + 1;
            if (userId is not null)
            {
                if (!_byUser.TryGetValue(userId, out var byKey))
                {
                    _byUser[userId] = byKey = [];
                }

                byKey[key] = byKey.GetValueOrDefault(key) + 1;
            }

            _total++;
            if (status == 429)
            {
                _throttled++;
            }
        }
    }

    internal void RecordLostResponse()
    {
        lock (_gate)
        {
            _lostResponses++;
        }
    }

    internal void RecordConcurrency(string mailbox, int inFlight)
    {
        lock (_gate)
        {
            if (inFlight > _peakByMailbox.GetValueOrDefault(mailbox))
            {
                _peakByMailbox[mailbox] = inFlight;
            }
        }
    }
}

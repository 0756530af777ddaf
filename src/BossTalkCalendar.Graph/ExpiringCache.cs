using System.Collections.Concurrent;

namespace BossTalkCalendar.Graph;

/// <summary>
/// A small per-user cache for what rarely changes (manager, mailbox settings), so a steady-state sweep does
/// not spend Graph requests on them. Entries expire on the injected clock; concurrent misses may both fetch.
/// </summary>
internal sealed class ExpiringCache<TValue>(TimeSpan duration, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, (TValue Value, DateTimeOffset ExpiresAt)> _entries = new(StringComparer.OrdinalIgnoreCase);
    private long _writes;

    public async Task<TValue> GetOrAddAsync(string key, Func<CancellationToken, Task<TValue>> fetch, CancellationToken cancellationToken)
    {
        if (duration <= TimeSpan.Zero)
        {
            return await fetch(cancellationToken).ConfigureAwait(false);
        }

        var now = timeProvider.GetUtcNow();
        if (_entries.TryGetValue(key, out var entry) && entry.ExpiresAt > now)
        {
            return entry.Value;
        }

        var value = await fetch(cancellationToken).ConfigureAwait(false);
        _entries[key] = (value, timeProvider.GetUtcNow() + duration);
        PurgeExpiredSometimes(now);
        return value;
    }

    private void PurgeExpiredSometimes(DateTimeOffset now)
    {
        // Keeps a long-running process from holding users who left the tenant; cheap enough at tenant scale.
        if (Interlocked.Increment(ref _writes) % 1024 != 0)
        {
            return;
        }

        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
            {
                _entries.TryRemove(key, out _);
            }
        }
    }
}

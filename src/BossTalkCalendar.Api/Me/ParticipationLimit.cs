using System.Collections.Concurrent;

namespace BossTalkCalendar.Api.Me;

/// <summary>
/// At most <see cref="PerHour"/> participation changes (opt-out, opt-in, pause or resume) per user in any hour, so a
/// script cannot flip someone's state often enough to make the figures a manager sees (or the audit trail) tell
/// anything. Kept in this instance's memory on the injected clock; a sliding window of the user's last changes.
/// </summary>
public sealed class ParticipationLimit(TimeProvider time)
{
    public const int PerHour = 10;

    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _changes = new(StringComparer.Ordinal);

    /// <summary>Counts one change of the user's; null when allowed, otherwise how long until the next one is.</summary>
    public TimeSpan? TryTake(string tenantId, string userId)
    {
        var now = time.GetUtcNow();
        var recent = _changes.GetOrAdd(tenantId + "/" + userId, _ => new Queue<DateTimeOffset>());
        lock (recent)
        {
            while (recent.Count > 0 && recent.Peek() <= now - Window)
            {
                recent.Dequeue();
            }

            if (recent.Count >= PerHour)
            {
                return recent.Peek() + Window - now;
            }

            recent.Enqueue(now);
            return null;
        }
    }
}

using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace BossTalkCalendar.Api.Observability;

/// <summary>
/// What arrives at the anonymous change-notification endpoint: each notification by outcome, and each request turned
/// away before its notifications were looked at. Made through the host's <see cref="IMeterFactory"/>, so each host
/// has its own meter (tests read one host's figures with a MetricCollector). Tags carry outcomes only, never an id.
/// </summary>
public sealed class NotificationMetrics
{
    /// <summary>Name of the <see cref="Meter"/> to subscribe to.</summary>
    public const string Name = "BossTalkCalendar.Notifications";

    /// <summary>
    /// Counter of notifications, tagged <c>outcome</c>: <c>change</c> (a rescan was asked for), <c>lifecycle</c>,
    /// <c>replay</c> (seen before), <c>own-block</c> (about a block we placed), and the forged ones,
    /// <c>unknown-subscription</c> and <c>wrong-client-state</c>.
    /// </summary>
    public const string NotificationsInstrument = "bosstalk.notifications";

    /// <summary>
    /// Counter of requests turned away, tagged <c>reason</c>: <c>malformed</c> (400), <c>too-large</c> (413),
    /// <c>empty</c> (a collection with no notification, which Graph never sends) and <c>rate-limited</c> (429).
    /// </summary>
    public const string RejectedInstrument = "bosstalk.notifications.rejected";

    private readonly Counter<long> _notifications;
    private readonly Counter<long> _rejected;

    public NotificationMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(Name);
        _notifications = meter.CreateCounter<long>(NotificationsInstrument, "{notification}", "Change notifications received, by outcome.");
        _rejected = meter.CreateCounter<long>(RejectedInstrument, "{request}", "Notification requests turned away, by reason.");
    }

    public void Received(string outcome, int count = 1)
    {
        if (count > 0)
        {
            _notifications.Add(count, new TagList { { "outcome", outcome } });
        }
    }

    public void Rejected(string reason) => _rejected.Add(1, new TagList { { "reason", reason } });
}

using BossTalkCalendar.Api.Hosting;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Notifications;

/// <summary>
/// Change notifications (section <c>Notifications</c>). They are on when Graph can reach us at an https URL
/// (<see cref="Endpoint"/>), because Graph delivers only to https (docs/graph.md, "Change notifications"); otherwise
/// the service polls with <c>Jobs:SweepCron</c> and says so at start-up.
/// </summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>Path of the endpoint Graph posts to, under <c>Service:PublicBaseUrl</c>.</summary>
    public const string EndpointPath = "/notifications/graph";

    /// <summary>With notifications on, the sweep is only a safety net: this is when it runs (cron, UTC).</summary>
    public string SafetyNetCron { get; set; } = "0 */6 * * *";

    /// <summary>
    /// The safety net rescans a user with a live subscription only when their last scan is older than this; users
    /// without one are rescanned every time.
    /// </summary>
    public TimeSpan SafetyNetMaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// A notification's rescan waits one to two of these, so a burst of changes to one calendar costs one read and
    /// rescans across the tenant go out in batches (Notifications/UserRescans.cs).
    /// </summary>
    public TimeSpan Debounce { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A change to an event the service does not follow (anything but a planned one-on-one or the one-on-one a prep
    /// block aims at) waits up to this long, so that every such change within it costs one calendar read, not one each.
    /// Per user it is at most their reflection cool-down less <see cref="UserRescans.FoldMargin"/>, so a one-on-one
    /// first heard of before it ends is still read before its reflection is due. Zero reads every change at once.
    /// </summary>
    public TimeSpan FoldWindow { get; set; } = TimeSpan.FromMinutes(80);

    /// <summary>
    /// A block of ours that Graph says was deleted is checked this long after the notification, with reconciliation's
    /// own check of that one block (Jobs/ReconcileJob.cs), instead of at the next hourly run. Not at once: our own
    /// deletions (a "fine" answer, a prep block following its meeting) delete first and record after.
    /// </summary>
    public TimeSpan OwnBlockCheckDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a subscription is made for (Graph allows at most 10,080 minutes for events).</summary>
    /// <remarks>Long, because each renewal is a request: with the defaults a subscription is renewed every 5.5 days.</remarks>
    public TimeSpan SubscriptionLifetime { get; set; } = TimeSpan.FromDays(6.5);

    /// <summary>
    /// A subscription expiring sooner than this is renewed: a day leaves room for an outage, a failed renewal and its
    /// retries long before Graph drops it.
    /// </summary>
    public TimeSpan RenewBefore { get; set; } = TimeSpan.FromDays(1);

    /// <summary>When subscriptions are brought in line with who is enrolled (cron, UTC): made, renewed, deleted.</summary>
    public string MaintenanceCron { get; set; } = "*/5 * * * *";

    /// <summary>
    /// Requests and notifications one client address may send per minute that are not Graph's (unknown subscription,
    /// wrong clientState, malformed, oversized or empty); past it the address gets 429 with Retry-After until the minute
    /// is over (Notifications/NotificationAbuseLimit.cs). Genuine notifications never count.
    /// </summary>
    public int RejectedPerClientPerMinute { get; set; } = 60;

    /// <summary>What the sandbox subscribes with: its own simulator delivers it to this service's address.</summary>
    public const string SandboxEndpoint = "https://sandbox.bosstalk.invalid" + EndpointPath;

    /// <summary>
    /// The https URL Graph posts change and lifecycle notifications to; null (the default) derives it: the endpoint
    /// under <c>Service:PublicBaseUrl</c> when that is https, <see cref="SandboxEndpoint"/> in sandbox mode (set by the
    /// sandbox at start-up), else none (notifications off).
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>Where Graph posts notifications, or null when they are off (see <see cref="Endpoint"/>).</summary>
    public Uri? EndpointUri =>
        Uri.TryCreate(Endpoint, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps ? url : null;

    /// <summary>The derived <see cref="Endpoint"/>, when none is set.</summary>
    internal static string? Derive(ServiceOptions service) =>
        Uri.TryCreate(service.PublicBaseUrl, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps
            ? service.PublicBaseUrl.TrimEnd('/') + EndpointPath
            : null;
}

internal sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var failures = new List<string>();
        if (options.Endpoint is not null && options.EndpointUri is null)
        {
            failures.Add($"Notifications:Endpoint must be an absolute https URL, because Graph posts only to https (got '{options.Endpoint}').");
        }

        if (!Cron.IsValid(options.SafetyNetCron))
        {
            failures.Add($"Notifications:SafetyNetCron must be a cron expression such as \"0 */6 * * *\" (got '{options.SafetyNetCron}').");
        }

        if (!Cron.IsValid(options.MaintenanceCron))
        {
            failures.Add($"Notifications:MaintenanceCron must be a cron expression such as \"*/5 * * * *\" (got '{options.MaintenanceCron}').");
        }

        if (options.SubscriptionLifetime < TimeSpan.FromHours(1) || options.SubscriptionLifetime > TimeSpan.FromMinutes(10_080))
        {
            failures.Add($"Notifications:SubscriptionLifetime must be between 01:00:00 and 7.00:00:00, Graph's limit for events (got {options.SubscriptionLifetime}).");
        }

        if (options.RenewBefore <= TimeSpan.Zero || options.RenewBefore >= options.SubscriptionLifetime)
        {
            failures.Add($"Notifications:RenewBefore must be positive and shorter than Notifications:SubscriptionLifetime (got {options.RenewBefore}).");
        }

        if (options.Debounce < TimeSpan.Zero || options.Debounce > TimeSpan.FromMinutes(5))
        {
            failures.Add($"Notifications:Debounce must be between 00:00:00 and 00:05:00 (got {options.Debounce}).");
        }

        if (options.FoldWindow < TimeSpan.Zero || options.FoldWindow > TimeSpan.FromHours(24))
        {
            failures.Add($"Notifications:FoldWindow must be between 00:00:00 and 1.00:00:00 (got {options.FoldWindow}).");
        }

        if (options.OwnBlockCheckDelay < TimeSpan.Zero || options.OwnBlockCheckDelay > TimeSpan.FromHours(1))
        {
            failures.Add($"Notifications:OwnBlockCheckDelay must be between 00:00:00 and 01:00:00 (got {options.OwnBlockCheckDelay}).");
        }

        if (options.SafetyNetMaxAge < TimeSpan.Zero || options.SafetyNetMaxAge > TimeSpan.FromDays(7))
        {
            failures.Add($"Notifications:SafetyNetMaxAge must be between 00:00:00 and 7.00:00:00 (got {options.SafetyNetMaxAge}).");
        }

        if (options.RejectedPerClientPerMinute is < 1 or > 100_000)
        {
            failures.Add($"Notifications:RejectedPerClientPerMinute must be between 1 and 100000 (got {options.RejectedPerClientPerMinute}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Jobs;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Notifications;

/// <summary>
/// Change notifications (section <c>Notifications</c>). They are on exactly when <c>Service:PublicBaseUrl</c> is https,
/// because Graph delivers only to https endpoints (docs/graph.md, "Change notifications"); otherwise the service
/// polls with <c>Jobs:SweepCron</c> and says so at start-up.
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

    /// <summary>A notification's rescan waits this long, so a burst of changes to one calendar costs one read.</summary>
    public TimeSpan Debounce { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a subscription is made for (Graph allows at most 10,080 minutes for events).</summary>
    public TimeSpan SubscriptionLifetime { get; set; } = TimeSpan.FromDays(4);

    /// <summary>A subscription expiring sooner than this is renewed.</summary>
    public TimeSpan RenewBefore { get; set; } = TimeSpan.FromDays(2);

    /// <summary>When subscriptions are brought in line with who is enrolled (cron, UTC): made, renewed, deleted.</summary>
    public string MaintenanceCron { get; set; } = "*/5 * * * *";

    /// <summary>True when Graph can reach us: an https public URL.</summary>
    public static bool AreOn(ServiceOptions service) =>
        Uri.TryCreate(service.PublicBaseUrl, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps;

    /// <summary>Where Graph posts change and lifecycle notifications.</summary>
    public static Uri EndpointOf(ServiceOptions service) => new(service.PublicBaseUrl.TrimEnd('/') + EndpointPath);
}

internal sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var failures = new List<string>();
        if (!JobsOptionsValidator.IsCron(options.SafetyNetCron))
        {
            failures.Add($"Notifications:SafetyNetCron must be a cron expression such as \"0 */6 * * *\" (got '{options.SafetyNetCron}').");
        }

        if (!JobsOptionsValidator.IsCron(options.MaintenanceCron))
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

        if (options.SafetyNetMaxAge < TimeSpan.Zero || options.SafetyNetMaxAge > TimeSpan.FromDays(7))
        {
            failures.Add($"Notifications:SafetyNetMaxAge must be between 00:00:00 and 7.00:00:00 (got {options.SafetyNetMaxAge}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

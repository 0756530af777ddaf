using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Sandbox;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Rollout;

/// <summary>Team rollout (section <c>Rollout</c>).</summary>
public sealed class RolloutOptions
{
    public const string SectionName = "Rollout";

    /// <summary>When approved teams are compared with Graph's direct reports (cron, UTC).</summary>
    public string RefreshCron { get; set; } = "0 * * * *";

    /// <summary>When the retention job deletes former members' data (cron, UTC).</summary>
    public string RetentionCron { get; set; } = "30 3 * * *";

    /// <summary>Days a former member's data (preferences, nudge records) is kept after their team was revoked or they left it.</summary>
    public int RetentionDays { get; set; } = 30;
}

internal sealed class RolloutOptionsValidator(IConfiguration configuration) : IValidateOptions<RolloutOptions>
{
    public ValidateOptionsResult Validate(string? name, RolloutOptions options)
    {
        var failures = new List<string>();
        if (!JobsOptionsValidator.IsCron(options.RefreshCron))
        {
            failures.Add($"Rollout:RefreshCron must be a cron expression such as \"0 * * * *\" (got '{options.RefreshCron}').");
        }

        if (!JobsOptionsValidator.IsCron(options.RetentionCron))
        {
            failures.Add($"Rollout:RetentionCron must be a cron expression such as \"30 3 * * *\" (got '{options.RetentionCron}').");
        }

        if (options.RetentionDays is < 0 or > 3650)
        {
            failures.Add($"Rollout:RetentionDays must be between 0 and 3650 (got {options.RetentionDays}).");
        }

        // Tokens carry the tenant as a GUID (tid); a domain name here would lock every user out of the rollout.
        var graphTenant = configuration["Graph:TenantId"];
        if (!SandboxOptions.IsEnabled(configuration) && !string.IsNullOrWhiteSpace(graphTenant) && !Guid.TryParse(graphTenant, out _))
        {
            failures.Add($"Graph:TenantId must be the directory (tenant) id as a GUID, not a domain name (got '{graphTenant}').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>
/// The one tenant this instance works for: the tenant whose directory and mailboxes the Graph gateway reads
/// (<c>Graph:TenantId</c>), or the demo tenant in sandbox mode. Callers from any other tenant can manage nothing,
/// because nothing this instance knows about belongs to them.
/// </summary>
public sealed class ServedTenant(IConfiguration configuration)
{
    /// <summary>The tenant id, or null when none is configured (then nobody can call the API at all).</summary>
    public string? Id { get; } = IdFrom(configuration);

    /// <summary>The demo tenant in sandbox mode, otherwise <c>Graph:TenantId</c> when it is a GUID.</summary>
    public static string? IdFrom(IConfiguration configuration) => SandboxOptions.IsEnabled(configuration)
        ? DemoTenant.TenantId
        : Guid.TryParse(configuration["Graph:TenantId"], out var tenant) ? tenant.ToString("D") : null;

    public bool Serves(string tenantId) =>
        Id is not null && string.Equals(Id, tenantId, StringComparison.OrdinalIgnoreCase);
}

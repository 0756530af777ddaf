using BossTalkCalendar.Api.Hosting;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Rollout;

/// <summary>Team rollout (section <c>Rollout</c>).</summary>
public sealed class RolloutOptions
{
    public const string SectionName = "Rollout";

    /// <summary>
    /// When approved teams are compared with Graph's direct reports (cron, UTC). Daily by default: the same read
    /// refreshes the members' directory entries (<c>Graph:DirectoryCacheDuration</c>, a day), so a team costs two
    /// requests a day, and joiners and leavers are seen within the day the directory is trusted for anyway.
    /// </summary>
    public string RefreshCron { get; set; } = "0 0 * * *";

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
        if (!Cron.IsValid(options.RefreshCron))
        {
            failures.Add($"Rollout:RefreshCron must be a cron expression such as \"0 0 * * *\" (got '{options.RefreshCron}').");
        }

        if (!Cron.IsValid(options.RetentionCron))
        {
            failures.Add($"Rollout:RetentionCron must be a cron expression such as \"30 3 * * *\" (got '{options.RetentionCron}').");
        }

        if (options.RetentionDays is < 0 or > 3650)
        {
            failures.Add($"Rollout:RetentionDays must be between 0 and 3650 (got {options.RetentionDays}).");
        }

        // Tokens carry the tenant as a GUID (tid); a domain name here would lock every user out of the rollout.
        var graphTenant = configuration["Graph:TenantId"];
        if (!HostMode.IsSandbox(configuration) && !string.IsNullOrWhiteSpace(graphTenant) && !Guid.TryParse(graphTenant, out _))
        {
            failures.Add($"Graph:TenantId must be the directory (tenant) id as a GUID, not a domain name (got '{graphTenant}').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

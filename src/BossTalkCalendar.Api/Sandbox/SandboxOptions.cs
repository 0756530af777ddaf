using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Sandbox;

/// <summary>
/// Sandbox mode (section <c>Sandbox</c>): an in-process Graph simulator with a demo tenant instead of a real tenant.
/// </summary>
public sealed class SandboxOptions
{
    public const string SectionName = "Sandbox";

    /// <summary>On, off, or null for "on when <c>Graph:TenantId</c> is empty".</summary>
    public bool? Enabled { get; set; }

    /// <summary>Loopback port of the simulated Graph API; 0 picks a free one.</summary>
    public int GraphPort { get; set; } = 5180;

    /// <summary>Whether sandbox mode is on for this configuration.</summary>
    public static bool IsEnabled(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var enabled = configuration.GetSection(SectionName).GetValue<bool?>(nameof(Enabled));
        return enabled ?? string.IsNullOrWhiteSpace(configuration["Graph:TenantId"]);
    }
}

internal sealed class SandboxOptionsValidator : IValidateOptions<SandboxOptions>
{
    public ValidateOptionsResult Validate(string? name, SandboxOptions options) =>
        options.GraphPort is >= 0 and <= 65535
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Sandbox:GraphPort must be a TCP port between 1 and 65535, or 0 for a free one (got {options.GraphPort}).");
}

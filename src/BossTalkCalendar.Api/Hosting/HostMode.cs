namespace BossTalkCalendar.Api.Hosting;

/// <summary>
/// What kind of host this is: one serving a real Microsoft 365 tenant, or the sandbox (an in-process Graph simulator
/// with a demo tenant, see <c>Sandbox/</c>). Every folder may ask; the sandbox's own settings stay in <c>Sandbox/</c>.
/// </summary>
public static class HostMode
{
    /// <summary>The configuration key that switches the sandbox on or off (<c>Sandbox:Enabled</c>).</summary>
    public const string SandboxEnabledKey = "Sandbox:Enabled";

    /// <summary>The tenant a sandbox host serves: the demo tenant of the simulator.</summary>
    public const string SandboxTenantId = "b05a1c00-0000-4000-8000-00000000da7a";

    /// <summary>
    /// Whether sandbox mode is on for this configuration: <c>Sandbox:Enabled</c> when set, otherwise only in the
    /// Development environment (read from the host's <c>environment</c> setting, absent = Production) with no
    /// <c>Graph:TenantId</c>. A setting left out never switches the sandbox on in production.
    /// </summary>
    public static bool IsSandbox(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (bool.TryParse(configuration[SandboxEnabledKey], out var enabled))
        {
            return enabled;
        }

        return IsDevelopment(configuration) && string.IsNullOrWhiteSpace(configuration["Graph:TenantId"]);
    }

    private static bool IsDevelopment(IConfiguration configuration) =>
        string.Equals(configuration[HostDefaults.EnvironmentKey], Environments.Development, StringComparison.OrdinalIgnoreCase);
}

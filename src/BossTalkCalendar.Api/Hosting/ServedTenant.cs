namespace BossTalkCalendar.Api.Hosting;

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
    public static string? IdFrom(IConfiguration configuration) => HostMode.IsSandbox(configuration)
        ? HostMode.SandboxTenantId
        : Guid.TryParse(configuration["Graph:TenantId"], out var tenant) ? tenant.ToString("D") : null;

    public bool Serves(string tenantId) =>
        Id is not null && string.Equals(Id, tenantId, StringComparison.OrdinalIgnoreCase);
}

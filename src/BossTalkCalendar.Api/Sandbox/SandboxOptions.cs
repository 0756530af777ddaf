using BossTalkCalendar.Api.Hosting;
using BossTalkCalendar.Api.Persistence;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Sandbox;

/// <summary>
/// Sandbox mode (section <c>Sandbox</c>): an in-process Graph simulator with a demo tenant instead of a real tenant.
/// </summary>
public sealed class SandboxOptions
{
    public const string SectionName = "Sandbox";

    /// <summary>
    /// On, off, or null for "on in the Development environment when <c>Graph:TenantId</c> is empty". Any other
    /// environment gets the sandbox only when this is true (see <see cref="HostMode.IsSandbox"/>).
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>Loopback port of the simulated Graph API; 0 picks a free one.</summary>
    public int GraphPort { get; set; } = 5180;

    /// <summary>
    /// Why this configuration must not start, or null. Outside sandbox mode a tenant is required (except in Development,
    /// where switching the sandbox off explicitly is allowed for tests); in sandbox mode the demo tenant must stay on
    /// this machine and on SQLite.
    /// </summary>
    internal static string? RefusalReason(IConfiguration configuration, IHostEnvironment environment)
    {
        var sandbox = HostMode.IsSandbox(configuration);
        if (!sandbox)
        {
            return environment.IsDevelopment() || !string.IsNullOrWhiteSpace(configuration["Graph:TenantId"])
                ? null
                : $"No Microsoft 365 tenant is configured for the '{environment.EnvironmentName}' environment. Set Graph:TenantId "
                    + "(and the Graph and Auth settings, see README) to serve a real tenant, or set Sandbox:Enabled=true to run the "
                    + "demo sandbox on this machine.";
        }

        if (StorageOptions.IsPostgreSqlName(configuration[$"{StorageOptions.SectionName}:{nameof(StorageOptions.Provider)}"]))
        {
            return "Sandbox mode (Sandbox:Enabled, or Development without Graph:TenantId) runs on SQLite only: "
                + "Storage:Provider=PostgreSql is for a real tenant. Set Graph:TenantId, or remove Storage:Provider.";
        }

        if (NonLoopbackBinding(configuration) is { } binding)
        {
            return $"Sandbox mode (Sandbox:Enabled, or Development without Graph:TenantId) listens on loopback only, but '{binding}' "
                + "would accept other machines. Use http://localhost:<port> in ASPNETCORE_URLS / --urls, or set Graph:TenantId.";
        }

        return null;
    }

    /// <summary>The first configured listening address that is not loopback (ports-only settings bind every interface).</summary>
    private static string? NonLoopbackBinding(IConfiguration configuration)
    {
        foreach (var key in new[] { "http_ports", "https_ports" })
        {
            if (!string.IsNullOrWhiteSpace(configuration[key]))
            {
                return $"{key}={configuration[key]}";
            }
        }

        var urls = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"] ?? ""))
            .Where(u => u.Length > 0);
        foreach (var url in urls)
        {
            // "*" and "+" are not valid host names for Uri: treat anything unparsable as "every interface".
            var host = Uri.TryCreate(url.Replace("://*", "://wildcard.invalid", StringComparison.Ordinal).Replace("://+", "://wildcard.invalid", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                ? uri.Host
                : "";
            if (!Auth.Loopback.IsLoopbackHost(host))
            {
                return url;
            }
        }

        return null;
    }
}

internal sealed class SandboxOptionsValidator : IValidateOptions<SandboxOptions>
{
    public ValidateOptionsResult Validate(string? name, SandboxOptions options) =>
        options.GraphPort is >= 0 and <= 65535
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Sandbox:GraphPort must be a TCP port between 1 and 65535, or 0 for a free one (got {options.GraphPort}).");
}

using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Hosting;

/// <summary>How the service is reached from outside (section <c>Service</c>).</summary>
public sealed class ServiceOptions
{
    public const string SectionName = "Service";

    public const string DefaultPublicBaseUrl = "http://localhost:5080";

    /// <summary>
    /// The one public origin of this service (scheme, host, optional port): the task pane, the add-in manifests,
    /// the links in the events we write and, in sandbox mode, the development sign-in all live under it.
    /// </summary>
    public string PublicBaseUrl { get; set; } = DefaultPublicBaseUrl;

    /// <summary>
    /// Outside the sandbox <see cref="PublicBaseUrl"/> must be https: Outlook loads the task pane only over https, and
    /// the links in the events we write go to real calendars. True lets a loopback http origin through with a
    /// warning, for local tests against a simulator; it never allows http on another host.
    /// </summary>
    public bool AllowHttpPublicBaseUrl { get; set; }

    /// <summary>The validated origin; start-up validation guarantees it parses.</summary>
    public PublicOrigin Origin =>
        PublicOrigin.TryParse(PublicBaseUrl, out var origin, out var error)
            ? origin
            : throw new InvalidOperationException($"{SectionName}:{nameof(PublicBaseUrl)} {error}");

    /// <summary>
    /// The task pane page for one meeting of the user's calendar; with <paramref name="outcome"/> ("fine", "rough")
    /// the page, once signed in, records that answer (opening the link alone changes nothing).
    /// </summary>
    public Uri TaskPaneLink(string meetingEventId, string? outcome = null) =>
        new(
            $"{Origin.Origin}/taskpane.html?eventId={Uri.EscapeDataString(meetingEventId)}"
                + (outcome is null ? "" : "&outcome=" + Uri.EscapeDataString(outcome)),
            UriKind.Absolute);
}

/// <summary>A validated public origin: "https://host[:port]" (plain http only for loopback), no path, query or credentials.</summary>
/// <param name="Origin">Scheme, host and port as text, without a trailing slash.</param>
/// <param name="Authority">Host and non-default port, as used in api:// resource URIs and validDomains.</param>
public sealed record PublicOrigin(string Origin, string Authority)
{
    public static bool TryParse(string? value, out PublicOrigin origin, out string error)
    {
        origin = new PublicOrigin("", "");
        if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            error = "must be an absolute URL such as https://bosstalk.contoso.com.";
            return false;
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !IsLoopback(uri))
        {
            error = "must use https (plain http is accepted only for a loopback host during development).";
            return false;
        }

        if (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.AbsolutePath != "/")
        {
            error = "must be an origin only (scheme, host and optional port), without path, query, fragment or credentials.";
            return false;
        }

        // Uri lower-cases the host and drops a default port, so equal origins compare equal as text.
        origin = new PublicOrigin(uri.GetLeftPart(UriPartial.Authority), uri.Authority);
        error = "";
        return true;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
}

public static class ServiceOptionsExtensions
{
    /// <summary>Binds and validates <see cref="ServiceOptions"/>; safe to call from every feature that needs the public URL.</summary>
    public static IServiceCollection AddServiceOptions(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<ServiceOptions>)))
        {
            return services;
        }

        services.AddOptions<ServiceOptions>().BindConfiguration(ServiceOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ServiceOptions>, ServiceOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, HttpPublicBaseUrlWarning>());
        return services;
    }

    /// <summary>
    /// True when the service serves a real tenant from a plain http origin (only possible with
    /// <see cref="ServiceOptions.AllowHttpPublicBaseUrl"/>): links it writes cannot work for real users.
    /// </summary>
    /// <remarks>
    /// Reads <c>Sandbox:Enabled</c> as Sandbox/SandboxExtensions.cs pins it at start-up (true or false); a host that
    /// never pinned it counts as serving a tenant, the strict reading. (Sandbox/ uses this folder, not the reverse.)
    /// </remarks>
    internal static bool IsHttpOutsideSandbox(ServiceOptions options, IConfiguration configuration) =>
        !(bool.TryParse(configuration["Sandbox:Enabled"], out var sandbox) && sandbox)
        && Uri.TryCreate(options.PublicBaseUrl?.Trim(), UriKind.Absolute, out var url)
        && url.Scheme != Uri.UriSchemeHttps;
}

/// <summary>
/// The origin must parse (<see cref="PublicOrigin"/>), and outside the sandbox it must be https unless
/// <see cref="ServiceOptions.AllowHttpPublicBaseUrl"/> is set: a tenant started on http wrote http://localhost links
/// into real calendars (issue 21).
/// </summary>
internal sealed class ServiceOptionsValidator(IConfiguration configuration) : IValidateOptions<ServiceOptions>
{
    private const string Setting = $"{ServiceOptions.SectionName}:{nameof(ServiceOptions.PublicBaseUrl)}";

    public ValidateOptionsResult Validate(string? name, ServiceOptions options)
    {
        if (!PublicOrigin.TryParse(options.PublicBaseUrl, out _, out var error))
        {
            return ValidateOptionsResult.Fail($"{Setting} {error} (got '{options.PublicBaseUrl}')");
        }

        return ServiceOptionsExtensions.IsHttpOutsideSandbox(options, configuration) && !options.AllowHttpPublicBaseUrl
            ? ValidateOptionsResult.Fail(
                $"{Setting} must be https when serving a tenant (outside the sandbox): Outlook loads the task pane from it and the "
                + $"links in the events BossTalk writes point at it (got '{options.PublicBaseUrl}'). Set the service's public https "
                + $"origin, or {ServiceOptions.SectionName}:{nameof(ServiceOptions.AllowHttpPublicBaseUrl)}=true for a local test only.")
            : ValidateOptionsResult.Success;
    }
}

/// <summary>Says at start-up that a tenant is served from plain http because the operator allowed it.</summary>
internal sealed partial class HttpPublicBaseUrlWarning(
    IOptions<ServiceOptions> options,
    IConfiguration configuration,
    ILogger<HttpPublicBaseUrlWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (ServiceOptionsExtensions.IsHttpOutsideSandbox(options.Value, configuration))
        {
            HttpAllowed(logger, options.Value.PublicBaseUrl);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Warning, "Service:PublicBaseUrl is {PublicBaseUrl}, plain http, allowed by Service:AllowHttpPublicBaseUrl: "
        + "the task pane and the links written into calendars will not work for real users. Use it for local tests only")]
    private static partial void HttpAllowed(ILogger logger, string publicBaseUrl);
}

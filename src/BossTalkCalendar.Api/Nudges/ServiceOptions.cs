using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Nudges;

/// <summary>How the service is reached from outside (section <c>Service</c>).</summary>
public sealed class ServiceOptions
{
    public const string SectionName = "Service";

    /// <summary>Public root URL of this service; reflection events link to the task pane under it.</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";

    /// <summary>The task pane page for one meeting of the user's calendar.</summary>
    public Uri TaskPaneLink(string meetingEventId) =>
        new(new Uri(PublicBaseUrl.TrimEnd('/') + "/", UriKind.Absolute), $"addin/taskpane.html?eventId={Uri.EscapeDataString(meetingEventId)}");
}

internal sealed class ServiceOptionsValidator : IValidateOptions<ServiceOptions>
{
    public ValidateOptionsResult Validate(string? name, ServiceOptions options) =>
        Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Service:PublicBaseUrl must be an absolute http(s) URL such as https://bosstalk.example.com (got '{options.PublicBaseUrl}').");
}

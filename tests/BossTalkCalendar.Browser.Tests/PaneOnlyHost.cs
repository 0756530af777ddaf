using BossTalkCalendar.Api.TaskPane;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace BossTalkCalendar.Browser.Tests;

/// <summary>
/// Only the task pane's own serving code (AddTaskPane/MapTaskPane) on a loopback port, with the repository's
/// wwwroot: for settings the full service would need a real tenant for (sandbox off).
/// </summary>
public sealed class PaneOnlyHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PaneOnlyHost(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = baseUrl };
    }

    public Uri BaseUrl { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="settings">Configuration of the host.</param>
    /// <param name="selfAsPublicOrigin">Sets <c>Service:PublicBaseUrl</c> to the host's own loopback address, as in production.</param>
    public static async Task<PaneOnlyHost> StartAsync(IReadOnlyDictionary<string, string?> settings, bool selfAsPublicOrigin = false)
    {
        var baseUrl = new Uri($"http://127.0.0.1:{ServiceProcess.FreePort()}");
        if (selfAsPublicOrigin)
        {
            settings = new Dictionary<string, string?>(settings) { ["Service:PublicBaseUrl"] = baseUrl.GetLeftPart(UriPartial.Authority) };
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Testing",
            ContentRootPath = Path.Combine(RepoPaths.Root, "src", "BossTalkCalendar.Api"),
            WebRootPath = RepoPaths.WebRoot,
        });
        builder.Logging.ClearProviders();
        // The pane host runs on loopback http; outside the sandbox the service refuses that unless told it is a test.
        builder.Configuration.AddInMemoryCollection(new ServiceSettings().AllowHttpPublicBaseUrl().With(settings));
        builder.WebHost.UseUrls(baseUrl.ToString());
        builder.Services.AddTaskPane();
        var app = builder.Build();
        app.MapTaskPane();
        await app.StartAsync();
        return new PaneOnlyHost(app, baseUrl);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

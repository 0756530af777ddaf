using BossTalkCalendar.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace BossTalkCalendar.Api.TaskPane;

/// <summary>Serves the Outlook task pane (wwwroot/taskpane.html and its scripts and styles).</summary>
public static class TaskPaneExtensions
{
    private const string ImmutableCache = "public, max-age=31536000, immutable";

    private const string PermissionsPolicy = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

    public static IServiceCollection AddTaskPane(this IServiceCollection services)
    {
        services.AddOptions<TaskPaneOptions>().BindConfiguration(TaskPaneOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TaskPaneOptions>, TaskPaneOptionsValidator>());
        services.TryAddSingleton<TaskPaneSite>();
        services.AddServiceOptions();
        services.TryAddSingleton<LaunchEventSite>();
        return services;
    }

    /// <summary>
    /// GET /taskpane.html (no-cache, content security policy), GET /taskpane-config.json, the fingerprinted assets
    /// under /pane/ (cached for a year, immutable), and /addin/taskpane.html, the address reflection events link to.
    /// </summary>
    public static IEndpointRouteBuilder MapTaskPane(this IEndpointRouteBuilder app)
    {
        // Render at start-up, so a broken template stops the service instead of the first user's pane.
        _ = app.ServiceProvider.GetRequiredService<TaskPaneSite>();
        _ = app.ServiceProvider.GetRequiredService<LaunchEventSite>();

        // Outlook loads the pane without a user token; the page signs in itself.
        var pane = app.MapGroup("").AllowAnonymous().ExcludeFromDescription();
        string[] getOrHead = [HttpMethods.Get, HttpMethods.Head];

        pane.MapMethods(TaskPaneSite.PagePath, getOrHead, (TaskPaneSite site, HttpContext context) =>
        {
            var headers = context.Response.Headers;
            headers.CacheControl = "no-cache";
            headers.ContentSecurityPolicy = site.ContentSecurityPolicy;
            SecurityHeaders(headers);
            return TypedResults.Bytes(site.Page, "text/html; charset=utf-8", entityTag: new EntityTagHeaderValue(site.PageTag));
        });

        pane.MapGet("/taskpane-config.json", (TaskPaneSite site, HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-cache";
            SecurityHeaders(context.Response.Headers);
            return TypedResults.Json(site.Configuration, TaskPaneJson.Options);
        });

        // Older reflection events link here; keep the query (eventId) and send Outlook to the one real page.
        pane.MapGet("/addin/taskpane.html", (HttpContext context) =>
            TypedResults.Redirect(TaskPaneSite.PagePath + context.Request.QueryString.Value, permanent: false));

        pane.MapMethods(TaskPaneSite.AssetPrefix + "{**file}", getOrHead, Results<NotFound, FileContentHttpResult> (string file, TaskPaneSite site, HttpContext context) =>
        {
            if (!site.TryGetAsset(TaskPaneSite.AssetPrefix + file, out var asset))
            {
                // A stale hash: the page that asked for it is older than this build. Nothing to cache.
                context.Response.Headers.CacheControl = "no-store";
                return TypedResults.NotFound();
            }

            var headers = context.Response.Headers;
            headers.CacheControl = ImmutableCache;
            SecurityHeaders(headers);
            return TypedResults.Bytes(asset.Content, asset.ContentType, entityTag: new EntityTagHeaderValue(asset.ETag));
        });

        MapLaunchEvent(pane, getOrHead);
        return app;
    }

    /// <summary>The send-time alert's script, runtime page and well-known file (see <see cref="LaunchEventSite"/>).</summary>
    private static void MapLaunchEvent(RouteGroupBuilder pane, string[] getOrHead)
    {
        pane.MapMethods(LaunchEventSite.ScriptPath, getOrHead, (LaunchEventSite site, HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-cache";
            SecurityHeaders(context.Response.Headers);
            return TypedResults.Bytes(site.Script, "text/javascript; charset=utf-8", entityTag: new EntityTagHeaderValue(site.ScriptTag));
        });

        pane.MapMethods(LaunchEventSite.PagePath, getOrHead, (LaunchEventSite site, HttpContext context) =>
        {
            var headers = context.Response.Headers;
            headers.CacheControl = "no-cache";
            headers.ContentSecurityPolicy = site.ContentSecurityPolicy;
            SecurityHeaders(headers);
            return TypedResults.Bytes(site.Page, "text/html; charset=utf-8", entityTag: new EntityTagHeaderValue(site.PageTag));
        });

        pane.MapMethods(LaunchEventSite.WellKnownPath, getOrHead, (LaunchEventSite site, HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-cache";
            SecurityHeaders(context.Response.Headers);
            return TypedResults.Bytes(site.WellKnown, "application/json");
        });
    }

    private static void SecurityHeaders(IHeaderDictionary headers)
    {
        headers.XContentTypeOptions = "nosniff";

        // The page URL may carry an event id; it is nobody else's business.
        headers["Referrer-Policy"] = "no-referrer";
        headers["Permissions-Policy"] = PermissionsPolicy;
    }
}

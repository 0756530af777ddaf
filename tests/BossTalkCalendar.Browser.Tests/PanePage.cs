using System.Text.Json;
using BossTalkCalendar.Api.TaskPane;
using Microsoft.Playwright;

namespace BossTalkCalendar.Browser.Tests;

/// <summary>What the Office.js test double reports for the open appointment.</summary>
/// <remarks>
/// ItemType is "appointment" (default) or "message" (a message being written); InitializationContext is the
/// contextData a Smart Alerts button passes to the pane it opens, if any.
/// </remarks>
public sealed record OfficeSeed(string ItemId, string UserEmail, string Organizer, string[] Attendees, DateTimeOffset Start, DateTimeOffset End, string HostName = "OutlookWebApp", string ItemType = "appointment", string? InitializationContext = null, string? DisplayLanguage = null);

/// <summary>
/// One task pane in a browser tab. Nothing may leave the machine: the Office.js CDN address is answered with the
/// test double (Outlook mode) or refused (a plain browser without Office), everything else off loopback is refused.
/// </summary>
public sealed class PanePage : IAsyncDisposable
{
    private static readonly string OfficeDouble = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "OfficeDouble", "office-double.js"));

    private PanePage(IPage page) => Page = page;

    public IPage Page { get; }

    public static Task<PanePage> OpenAsync(IBrowserContext context, PaneServer server, OfficeSeed? office = null, string path = "/taskpane.html", int width = 360) =>
        OpenAsync(context, server.BaseUrl, office, path, width);

    public static async Task<PanePage> OpenAsync(IBrowserContext context, Uri baseUrl, OfficeSeed? office = null, string path = "/taskpane.html", int width = 360)
    {
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(width, 900);
        await page.RouteAsync(url => !new Uri(url).IsLoopback, async route =>
        {
            if (office is not null && route.Request.Url == TaskPaneOptions.DefaultOfficeJsUrl)
            {
                await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/javascript", Body = OfficeDouble });
            }
            else
            {
                await route.AbortAsync("internetdisconnected");
            }
        });

        // Collects content-security-policy violations, so a policy that breaks the pane fails the test; and notes the
        // window's own properties before any page script runs, so a test can tell which globals the page added.
        await page.AddInitScriptAsync(
            "window.__globalsAtStart = Object.getOwnPropertyNames(window);" +
            "window.__cspViolations = [];" +
            "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));");
        if (office is not null)
        {
            var seed = JsonSerializer.Serialize(new
            {
                itemId = office.ItemId,
                userEmail = office.UserEmail,
                organizer = office.Organizer,
                attendees = office.Attendees,
                start = office.Start.ToString("O"),
                end = office.End.ToString("O"),
                hostName = office.HostName,
                itemType = office.ItemType,
                initializationContext = office.InitializationContext,
                displayLanguage = office.DisplayLanguage,
            });
            await page.AddInitScriptAsync($"window.__officeSeed = {seed};");
        }

        await page.GotoAsync(new Uri(baseUrl, path).ToString());
        return new PanePage(page);
    }

    public ILocator Id(string id) => Page.Locator("#" + id);

    public async Task<string[]> CspViolationsAsync() => await Page.EvaluateAsync<string[]>("window.__cspViolations");

    /// <summary>The window's own properties the page has added since it started (the test's own __ names left out).</summary>
    public async Task<string[]> GlobalsAddedAsync() => await Page.EvaluateAsync<string[]>(
        "Object.getOwnPropertyNames(window).filter(n => !window.__globalsAtStart.includes(n) && !n.startsWith('__')).sort()");

    public async Task<string?> FocusedIdAsync() => await Page.EvaluateAsync<string?>("document.activeElement && (document.activeElement.id || document.activeElement.dataset.eventId || null)");

    /// <summary>Preview mode: choose a demo person and sign in as them.</summary>
    public async Task SignInAsync(string userId)
    {
        await Assertions.Expect(Id("preview-title")).ToHaveTextAsync("Preview (no Outlook)");
        await Page.SelectOptionAsync("#preview-user", userId);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in as this person" }).ClickAsync();
        await Assertions.Expect(Id("preview-meetings-area")).ToBeVisibleAsync();
    }

    public ILocator MeetingButton(string eventId) => Page.Locator($"#preview-meetings button[data-event-id=\"{eventId}\"]");

    public async ValueTask DisposeAsync() => await Page.CloseAsync();
}

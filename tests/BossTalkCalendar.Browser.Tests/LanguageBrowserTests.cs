using System.Globalization;
using System.Text.RegularExpressions;
using BossTalkCalendar.Api.Sandbox;
using Microsoft.Playwright;

namespace BossTalkCalendar.Browser.Tests;

/// <summary>
/// The task pane in other languages, in headless Chromium against the real service in sandbox mode: the pseudo-locale
/// (English 40 % longer, accented) still fits 320 px with no horizontal scrollbar, Outlook's display language German
/// gives a German pane with German dates, and the preview's picker switches to Japanese (and back) on the spot.
/// Screenshots go to artifacts/browser/.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class LanguageBrowserTests(ChromiumFixture chromium)
{
    private static readonly LocatorAssertionsToHaveAttributeOptions JobTimeout = new() { Timeout = 30_000 };

    [Fact]
    public async Task InThePseudoLocaleEveryStringIsAtLeast40PercentLongerAndTheMemberAndManagerCardsFit320PixelsWithoutScrolling()
    {
        await using var server = await PaneServer.StartAsync();
        await server.ApproveDemoTeamAsync();
        var member = DemoTenant.Jonas;
        var (eventId, _) = await server.PlacedReflectionAsync(member);

        await using var pane = await PanePage.OpenAsync(chromium.Context, server, path: "/taskpane.html?lang=qps-ploc&eventId=" + Uri.EscapeDataString(eventId), width: 320);
        await Assertions.Expect(pane.Id("preview-title")).ToHaveTextAsync(new Regex(@"^\[Ṕ|^\[Þŕéṽíéŵ"));
        Assert.Equal("en-XA", await pane.Page.EvaluateAsync<string>("document.documentElement.lang"));
        // The pane's own i18n module (the page has no globals): importing its URL again gives the same instance.
        var tooShort = await pane.Page.EvaluateAsync<string[]>(
            "async () => { const url = performance.getEntriesByType('resource').map(e => e.name).find(n => /\\/pane\\/m\\/[0-9a-f]+\\/js\\/i18n\\.js$/.test(n));" +
            " const i18n = await import(url); if (i18n.language() !== 'qps-ploc') { return ['language: ' + i18n.language()]; }" +
            " const en = JSON.parse(document.getElementById('taskpane-i18n').textContent).en;" +
            " return Object.keys(en).filter(k => i18n.t(k).length < Math.ceil(en[k].length * 1.4)); }");
        Assert.Empty(tooShort);
        var untouched = await pane.Page.EvaluateAsync<string[]>(
            "[...document.querySelectorAll('[data-i18n]')].filter(e => e.offsetParent !== null && !e.textContent.startsWith('[')).map(e => e.dataset.i18n)");
        Assert.Empty(untouched);

        // A member, on the meeting the address names: the meeting, outcome, reflection, follow-up, preferences and
        // taking-part cards, then "rough", which adds one of the longest answers.
        await SignInAsync(pane, member.Id);
        await Assertions.Expect(pane.Id("reflection-state")).ToHaveAttributeAsync("data-state", "placed");
        await Assertions.Expect(pane.Id("reflection-state")).ToContainTextAsync("[Á ŕéƒļéçţíóñ");
        await pane.Id("outcome-rough").ClickAsync();
        await Assertions.Expect(pane.Id("outcome-result")).ToContainTextAsync("[Šóŕŕý", new() { Timeout = 10_000 });
        await Assertions.Expect(pane.Id("preferences")).ToBeVisibleAsync();
        await AssertFitsAsync(pane, 320);
        await ScreenshotAsync(pane, "taskpane-pseudo-320.png");

        // The manager: the team card with its counts, the sandbox helper and the revoke question open.
        await SignInAsync(pane, DemoTenant.Manager.Id);
        await Assertions.Expect(pane.Id("team-state")).ToHaveAttributeAsync("data-state", "approved");
        await pane.Id("team-revoke").ClickAsync();
        await Assertions.Expect(pane.Id("team-revoke-confirm")).ToBeVisibleAsync();
        await Assertions.Expect(pane.Id("team-counts-area")).ToBeVisibleAsync();
        await Assertions.Expect(pane.Id("team-sandbox")).ToBeVisibleAsync();
        await AssertFitsAsync(pane, 320);
        await ScreenshotAsync(pane, "team-card-pseudo-320.png");
        Assert.Empty(await pane.CspViolationsAsync());
    }

    [Fact]
    public async Task InOutlookWithAGermanDisplayLanguageThePaneIsGermanWithGermanDates()
    {
        await using var server = await PaneServer.StartAsync();
        await server.ApproveDemoTeamAsync();
        // Lea's mailbox is German too, but the pane follows Outlook's display language, not the mailbox.
        var member = DemoTenant.Lea;
        var (eventId, reflection) = await server.PlacedReflectionAsync(member);
        var meeting = await server.GetAsync(member.Id, "/api/v1/meetings/" + Uri.EscapeDataString(eventId));
        var start = DateTimeOffset.Parse(meeting.GetProperty("start").GetString()!, CultureInfo.InvariantCulture);
        var end = DateTimeOffset.Parse(meeting.GetProperty("end").GetString()!, CultureInfo.InvariantCulture);
        var seed = new OfficeSeed(eventId, member.Mail, DemoTenant.Manager.Mail, [DemoTenant.Manager.Mail, member.Mail], start, end, DisplayLanguage: "de-DE");

        await using var pane = await PanePage.OpenAsync(chromium.Context, server, seed, width: 320);
        await Assertions.Expect(pane.Id("meeting-kind")).ToHaveTextAsync("Ein Einzelgespräch mit deiner Führungskraft.");
        Assert.Equal("de-DE", await pane.Page.EvaluateAsync<string>("document.documentElement.lang"));
        await Assertions.Expect(pane.Page.Locator("header .tagline")).ToHaveTextAsync("Ein ruhiger Moment nach deinen Einzelgesprächen.");
        await Assertions.Expect(pane.Id("reflection-state")).ToHaveAttributeAsync("data-state", "placed");
        await Assertions.Expect(pane.Id("reflection-state")).ToContainTextAsync("Deine Nachdenkzeit steht im Kalender:");
        var time = pane.Page.Locator("#reflection-state time");
        await Assertions.Expect(time).ToHaveAttributeAsync("datetime", reflection.GetProperty("start").GetString()!);
        // "Do., 3. Dez., 08:30–09:00": German weekday and month, 24-hour clock.
        await Assertions.Expect(time).ToHaveTextAsync(GermanRange());
        await Assertions.Expect(pane.Id("outcome-question")).ToHaveTextAsync("Wie ist es gelaufen?");
        await Assertions.Expect(pane.Page.GetByRole(AriaRole.Button, new() { Name = "Nachgespräch anfragen" })).ToBeVisibleAsync();
        await Assertions.Expect(pane.Id("participation-state")).ToHaveTextAsync("BossTalk ist für dich aktiv.");
        await AssertFitsAsync(pane, 320);
        await ScreenshotAsync(pane, "taskpane-de-320.png");
        Assert.Empty(await pane.CspViolationsAsync());
    }

    [Fact]
    public async Task InThePreviewThePickerSwitchesToJapaneseAndTheTeamCardRedrawsWithAJapaneseDate()
    {
        await using var server = await PaneServer.StartAsync();
        await server.ApproveDemoTeamAsync(sweep: false);
        await using var pane = await PanePage.OpenAsync(chromium.Context, server, width: 320);
        await Assertions.Expect(pane.Id("preview-title")).ToHaveTextAsync("Preview (no Outlook)");

        await pane.Page.SelectOptionAsync("#preview-language", "ja");
        await Assertions.Expect(pane.Id("preview-title")).ToHaveTextAsync("プレビュー（Outlook なし）");
        Assert.Equal("ja", await pane.Page.EvaluateAsync<string>("document.documentElement.lang"));
        Assert.Contains("lang=ja", pane.Page.Url, StringComparison.Ordinal);

        await SignInAsync(pane, DemoTenant.Manager.Id);
        await Assertions.Expect(pane.Id("team-state")).ToHaveAttributeAsync("data-state", "approved");
        await Assertions.Expect(pane.Id("team-state")).ToContainTextAsync("からチームで有効です。");
        await Assertions.Expect(pane.Page.Locator("#team-state time")).ToHaveTextAsync(JapaneseDate());
        await Assertions.Expect(pane.Id("team-enrolled")).ToHaveTextAsync(new Regex(@"^(\d+|5人未満)$"));
        await Assertions.Expect(pane.Id("team-title")).ToHaveTextAsync("チームで使う BossTalk");
        await AssertFitsAsync(pane, 320);
        await ScreenshotAsync(pane, "team-card-ja-320.png");

        // Switched while signed in: what is on screen is redrawn at once, the date in German now.
        await pane.Page.SelectOptionAsync("#preview-language", "de");
        await Assertions.Expect(pane.Id("team-state")).ToContainTextAsync("Für dein Team aktiv seit");
        await Assertions.Expect(pane.Page.Locator("#team-state time")).ToHaveTextAsync(new Regex(@"^\d{1,2}\. [A-Za-zäöüÄÖÜ]+ \d{4}$"));
        await Assertions.Expect(pane.Id("team-enrolled")).ToHaveTextAsync(new Regex(@"^(\d+|weniger als 5)$"));
        Assert.Empty(await pane.CspViolationsAsync());
    }

    [Fact]
    public async Task OutsideTheSandboxTheAddressCannotPickALanguageOrThePseudoLocale()
    {
        await using var host = await PaneOnlyHost.StartAsync(new Dictionary<string, string?> { ["Sandbox:Enabled"] = "false" });
        await using var pane = await PanePage.OpenAsync(chromium.Context, host.BaseUrl, path: "/taskpane.html?lang=qps-ploc");
        await Assertions.Expect(pane.Id("open-in-outlook-title")).ToHaveTextAsync("Open this from Outlook", new() { Timeout = 10_000 });
        // The browser's own language (ChromiumFixture's en-GB), not the address's pseudo-locale (which would be en-XA).
        Assert.Equal("en-GB", await pane.Page.EvaluateAsync<string>("document.documentElement.lang"));
    }

    /// <summary>Preview sign-in by the form's ids, whatever the language.</summary>
    private static async Task SignInAsync(PanePage pane, string userId)
    {
        await pane.Page.SelectOptionAsync("#preview-user", userId);
        await pane.Id("preview-sign-in").ClickAsync();
        await Assertions.Expect(pane.Id("preview-meetings-area")).ToBeVisibleAsync();
        await Assertions.Expect(pane.Id("participation")).ToBeVisibleAsync(new() { Timeout = 10_000 });
    }

    /// <summary>No horizontal scrollbar, and no visible element reaching past the right edge (named when one does).</summary>
    private static async Task AssertFitsAsync(PanePage pane, int width)
    {
        var widths = await pane.Page.EvaluateAsync<int[]>("[document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.Equal(width, widths[1]);
        Assert.True(widths[0] <= widths[1], $"The page is {widths[0]} px wide at a {width} px viewport.");
        var overflowing = await pane.Page.EvaluateAsync<string[]>(
            "[...document.querySelectorAll('body *')].filter(e => e.offsetParent !== null && !e.closest('.visually-hidden') && e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)" +
            ".map(e => (e.id || e.tagName) + ' ' + Math.round(e.getBoundingClientRect().right))");
        Assert.Empty(overflowing);
    }

    private static async Task ScreenshotAsync(PanePage pane, string name)
    {
        var path = Path.Combine(RepoPaths.Artifacts, name);
        await pane.Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 10_000, $"{name} is suspiciously small.");
    }

    [GeneratedRegex(@"^(Mo|Di|Mi|Do|Fr|Sa|So)\., \d{1,2}\. [A-Za-zäöüÄÖÜ]+\.?, \d{2}:\d{2}–\d{2}:\d{2}$")]
    private static partial Regex GermanRange();

    [GeneratedRegex(@"^\d{4}年\d{1,2}月\d{1,2}日$")]
    private static partial Regex JapaneseDate();
}

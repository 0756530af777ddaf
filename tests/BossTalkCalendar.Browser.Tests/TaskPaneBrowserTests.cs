using System.Text.Json;
using System.Text.RegularExpressions;
using BossTalkCalendar.Api.Sandbox;
using Microsoft.Playwright;

namespace BossTalkCalendar.Browser.Tests;

/// <summary>The task pane in headless Chromium against the real service in sandbox mode.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class TaskPaneBrowserTests(ChromiumFixture chromium)
{
    private static readonly LocatorAssertionsToHaveAttributeOptions JobTimeout = new() { Timeout = 30_000 };

    [Fact]
    public async Task InPreviewModeAMemberSeesTheirPlacedReflectionAtItsLocalTimeRequestsACasualFollowUpAndOptsOut()
    {
        await using var server = await PaneServer.StartAsync();
        await server.ApproveDemoTeamAsync();
        var member = DemoTenant.Jonas;
        var (eventId, reflection) = await server.PlacedReflectionAsync(member);

        await using var pane = await PanePage.OpenAsync(chromium.Context, server);
        await pane.SignInAsync(member.Id);

        var meetingButton = pane.MeetingButton(eventId);
        await Assertions.Expect(meetingButton).ToContainTextAsync("1:1 with your manager");
        await meetingButton.ClickAsync();

        await Assertions.Expect(pane.Id("meeting-kind")).ToHaveTextAsync("A one-on-one with your manager.");
        await Assertions.Expect(pane.Id("reflection-state")).ToHaveAttributeAsync("data-state", "placed");
        await Assertions.Expect(pane.Page.Locator("#reflection-state time"))
            .ToHaveAttributeAsync("datetime", reflection.GetProperty("start").GetString()!);
        await Assertions.Expect(pane.Page.Locator("#reflection-state time")).ToHaveTextAsync(TimeOfDay());

        // Inviting the manager is opt-in, and the pane says plainly what an invitation does.
        await Assertions.Expect(pane.Id("invite-manager")).Not.ToBeCheckedAsync();
        await Assertions.Expect(pane.Id("invite-warning")).ToContainTextAsync("your manager's calendar and inbox");
        await pane.Page.GetByLabel("Casual", new() { Exact = false }).CheckAsync();
        await pane.Page.GetByRole(AriaRole.Button, new() { Name = "Request follow-up" }).ClickAsync();

        await Assertions.Expect(pane.Id("follow-up-state")).ToHaveAttributeAsync("data-state", "placed", JobTimeout);
        await Assertions.Expect(pane.Page.Locator("#follow-up-state time")).ToHaveTextAsync(TimeOfDay());
        await Assertions.Expect(pane.Id("status")).ToHaveTextAsync("Done. The follow-up is held on your calendar.");
        var followUp = (await NudgesAsync(server, member, eventId)).Single(n => n.GetProperty("kind").GetString() == "followUp");
        Assert.Equal("placed", followUp.GetProperty("state").GetString());
        Assert.Equal("casual", followUp.GetProperty("tone").GetString());
        Assert.False(followUp.GetProperty("invite").GetBoolean());
        await Assertions.Expect(pane.Page.Locator("#follow-up-state time")).ToHaveAttributeAsync("datetime", followUp.GetProperty("start").GetString()!);

        await pane.Page.GetByRole(AriaRole.Button, new() { Name = "Opt out of BossTalk" }).ClickAsync();
        await Assertions.Expect(pane.Id("status")).ToHaveTextAsync(new Regex("^You've opted out\\. 0 pending items were cancelled\\.$"));
        await Assertions.Expect(pane.Id("opt-in")).ToBeVisibleAsync();
        await Assertions.Expect(pane.Id("opt-in")).ToBeFocusedAsync();
        Assert.True((await server.GetAsync(member.Id, "/api/v1/me")).GetProperty("optedOut").GetBoolean());

        // Meeting subjects never reach the pane.
        var html = await pane.Page.ContentAsync();
        Assert.DoesNotContain("1:1 Mara", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Roadmap", html, StringComparison.Ordinal);
        Assert.Empty(await pane.CspViolationsAsync());
    }

    [Fact]
    public async Task OptingOutInThePaneCancelsAReflectionThatIsStillWaitingForAWorker()
    {
        // A web-only instance: jobs are queued but no worker runs them, so a requested reflection stays pending.
        await using var server = await PaneServer.StartAsync(new Dictionary<string, string?> { ["Jobs:RunServer"] = "false" });
        await server.ApproveDemoTeamAsync(sweep: false);
        var member = DemoTenant.Lea;
        var eventId = await server.OneOnOneOfAsync(member);

        await using var pane = await PanePage.OpenAsync(chromium.Context, server);
        await pane.SignInAsync(member.Id);
        await pane.MeetingButton(eventId).ClickAsync();
        await Assertions.Expect(pane.Id("reflection-state")).ToHaveAttributeAsync("data-state", "none");

        await pane.Page.GetByRole(AriaRole.Button, new() { Name = "Place a reflection now" }).ClickAsync();
        await Assertions.Expect(pane.Id("reflection-state")).ToHaveAttributeAsync("data-state", "planned");
        await Assertions.Expect(pane.Id("place-reflection")).ToBeHiddenAsync();

        await pane.Page.GetByRole(AriaRole.Button, new() { Name = "Opt out of BossTalk" }).ClickAsync();
        await Assertions.Expect(pane.Id("status")).ToHaveTextAsync("You've opted out. 1 pending item was cancelled.");
        await Assertions.Expect(pane.Id("reflection-state")).ToHaveAttributeAsync("data-state", "cancelled");
        await Assertions.Expect(pane.Id("follow-up-form")).ToBeHiddenAsync();

        var reflection = (await NudgesAsync(server, member, eventId)).Single(n => n.GetProperty("kind").GetString() == "reflection");
        Assert.Equal("cancelled", reflection.GetProperty("state").GetString());
    }

    [Fact]
    public async Task InOutlookTheOpenAppointmentsEwsIdIsConvertedAndTheCardShowsTheOneOnOneAndItsReflection()
    {
        await using var server = await PaneServer.StartAsync();
        await server.ApproveDemoTeamAsync();
        var member = DemoTenant.Sam;
        var (eventId, reflection) = await server.PlacedReflectionAsync(member);
        var meeting = await server.GetAsync(member.Id, "/api/v1/meetings/" + Uri.EscapeDataString(eventId));
        var start = DateTimeOffset.Parse(meeting.GetProperty("start").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var end = DateTimeOffset.Parse(meeting.GetProperty("end").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        // Outlook on the web hands out the EWS form of the id; the two differ only in '+'/'_' and '/'/'-'.
        var ewsId = eventId.Replace('_', '+').Replace('-', '/');
        var seed = new OfficeSeed(ewsId, member.Mail, DemoTenant.Manager.Mail, [DemoTenant.Manager.Mail, member.Mail], start, end);
        await using (var pane = await PanePage.OpenAsync(chromium.Context, server, seed))
        {
            await Assertions.Expect(pane.Id("meeting-kind")).ToHaveTextAsync("A one-on-one with your manager.");
            await Assertions.Expect(pane.Id("reflection-state")).ToHaveAttributeAsync("data-state", "placed");
            await Assertions.Expect(pane.Page.Locator("#reflection-state time"))
                .ToHaveAttributeAsync("datetime", reflection.GetProperty("start").GetString()!);
            await Assertions.Expect(pane.Id("preview")).ToBeHiddenAsync();
            await Assertions.Expect(pane.Id("follow-up-form")).ToBeVisibleAsync();

            var calls = await OfficeCallsAsync(pane);
            Assert.Contains(calls, c => c.Name == "convertToRestId" && c.Args[0] == ewsId && c.Args[1] == "v2.0");
            Assert.Contains(calls, c => c.Name == "isSetSupported" && c.Args[0] == "NestedAppAuth" && c.Args[1] == "1.1");
            Assert.DoesNotContain(calls, c => c.Name == "getAccessToken");
            Assert.Empty(await pane.CspViolationsAsync());
        }

        // Outlook on Android already has the REST id and no convertToRestId; the pane must not call it there.
        await using (var mobile = await PanePage.OpenAsync(chromium.Context, server, seed with { ItemId = eventId, HostName = "OutlookAndroid" }))
        {
            await Assertions.Expect(mobile.Id("reflection-state")).ToHaveAttributeAsync("data-state", "placed");
            Assert.DoesNotContain(await OfficeCallsAsync(mobile), c => c.Name == "convertToRestId");
        }
    }

    [Fact]
    public async Task OpenedByTheSendTimeAlertsFindATimeThePaneShowsTheLastOneOnOnesFollowUpWhateverItemIsOpen()
    {
        await using var server = await PaneServer.StartAsync();
        await server.ApproveDemoTeamAsync();
        var member = DemoTenant.Sam;
        var eventId = await server.OneOnOneOfAsync(member);
        var now = DateTimeOffset.UtcNow;

        // A message being written to the manager, and a new meeting request that has no id yet.
        var message = new OfficeSeed("", member.Mail, member.Mail, [DemoTenant.Manager.Mail], now, now, ItemType: "message", InitializationContext: "{\"source\":\"sendAlert\"}");
        var meeting = message with { ItemType = "appointment" };
        foreach (var seed in new[] { message, meeting })
        {
            await using var pane = await PanePage.OpenAsync(chromium.Context, server, seed);
            await Assertions.Expect(pane.Id("meeting-kind")).ToHaveTextAsync("A one-on-one with your manager.");
            await Assertions.Expect(pane.Id("follow-up-form")).ToBeVisibleAsync();
            await Assertions.Expect(pane.Id("follow-up-title")).ToBeFocusedAsync();
            await Assertions.Expect(pane.Id("status")).ToHaveTextAsync("Here's your last one-on-one. BossTalk can find a good time to follow up.");
            await Assertions.Expect(pane.Id("meeting")).ToHaveAttributeAsync("data-event-id", eventId);
            Assert.Contains(await OfficeCallsAsync(pane), c => c.Name == "getInitializationContextAsync");
            Assert.Empty(await pane.CspViolationsAsync());
        }

        // The pane is already open on a meeting when the alert's button is used: Outlook raises
        // InitializationContextChanged instead of reloading it, and the pane turns to the last one-on-one's follow-up.
        var (reflectionMeeting, _) = await server.PlacedReflectionAsync(member);
        var open = await server.GetAsync(member.Id, "/api/v1/meetings/" + Uri.EscapeDataString(reflectionMeeting));
        var opened = new OfficeSeed(
            reflectionMeeting, member.Mail, DemoTenant.Manager.Mail, [DemoTenant.Manager.Mail, member.Mail],
            DateTimeOffset.Parse(open.GetProperty("start").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(open.GetProperty("end").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        await using var already = await PanePage.OpenAsync(chromium.Context, server, opened);
        await Assertions.Expect(already.Id("follow-up-form")).ToBeVisibleAsync();
        await Assertions.Expect(already.Id("status")).Not.ToHaveTextAsync("Here's your last one-on-one. BossTalk can find a good time to follow up.");
        await already.Page.WaitForFunctionAsync("() => window.__officeDoubleCalls.some(c => c.name === 'addHandlerAsync')");
        await already.Page.EvaluateAsync("() => window.__raiseInitializationContextChanged('{\"source\":\"sendAlert\"}')");
        await Assertions.Expect(already.Id("status")).ToHaveTextAsync("Here's your last one-on-one. BossTalk can find a good time to follow up.");
        await Assertions.Expect(already.Id("follow-up-title")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task WithTheKeyboardAloneAMemberReachesTheFollowUpButtonAndRequestsItWithEnter()
    {
        await using var server = await PaneServer.StartAsync();
        await server.ApproveDemoTeamAsync();
        var member = DemoTenant.Jonas;
        var (eventId, _) = await server.PlacedReflectionAsync(member);
        await using var pane = await PanePage.OpenAsync(chromium.Context, server);
        await Assertions.Expect(pane.Id("preview-title")).ToBeVisibleAsync();
        await Assertions.Expect(pane.Page.Locator($"#preview-user option[value=\"{member.Id}\"]")).ToHaveCountAsync(1);

        await TabToAsync(pane, "preview-user");
        for (var i = 0; i < 10 && await pane.Id("preview-user").InputValueAsync() != member.Id; i++)
        {
            await pane.Page.Keyboard.PressAsync("ArrowDown");
        }

        Assert.Equal(member.Id, await pane.Id("preview-user").InputValueAsync());
        await TabToAsync(pane, "preview-sign-in");
        await pane.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(pane.MeetingButton(eventId)).ToBeVisibleAsync();

        await TabToAsync(pane, eventId);
        await pane.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(pane.Id("meeting-title")).ToBeFocusedAsync();
        await Assertions.Expect(pane.Id("follow-up-form")).ToBeVisibleAsync();

        await TabToAsync(pane, "request-follow-up");
        var outline = await pane.Page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle");
        Assert.NotEqual("none", outline);
        await pane.Page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(pane.Id("follow-up-state")).ToHaveAttributeAsync("data-state", "placed", JobTimeout);
        var followUp = (await NudgesAsync(server, member, eventId)).Single(n => n.GetProperty("kind").GetString() == "followUp");
        Assert.Equal("casual", followUp.GetProperty("tone").GetString());
        Assert.False(followUp.GetProperty("invite").GetBoolean());
    }

    [Fact]
    public async Task OpenedFromAReflectionLinkAt320PixelsThePaneShowsThatMeetingWithNoHorizontalScrollbarAndEveryControlLabelled()
    {
        await using var server = await PaneServer.StartAsync();
        await server.ApproveDemoTeamAsync();
        var member = DemoTenant.Jonas;
        var (eventId, _) = await server.PlacedReflectionAsync(member);
        // Opened the way a reflection event's link opens it: the meeting is chosen as soon as the person signs in.
        await using var pane = await PanePage.OpenAsync(chromium.Context, server, path: "/addin/taskpane.html?eventId=" + Uri.EscapeDataString(eventId), width: 320);
        await pane.SignInAsync(member.Id);
        await Assertions.Expect(pane.Id("reflection-state")).ToHaveAttributeAsync("data-state", "placed");
        await Assertions.Expect(pane.MeetingButton(eventId)).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(pane.Id("preferences")).ToBeVisibleAsync();
        await Assertions.Expect(pane.Id("pref-cooldown")).Not.ToHaveValueAsync("");

        var widths = await pane.Page.EvaluateAsync<int[]>("[document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.Equal(320, widths[1]);
        Assert.True(widths[0] <= widths[1], $"The page is {widths[0]} px wide at a 320 px viewport.");

        var unlabelled = await pane.Page.EvaluateAsync<string[]>(
            "[...document.querySelectorAll('input, select')].filter(e => !e.labels || e.labels.length === 0).map(e => e.id)");
        Assert.Empty(unlabelled);
        var nameless = await pane.Page.EvaluateAsync<string[]>(
            "[...document.querySelectorAll('button')].filter(b => b.textContent.trim() === '').map(b => b.id)");
        Assert.Empty(nameless);

        var screenshot = Path.Combine(RepoPaths.Artifacts, "taskpane.png");
        await pane.Page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000);
    }

    [Fact]
    public async Task ThePaneIsOneEntryModuleAndAddsNoGlobalOfItsOwn()
    {
        await using var server = await PaneServer.StartAsync();
        await server.ApproveDemoTeamAsync();
        var member = DemoTenant.Jonas;
        var eventId = await server.OneOnOneOfAsync(member);

        // The preview loads every module there is: the cards, the sandbox's preview and development sign-in.
        await using var pane = await PanePage.OpenAsync(chromium.Context, server, path: "/taskpane.html?eventId=" + Uri.EscapeDataString(eventId));
        await pane.SignInAsync(member.Id);
        await Assertions.Expect(pane.Id("meeting")).ToHaveAttributeAsync("data-event-id", eventId);
        var modules = await pane.Page.EvaluateAsync<string[]>(
            "performance.getEntriesByType('resource').map(e => new URL(e.name).pathname).filter(p => p.startsWith('/pane/m/'))");
        Assert.Contains(modules, m => m.EndsWith("/js/preview/dev-sign-in.js", StringComparison.Ordinal));
        Assert.Contains(modules, m => m.EndsWith("/js/session.js", StringComparison.Ordinal));

        // Only MSAL.js's own global (window.msal, a classic script we vendor); before the modules the pane added BossTalk.
        Assert.Equal(["msal"], await pane.GlobalsAddedAsync());
        Assert.Equal(1, await pane.Page.Locator("script[type=module]").CountAsync());
        Assert.Equal(0, await pane.Page.Locator("script[src][defer]:not([src*='msal-browser'])").CountAsync());
        Assert.Empty(await pane.CspViolationsAsync());

        // The session store cannot be written from outside: its view is read-only.
        var sessionUrl = modules.First(m => m.EndsWith("/js/session.js", StringComparison.Ordinal));
        var refused = await pane.Page.EvaluateAsync<string>(
            "async url => { 'use strict'; const store = await import(url); try { store.session.eventId = 'x'; return 'written'; } catch (e) { return e.name; } }", sessionUrl);
        Assert.Equal("TypeError", refused);
        await Assertions.Expect(pane.Id("meeting")).ToHaveAttributeAsync("data-event-id", eventId);
    }

    [Fact]
    public async Task OutsideSandboxModeAPlainBrowserIsToldToOpenThePaneFromOutlook()
    {
        await using var host = await PaneOnlyHost.StartAsync(new Dictionary<string, string?> { ["Sandbox:Enabled"] = "false" });
        await using var pane = await PanePage.OpenAsync(chromium.Context, host.BaseUrl);
        await Assertions.Expect(pane.Id("open-in-outlook")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Assertions.Expect(pane.Id("open-in-outlook-title")).ToHaveTextAsync("Open this from Outlook");
        // The preview is not even on the page, and no preview module was asked for.
        await Assertions.Expect(pane.Id("preview")).ToHaveCountAsync(0);
        var loaded = await pane.Page.EvaluateAsync<string[]>("performance.getEntriesByType('resource').map(e => e.name)");
        Assert.DoesNotContain(loaded, url => url.Contains("/js/preview/", StringComparison.Ordinal));
        Assert.Contains(loaded, url => url.EndsWith("/js/session.js", StringComparison.Ordinal));
        Assert.Equal(["msal"], await pane.GlobalsAddedAsync());
        Assert.Empty(await pane.CspViolationsAsync());
    }

    private static async Task TabToAsync(PanePage pane, string id)
    {
        for (var presses = 0; presses < 40; presses++)
        {
            await pane.Page.Keyboard.PressAsync("Tab");
            if (await pane.FocusedIdAsync() == id)
            {
                return;
            }
        }

        Assert.Fail($"Tab never reached {id}.");
    }

    private static async Task<List<JsonElement>> NudgesAsync(PaneServer server, DemoUser member, string eventId) =>
        [.. (await server.GetAsync(member.Id, "/api/v1/meetings/" + Uri.EscapeDataString(eventId))).GetProperty("nudges").EnumerateArray()];

    private static async Task<List<(string Name, string?[] Args)>> OfficeCallsAsync(PanePage pane)
    {
        var json = await pane.Page.EvaluateAsync<string>("JSON.stringify(window.__officeDoubleCalls)");
        return [.. JsonDocument.Parse(json).RootElement.EnumerateArray().Select(call => (
            call.GetProperty("name").GetString()!,
            call.GetProperty("args").EnumerateArray().Select(a => a.ValueKind == JsonValueKind.String ? a.GetString() : a.ToString()).ToArray()))];
    }

    [GeneratedRegex(@"\d{1,2}:\d{2}")]
    private static partial Regex TimeOfDay();
}

using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BossTalkCalendar.Api.Sandbox;
using Microsoft.Playwright;

namespace BossTalkCalendar.Browser.Tests;

/// <summary>
/// "How did it go?" on the meeting card (Fine / Mixed / Rough, also through the reflection block's links), the
/// suggested follow-up tone, progress after a request, and the meeting's timeline, against the real service.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class OutcomeBrowserTests(ChromiumFixture chromium)
{
    private static readonly LocatorAssertionsToHaveAttributeOptions JobTimeout = new() { Timeout = 30_000 };
    private static readonly LocatorAssertionsToHaveTextOptions JobTextTimeout = new() { Timeout = 30_000 };

    [Fact]
    public async Task RoughRecordsTheOutcomeKeepsTheReflectionAndOpensTheFollowUpCardWithTheToneTheRelationshipSuggests()
    {
        await using var server = await PaneServer.StartAsync();
        await server.ApproveDemoTeamAsync();
        var member = DemoTenant.Jonas;
        var (eventId, reflection) = await server.PlacedReflectionAsync(member);

        await using var pane = await PanePage.OpenAsync(chromium.Context, server);
        await pane.SignInAsync(member.Id);

        // The relationship is the person's own setting: "It's more formal" suggests a formal follow-up.
        await pane.Page.GetByLabel("It's more formal").CheckAsync();
        await pane.Page.GetByRole(AriaRole.Button, new() { Name = "Save preferences" }).ClickAsync();
        await Assertions.Expect(pane.Id("status")).ToHaveTextAsync("Preferences saved.");
        var preferences = (await server.GetAsync(member.Id, "/api/v1/me")).GetProperty("preferences");
        Assert.Equal("formal", preferences.GetProperty("relationship").GetString());

        await pane.MeetingButton(eventId).ClickAsync();
        await Assertions.Expect(pane.Id("outcome-question")).ToHaveTextAsync("How did it go?");
        await Assertions.Expect(pane.Id("tone-casual")).ToBeCheckedAsync();
        await Assertions.Expect(pane.Id("follow-up-suggestion")).ToBeHiddenAsync();

        await pane.Page.GetByRole(AriaRole.Button, new() { Name = "Rough" }).ClickAsync();

        await Assertions.Expect(pane.Id("outcome-result")).ToContainTextAsync("A short prep block will be placed before your next one-on-one.");
        await Assertions.Expect(pane.Id("outcome-result")).ToContainTextAsync("Your reflection block stays.");
        await Assertions.Expect(pane.Id("outcome-rough")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(pane.Id("outcome-fine")).ToHaveAttributeAsync("aria-pressed", "false");
        await Assertions.Expect(pane.Id("outcome-question")).ToContainTextAsync("You said it was rough.");
        await Assertions.Expect(pane.Id("follow-up-form")).ToBeVisibleAsync();
        await Assertions.Expect(pane.Id("tone-formal")).ToBeCheckedAsync();
        await Assertions.Expect(pane.Id("follow-up-suggestion")).ToBeVisibleAsync();
        await Assertions.Expect(pane.Id("follow-up-suggestion")).ToHaveAttributeAsync("data-tone", "formal");
        await Assertions.Expect(pane.Id("follow-up-title")).ToBeFocusedAsync();
        await Assertions.Expect(pane.Id("error")).ToBeHiddenAsync();

        // The answer is kept only until the prep block it asked for is placed (docs/architecture.md, "How did it go?").
        var meeting = await MeetingAsync(server, member, eventId);
        var prep = Nudges(meeting).Single(n => n.GetProperty("kind").GetString() == "prep");
        var prepPlaced = prep.GetProperty("state").GetString() == "placed";
        Assert.Equal(prepPlaced ? null : "rough", meeting.GetProperty("outcome").GetString());
        Assert.Equal("formal", meeting.GetProperty("suggestedTone").GetString());
        var kept = Nudges(meeting).Single(n => n.GetProperty("kind").GetString() == "reflection");
        Assert.Equal("placed", kept.GetProperty("state").GetString());
        Assert.Equal(reflection.GetProperty("id").GetString(), kept.GetProperty("id").GetString());

        // Asking for the suggested follow-up shows short progress until it is placed.
        await pane.Page.GetByRole(AriaRole.Button, new() { Name = "Request follow-up" }).ClickAsync();
        await Assertions.Expect(pane.Id("follow-up-state")).ToHaveAttributeAsync("data-state", "placed", JobTimeout);
        await Assertions.Expect(pane.Id("follow-up-progress")).ToHaveTextAsync(PlacedProgress(), JobTextTimeout);
        var followUp = Nudges(await MeetingAsync(server, member, eventId)).Single(n => n.GetProperty("kind").GetString() == "followUp");
        Assert.Equal("formal", followUp.GetProperty("tone").GetString());
        Assert.False(followUp.GetProperty("invite").GetBoolean());
        Assert.Empty(await pane.CspViolationsAsync());
    }

    [Fact]
    public async Task FineDismissesTheReflectionAndThePaneSaysTheBlockIsOffTheCalendar()
    {
        await using var server = await PaneServer.StartAsync();
        await server.ApproveDemoTeamAsync();
        var member = DemoTenant.Lea;
        var (eventId, reflection) = await server.PlacedReflectionAsync(member);
        var reflectionStart = DateTimeOffset.Parse(reflection.GetProperty("start").GetString()!, CultureInfo.InvariantCulture);
        Assert.True(reflectionStart > DateTimeOffset.UtcNow, $"The demo reflection starts at {reflectionStart:O}, before now: the test needs one still to come.");

        await using var pane = await PanePage.OpenAsync(chromium.Context, server);
        await pane.SignInAsync(member.Id);
        await pane.MeetingButton(eventId).ClickAsync();
        await Assertions.Expect(pane.Id("reflection-state")).ToHaveAttributeAsync("data-state", "placed");
        await Assertions.Expect(pane.Page.Locator("#timeline-list li[data-kind=\"reflection\"]")).ToHaveCountAsync(1);

        await pane.Page.GetByRole(AriaRole.Button, new() { Name = "Fine" }).ClickAsync();

        await Assertions.Expect(pane.Id("outcome-result")).ToHaveTextAsync(
            "Glad it went fine. The reflection block is off your calendar, and nothing more will come for this meeting.");
        await Assertions.Expect(pane.Id("reflection-state")).ToHaveAttributeAsync("data-state", "dismissed");
        await Assertions.Expect(pane.Id("place-reflection")).ToBeHiddenAsync();
        await Assertions.Expect(pane.Id("outcome-fine")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(pane.Page.Locator("#timeline-list li[data-kind=\"reflection\"]")).ToHaveCountAsync(0);
        await Assertions.Expect(pane.Id("follow-up-suggestion")).ToBeHiddenAsync();

        var meeting = await MeetingAsync(server, member, eventId);
        Assert.Equal("fine", meeting.GetProperty("outcome").GetString());
        var dismissed = Nudges(meeting).Single(n => n.GetProperty("kind").GetString() == "reflection");
        Assert.Equal("dismissed", dismissed.GetProperty("state").GetString());
    }

    [Fact]
    public async Task AReflectionBlocksFineLinkOnlyAsksAndRemovesTheBlockOnlyWhenThePersonSaysYes()
    {
        await using var server = await PaneServer.StartAsync();
        await server.ApproveDemoTeamAsync();
        var member = DemoTenant.Lea;
        var (eventId, _) = await server.PlacedReflectionAsync(member);

        await using var pane = await PanePage.OpenAsync(chromium.Context, server, path: "/addin/taskpane.html?eventId=" + Uri.EscapeDataString(eventId) + "&outcome=fine");
        await Assertions.Expect(pane.Id("preview-title")).ToBeVisibleAsync();
        await Assertions.Expect(pane.Page.Locator($"#preview-user option[value=\"{member.Id}\"]")).ToHaveCountAsync(1);

        // Loading the address alone has changed nothing, and the answer still waits in the address.
        await AssertNoOutcomeAsync(server, member, eventId);
        Assert.Contains("outcome=fine", await SearchAsync(pane), StringComparison.Ordinal);

        // Signed in, the pane asks once, and still nothing has changed: a link someone else sent cannot answer.
        await pane.SignInAsync(member.Id);
        var question = pane.Page.GetByRole(AriaRole.Group, new() { Name = "Remove the reflection block for this one-on-one?" });
        await Assertions.Expect(question).ToBeVisibleAsync();
        await Assertions.Expect(pane.Id("outcome-confirm-question")).ToBeFocusedAsync();
        await Assertions.Expect(pane.Id("outcome-confirm-why")).ToHaveTextAsync("A link opened BossTalk with this answer. Nothing changes until you confirm.");
        await Assertions.Expect(pane.Id("outcome-result")).ToBeEmptyAsync();
        await Assertions.Expect(pane.Id("outcome-fine")).ToHaveAttributeAsync("aria-pressed", "false");
        await Assertions.Expect(pane.Id("reflection-state")).ToHaveAttributeAsync("data-state", "placed");
        await AssertNoOutcomeAsync(server, member, eventId);
        var search = await SearchAsync(pane);
        Assert.DoesNotContain("outcome", search, StringComparison.Ordinal);
        Assert.Contains("eventId=" + Uri.EscapeDataString(eventId), search, StringComparison.Ordinal);

        await question.GetByRole(AriaRole.Button, new() { Name = "Yes" }).ClickAsync();
        await Assertions.Expect(pane.Id("outcome-result")).ToContainTextAsync("Glad it went fine.");
        await Assertions.Expect(pane.Id("reflection-state")).ToHaveAttributeAsync("data-state", "dismissed");
        await Assertions.Expect(pane.Id("outcome-confirm")).ToBeHiddenAsync();
        var after = await MeetingAsync(server, member, eventId);
        Assert.Equal("fine", after.GetProperty("outcome").GetString());
        Assert.Equal("dismissed", Nudges(after).Single(n => n.GetProperty("kind").GetString() == "reflection").GetProperty("state").GetString());

        // A reload signs in again and shows the meeting, but neither asks nor sends anything.
        await pane.Page.ReloadAsync();
        await pane.SignInAsync(member.Id);
        await Assertions.Expect(pane.Id("outcome-fine")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(pane.Id("status")).ToHaveTextAsync("Signed in to the sandbox.");
        await Assertions.Expect(pane.Id("outcome-confirm")).ToBeHiddenAsync();
        await Assertions.Expect(pane.Id("outcome-result")).ToBeEmptyAsync();
        Assert.Empty(await pane.CspViolationsAsync());
    }

    [Fact]
    public async Task DecliningALinksQuestionChangesNothingForFineOrRoughAndConfirmingRoughRecordsIt()
    {
        await using var server = await PaneServer.StartAsync();
        await server.ApproveDemoTeamAsync();
        // Lea's reflection is still to come, so "fine" asks about removing it.
        var member = DemoTenant.Lea;
        var (eventId, reflection) = await server.PlacedReflectionAsync(member);

        foreach (var (outcome, question) in new[] { ("fine", "Remove the reflection block for this one-on-one?"), ("rough", "Tell BossTalk this one-on-one was rough?") })
        {
            await using var declined = await PanePage.OpenAsync(chromium.Context, server, path: "/taskpane.html?eventId=" + Uri.EscapeDataString(eventId) + "&outcome=" + outcome);
            await declined.SignInAsync(member.Id);
            var group = declined.Page.GetByRole(AriaRole.Group, new() { Name = question });
            await Assertions.Expect(group).ToBeVisibleAsync();
            await group.GetByRole(AriaRole.Button, new() { Name = "No" }).ClickAsync();

            await Assertions.Expect(declined.Id("outcome-confirm")).ToBeHiddenAsync();
            await Assertions.Expect(declined.Id("outcome-" + outcome)).ToBeFocusedAsync();
            await Assertions.Expect(declined.Id("outcome-question")).ToHaveTextAsync("How did it go?");
            await Assertions.Expect(declined.Id("outcome-result")).ToBeEmptyAsync();
            await Assertions.Expect(declined.Id("reflection-state")).ToHaveAttributeAsync("data-state", "placed");
            Assert.DoesNotContain("outcome", await SearchAsync(declined), StringComparison.Ordinal);
            await AssertNoOutcomeAsync(server, member, eventId);
            Assert.DoesNotContain(Nudges(await MeetingAsync(server, member, eventId)), n => n.GetProperty("kind").GetString() == "prep");
        }

        // The rough link, confirmed: recorded, the reflection kept, a prep block asked for, the follow-up card open.
        await using var pane = await PanePage.OpenAsync(chromium.Context, server, path: "/taskpane.html?eventId=" + Uri.EscapeDataString(eventId) + "&outcome=rough");
        await pane.SignInAsync(member.Id);
        var rough = pane.Page.GetByRole(AriaRole.Group, new() { Name = "Tell BossTalk this one-on-one was rough?" });
        await Assertions.Expect(rough).ToBeVisibleAsync();
        await AssertNoOutcomeAsync(server, member, eventId);
        await rough.GetByRole(AriaRole.Button, new() { Name = "Yes" }).ClickAsync();

        await Assertions.Expect(pane.Id("outcome-result")).ToContainTextAsync("Your reflection block stays.");
        await Assertions.Expect(pane.Id("outcome-rough")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(pane.Id("follow-up-form")).ToBeVisibleAsync();
        var meeting = await MeetingAsync(server, member, eventId);
        Assert.Contains(Nudges(meeting), n => n.GetProperty("kind").GetString() == "prep");
        var kept = Nudges(meeting).Single(n => n.GetProperty("kind").GetString() == "reflection");
        Assert.Equal(reflection.GetProperty("id").GetString(), kept.GetProperty("id").GetString());
        Assert.Equal("placed", kept.GetProperty("state").GetString());
        Assert.Empty(await pane.CspViolationsAsync());
    }

    [Fact]
    public async Task At320PixelsTheMeetingCardsTimelineFitsEveryControlIsLabelledAndTheTextVersionListsItsItemsInOrder()
    {
        await using var server = await PaneServer.StartAsync();
        await server.ApproveDemoTeamAsync();
        var member = DemoTenant.Jonas;
        var (eventId, reflection) = await server.PlacedReflectionAsync(member);
        var meeting = await MeetingAsync(server, member, eventId);

        await using var pane = await PanePage.OpenAsync(chromium.Context, server, width: 320);
        await pane.SignInAsync(member.Id);
        await pane.MeetingButton(eventId).ClickAsync();
        await Assertions.Expect(pane.Id("timeline-area")).ToBeVisibleAsync();
        await Assertions.Expect(pane.Id("outcome")).ToBeVisibleAsync();

        // The text version: the meeting, its cool-down, then the reflection (the next one-on-one too, when known), in time order.
        var items = pane.Page.Locator("#timeline-list li");
        var kinds = await items.EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.kind)");
        var nextKnown = meeting.GetProperty("nextOneOnOneStart").ValueKind != JsonValueKind.Null;
        Assert.Equal(nextKnown ? new[] { "meeting", "coolDown", "reflection", "next" } : new[] { "meeting", "coolDown", "reflection" }, kinds);
        var texts = await items.AllInnerTextsAsync();
        Assert.Matches(TimelineText("One-on-one"), texts[0]);
        Assert.Matches(TimelineText("Cool-down"), texts[1]);
        Assert.Matches(TimelineText("Reflection"), texts[2]);
        var stamps = await pane.Page.Locator("#timeline-list time").EvaluateAllAsync<string[]>("times => times.map(t => t.dateTime)");
        Assert.Equal(meeting.GetProperty("start").GetString(), stamps[0]);
        Assert.Equal(meeting.GetProperty("end").GetString(), stamps[1]);
        Assert.Equal(reflection.GetProperty("start").GetString(), stamps[2]);
        var instants = stamps.Select(s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(instants.Order(), instants);

        // The bar is for the eye; the list is what assistive technology reads.
        await Assertions.Expect(pane.Id("timeline")).ToHaveAttributeAsync("aria-hidden", "true");
        await Assertions.Expect(pane.Page.Locator("#timeline .timeline-item")).ToHaveCountAsync(kinds.Length);
        await Assertions.Expect(pane.Id("timeline")).ToBeVisibleAsync();

        var widths = await pane.Page.EvaluateAsync<int[]>("[document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.Equal(320, widths[1]);
        Assert.True(widths[0] <= widths[1], $"The page is {widths[0]} px wide at a 320 px viewport.");
        var overflowing = await pane.Page.EvaluateAsync<string[]>(
            "[...document.querySelectorAll('#meeting *')].filter(e => e.offsetParent !== null && e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).map(e => e.id || e.className)");
        Assert.Empty(overflowing);

        var unlabelled = await pane.Page.EvaluateAsync<string[]>(
            "[...document.querySelectorAll('input, select')].filter(e => !e.labels || e.labels.length === 0).map(e => e.id)");
        Assert.Empty(unlabelled);
        var nameless = await pane.Page.EvaluateAsync<string[]>(
            "[...document.querySelectorAll('button')].filter(b => b.textContent.trim() === '').map(b => b.id)");
        Assert.Empty(nameless);
        await Assertions.Expect(pane.Page.GetByRole(AriaRole.Group, new() { Name = "How did it go?" })).ToBeVisibleAsync();
        await Assertions.Expect(pane.Page.GetByRole(AriaRole.List, new() { Name = "Around this meeting" })).ToHaveCountAsync(1);

        // Privacy: the pane never shows meeting subjects or the people in them.
        var html = await pane.Page.ContentAsync();
        Assert.DoesNotContain("1:1 Mara", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Mara", await pane.Id("meeting").InnerTextAsync(), StringComparison.Ordinal);

        await ScreenshotAsync(pane, "meeting-card-timeline-320.png");
        await pane.Page.SetViewportSizeAsync(800, 900);
        await ScreenshotAsync(pane, "meeting-card-timeline-800.png");

        // The other new setting: when BossTalk steps in.
        await pane.Page.GetByLabel("Only when I flag one").CheckAsync();
        await pane.Page.GetByRole(AriaRole.Button, new() { Name = "Save preferences" }).ClickAsync();
        await Assertions.Expect(pane.Id("status")).ToHaveTextAsync("Preferences saved.");
        Assert.Equal("whenIFlag", (await server.GetAsync(member.Id, "/api/v1/me")).GetProperty("preferences").GetProperty("mode").GetString());
        await Assertions.Expect(pane.Id("pref-mode-flag")).ToBeCheckedAsync();

        // The send-time alert is on by default (Policy:SendAlert) and can be turned off here.
        var sendAlert = pane.Page.GetByLabel("A gentle word before I write to my manager soon after a one-on-one");
        await Assertions.Expect(sendAlert).ToBeCheckedAsync();
        await sendAlert.UncheckAsync();
        await pane.Page.GetByRole(AriaRole.Button, new() { Name = "Save preferences" }).ClickAsync();
        // The status already reads "Preferences saved." from the save above: wait for the service instead.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((await server.GetAsync(member.Id, "/api/v1/me")).GetProperty("preferences").GetProperty("sendAlert").GetBoolean() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.False((await server.GetAsync(member.Id, "/api/v1/me")).GetProperty("preferences").GetProperty("sendAlert").GetBoolean());
        await Assertions.Expect(pane.Id("status")).ToHaveTextAsync("Preferences saved.");
        await Assertions.Expect(sendAlert).Not.ToBeCheckedAsync();
        Assert.Empty(await pane.CspViolationsAsync());
    }

    [Fact]
    public async Task WithTheKeyboardAloneAMemberReachesTheOutcomeButtonsAndAnswersMixedWithEnter()
    {
        await using var server = await PaneServer.StartAsync();
        await server.ApproveDemoTeamAsync();
        var member = DemoTenant.Priya;
        var (eventId, _) = await server.PlacedReflectionAsync(member);

        await using var pane = await PanePage.OpenAsync(chromium.Context, server, path: "/taskpane.html?eventId=" + Uri.EscapeDataString(eventId));
        await pane.SignInAsync(member.Id);
        await Assertions.Expect(pane.Id("outcome")).ToBeVisibleAsync();

        await TabToAsync(pane, "outcome-fine");
        await pane.Page.Keyboard.PressAsync("Tab");
        Assert.Equal("outcome-mixed", await pane.FocusedIdAsync());
        var outline = await pane.Page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle");
        Assert.NotEqual("none", outline);
        await pane.Page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(pane.Id("outcome-result")).ToHaveTextAsync("Thanks for saying. Your reflection block stays, for whenever you want it.");
        await Assertions.Expect(pane.Id("outcome-mixed")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(pane.Id("reflection-state")).ToHaveAttributeAsync("data-state", "placed");
        var meeting = await MeetingAsync(server, member, eventId);
        Assert.Equal("mixed", meeting.GetProperty("outcome").GetString());
        Assert.Equal("placed", Nudges(meeting).Single(n => n.GetProperty("kind").GetString() == "reflection").GetProperty("state").GetString());

        // The answer can be changed, still with the keyboard.
        await TabToAsync(pane, "outcome-rough");
        await pane.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(pane.Id("outcome-rough")).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.Equal("rough", (await MeetingAsync(server, member, eventId)).GetProperty("outcome").GetString());
    }

    private static async Task ScreenshotAsync(PanePage pane, string name)
    {
        var path = Path.Combine(RepoPaths.Artifacts, name);
        await pane.Id("meeting").ScreenshotAsync(new LocatorScreenshotOptions { Path = path });
        Assert.True(new FileInfo(path).Length > 5_000, $"{name} is suspiciously small.");
    }

    private static async Task TabToAsync(PanePage pane, string id)
    {
        for (var presses = 0; presses < 60; presses++)
        {
            await pane.Page.Keyboard.PressAsync("Tab");
            if (await pane.FocusedIdAsync() == id)
            {
                return;
            }
        }

        Assert.Fail($"Tab never reached {id}.");
    }

    /// <summary>No answer recorded and the reflection still placed: what a link must leave alone until the person says yes.</summary>
    private static async Task AssertNoOutcomeAsync(PaneServer server, DemoUser member, string eventId)
    {
        var meeting = await MeetingAsync(server, member, eventId);
        Assert.Equal(JsonValueKind.Null, meeting.GetProperty("outcome").ValueKind);
        Assert.Equal("placed", Nudges(meeting).Single(n => n.GetProperty("kind").GetString() == "reflection").GetProperty("state").GetString());
    }

    private static Task<string> SearchAsync(PanePage pane) => pane.Page.EvaluateAsync<string>("window.location.search");

    private static Task<JsonElement> MeetingAsync(PaneServer server, DemoUser member, string eventId) =>
        server.GetAsync(member.Id, "/api/v1/meetings/" + Uri.EscapeDataString(eventId));

    private static List<JsonElement> Nudges(JsonElement meeting) => [.. meeting.GetProperty("nudges").EnumerateArray()];

    // "Reflection: Wed 14:00–14:30", with the date when it isn't the meeting's day: "Reflection: Thu 3 Dec 08:00–08:30".
    private static Regex TimelineText(string label) => new("^" + Regex.Escape(label) + @": \w+( \d{1,2} \w+)? \d{1,2}:\d{2}( ?– ?(\w+( \d{1,2} \w+)? )?\d{1,2}:\d{2})?$");

    [GeneratedRegex(@"^Placed: \w+ \d{1,2}:\d{2}–\d{1,2}:\d{2}$")]
    private static partial Regex PlacedProgress();
}

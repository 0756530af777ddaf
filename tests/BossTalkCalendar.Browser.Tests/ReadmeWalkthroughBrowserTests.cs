using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BossTalkCalendar.Api.Sandbox;
using Microsoft.Playwright;

namespace BossTalkCalendar.Browser.Tests;

/// <summary>
/// The README's "Try it in the sandbox" walk-throughs ("How did it go?" and "The rollout"), followed the way a newcomer
/// would: by the labels, buttons and texts the README names, in its order. A change that breaks a step there fails here.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ReadmeWalkthroughBrowserTests(ChromiumFixture chromium)
{
    private static readonly LocatorAssertionsToHaveAttributeOptions JobTimeout = new() { Timeout = 60_000 };
    private static readonly LocatorAssertionsToHaveCountOptions JobCountTimeout = new() { Timeout = 60_000 };

    [Fact]
    public void TheReadmeStillSaysWhatThisTestFollows()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        foreach (var step in new[]
        {
            "Open `http://localhost:5080/taskpane.html`",
            "choose\n`ravi.patel@demo.bosstalk.example` under **Demo person** and click **Sign in as this person**",
            "Open his meeting\ntagged **1:1 with your manager**",
            "**Fine** takes the reflection block off his calendar; **Rough** keeps it",
            "opens the follow-up card (with the tone his relationship setting suggests, once he has chosen one under **Your\npreferences**)",
            "Choose `mara.keller@demo.bosstalk.example — manager` and click **Sign in as this person**",
            "Click\n   **Approve for my team**; the card shows \"On for your team since …\"",
            "In the **Sandbox only** box, click **Run the first sweep now**",
            "Choose `jonas.weber@demo.bosstalk.example`, sign in, and click his meeting tagged **1:1 with your\n   manager**",
        })
        {
            Assert.Contains(step.ReplaceLineEndings("\n"), readme.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Fine")]
    [InlineData("Rough")]
    public async Task HowDidItGo(string answer)
    {
        await using var server = await PaneServer.StartAsync();
        // Noor's team was approved when the sandbox was seeded: the start-up sweep places Ravi's reflection.
        var (eventId, reflection) = await server.PlacedReflectionAsync(DemoTenant.Ravi);

        // Open http://localhost:5080/taskpane.html (preview mode, no Outlook needed).
        await using var pane = await PanePage.OpenAsync(chromium.Context, server);
        await Assertions.Expect(pane.Id("preview-title")).ToHaveTextAsync("Preview (no Outlook)");

        // Choose ravi.patel@demo.bosstalk.example under "Demo person" and click "Sign in as this person".
        await ChooseDemoPersonAsync(pane, "ravi.patel@demo.bosstalk.example");
        await pane.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in as this person" }).ClickAsync();

        // Open his meeting tagged "1:1 with your manager".
        var tagged = pane.Page.Locator("#preview-meetings button").Filter(new() { HasText = "1:1 with your manager" });
        await Assertions.Expect(tagged).ToHaveCountAsync(1);
        await Assertions.Expect(tagged).ToHaveAttributeAsync("data-event-id", eventId);
        await tagged.ClickAsync();

        // The card shows the plan on a small timeline (the meeting, the cool-down, the reflection) and asks privately how it went.
        var timeline = pane.Page.Locator("#timeline-list li");
        await Assertions.Expect(timeline.First).ToHaveAttributeAsync("data-kind", "meeting");
        var kinds = await timeline.EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.kind)");
        Assert.Equal(["meeting", "coolDown", "reflection"], kinds.Take(3));
        await Assertions.Expect(pane.Id("outcome-question")).ToHaveTextAsync("How did it go?");
        await Assertions.Expect(pane.Id("outcome-private")).ToHaveTextAsync("Only you see your answer.");
        await Assertions.Expect(pane.Id("reflection-state")).ToHaveAttributeAsync("data-state", "placed");

        await pane.Page.GetByRole(AriaRole.Button, new() { Name = answer, Exact = true }).ClickAsync();

        if (answer == "Fine")
        {
            // "Fine" takes the reflection block off his calendar.
            await Assertions.Expect(pane.Id("outcome-result")).ToHaveTextAsync(
                "Glad it went fine. The reflection block is off your calendar, and nothing more will come for this meeting.");
            await Assertions.Expect(pane.Id("reflection-state")).ToHaveAttributeAsync("data-state", "dismissed");
            await Assertions.Expect(pane.Page.Locator("#timeline-list li[data-kind=\"reflection\"]")).ToHaveCountAsync(0);
            var gone = (await MeetingAsync(server, eventId)).GetProperty("nudges").EnumerateArray().Single(n => n.GetProperty("kind").GetString() == "reflection");
            Assert.Equal("dismissed", gone.GetProperty("state").GetString());
        }
        else
        {
            // "Rough" keeps it, opens the follow-up card (with the tone his relationship setting suggests, once he has
            // chosen one), and places a 15-minute prep block before next week's one-on-one, which appears on the timeline.
            await Assertions.Expect(pane.Id("outcome-result")).ToContainTextAsync("Your reflection block stays.");
            await Assertions.Expect(pane.Id("reflection-state")).ToHaveAttributeAsync("data-state", "placed");
            await Assertions.Expect(pane.Id("follow-up-form")).ToBeVisibleAsync();
            // The demo's Ravi has not said how things are with his manager, so nothing is suggested and the card
            // keeps its first choice; OutcomeBrowserTests covers a suggestion once the setting is made.
            Assert.Equal(JsonValueKind.Null, (await MeetingAsync(server, eventId)).GetProperty("suggestedTone").ValueKind);
            await Assertions.Expect(pane.Id("follow-up-suggestion")).ToBeHiddenAsync();
            await Assertions.Expect(pane.Id("tone-casual")).ToBeCheckedAsync();

            await Assertions.Expect(pane.Page.Locator("#timeline-list li[data-kind=\"prep\"]")).ToHaveCountAsync(1, JobCountTimeout);
            var meeting = await MeetingAsync(server, eventId);
            var nudges = meeting.GetProperty("nudges").EnumerateArray().ToList();
            var prep = nudges.Single(n => n.GetProperty("kind").GetString() == "prep");
            Assert.Equal("placed", prep.GetProperty("state").GetString());
            var prepStart = Instant(prep.GetProperty("start"));
            var prepEnd = Instant(prep.GetProperty("end"));
            Assert.Equal(TimeSpan.FromMinutes(15), prepEnd - prepStart);
            var next = Instant(meeting.GetProperty("nextOneOnOneStart"));
            Assert.True(prepEnd <= next && next - prepStart < TimeSpan.FromDays(8), $"The prep block {prepStart:O}–{prepEnd:O} is not before next week's one-on-one at {next:O}.");
            Assert.True(next - Instant(meeting.GetProperty("start")) > TimeSpan.FromDays(6), "The next one-on-one is not next week's.");
            var kept = nudges.Single(n => n.GetProperty("kind").GetString() == "reflection");
            Assert.Equal(reflection.GetProperty("id").GetString(), kept.GetProperty("id").GetString());
            Assert.Equal("placed", kept.GetProperty("state").GetString());
        }

        await Assertions.Expect(pane.Id("error")).ToBeHiddenAsync();
        Assert.Empty(await pane.CspViolationsAsync());
    }

    [Fact]
    public async Task TheRollout()
    {
        await using var server = await PaneServer.StartAsync();
        await using var pane = await PanePage.OpenAsync(chromium.Context, server);
        await Assertions.Expect(pane.Id("preview-title")).ToHaveTextAsync("Preview (no Outlook)");

        // 1. Choose "mara.keller@demo.bosstalk.example — manager" and click "Sign in as this person".
        await ChooseDemoPersonAsync(pane, "mara.keller@demo.bosstalk.example — manager");
        await pane.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in as this person" }).ClickAsync();

        // 2. The "BossTalk for your team" card says what the team gets and what she will and won't see. Mara's team
        // starts not enabled.
        var card = pane.Page.GetByRole(AriaRole.Region, new() { Name = "BossTalk for your team" });
        await Assertions.Expect(card).ToBeVisibleAsync();
        await Assertions.Expect(pane.Id("team-state")).ToHaveTextAsync("BossTalk isn't turned on for your team yet. Nothing happens for them until you approve it.");
        foreach (var heading in new[] { "What your team gets", "What you'll see", "What you'll never see" })
        {
            await Assertions.Expect(card.GetByRole(AriaRole.Heading, new() { Name = heading })).ToBeVisibleAsync();
        }

        // Click "Approve for my team"; the card shows "On for your team since …" and counts only.
        await card.GetByRole(AriaRole.Button, new() { Name = "Approve for my team" }).ClickAsync();
        await Assertions.Expect(pane.Id("team-state")).ToHaveTextAsync(new Regex(@"^On for your team since .+\.$"));
        await Assertions.Expect(pane.Id("team-counts-area")).ToBeVisibleAsync();
        foreach (var figure in new[] { "team-enrolled", "team-opted-out", "team-active" })
        {
            await Assertions.Expect(pane.Id(figure)).ToHaveTextAsync(new Regex(@"^(\d+|fewer than 5)$"));
        }

        // 3. In the "Sandbox only" box, click "Run the first sweep now".
        var sandboxOnly = pane.Page.GetByRole(AriaRole.Group, new() { Name = "Sandbox only" });
        await sandboxOnly.GetByRole(AriaRole.Button, new() { Name = "Run the first sweep now" }).ClickAsync();
        await Assertions.Expect(pane.Id("team-sweep-result")).ToContainTextAsync("The sweep is running.");

        // 4. Choose jonas.weber@demo.bosstalk.example, sign in, and click his meeting tagged "1:1 with your manager":
        // the reflection card shows the block placed in his calendar, in his local time (the browser writes en-GB, 24 h).
        await ChooseDemoPersonAsync(pane, "jonas.weber@demo.bosstalk.example");
        await pane.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in as this person" }).ClickAsync();
        var tagged = pane.Page.Locator("#preview-meetings button").Filter(new() { HasText = "1:1 with your manager" });
        await Assertions.Expect(tagged).ToHaveCountAsync(1);
        var (eventId, reflection) = await server.PlacedReflectionAsync(DemoTenant.Jonas);
        await Assertions.Expect(tagged).ToHaveAttributeAsync("data-event-id", eventId);
        await tagged.ClickAsync();
        await Assertions.Expect(pane.Id("reflection-state")).ToHaveAttributeAsync("data-state", "placed");
        await Assertions.Expect(pane.Id("reflection-state")).ToContainTextAsync("A reflection is on your calendar:");
        await Assertions.Expect(pane.Page.Locator("#reflection-state time")).ToHaveAttributeAsync("datetime", reflection.GetProperty("start").GetString()!);
        var local = TimeZoneInfo.ConvertTime(Instant(reflection.GetProperty("start")), TimeZoneInfo.FindSystemTimeZoneById(DemoTenant.Jonas.IanaZone));
        await Assertions.Expect(pane.Page.Locator("#reflection-state time")).ToContainTextAsync(local.ToString("HH:mm", CultureInfo.InvariantCulture));

        // Ask for a casual follow-up and watch it become a private hold on his own calendar.
        await pane.Page.GetByLabel("Casual — a short, friendly word (10 min)").CheckAsync();
        await pane.Page.GetByRole(AriaRole.Button, new() { Name = "Request follow-up" }).ClickAsync();
        await Assertions.Expect(pane.Id("follow-up-state")).ToHaveAttributeAsync("data-state", "placed", JobTimeout);
        await Assertions.Expect(pane.Id("follow-up-state")).ToContainTextAsync("A follow-up is held on your calendar:");
        var followUp = (await MeetingAsync(server, eventId, DemoTenant.Jonas)).GetProperty("nudges").EnumerateArray().Single(n => n.GetProperty("kind").GetString() == "followUp");
        Assert.Equal("casual", followUp.GetProperty("tone").GetString());
        Assert.False(followUp.GetProperty("invite").GetBoolean());
        await Assertions.Expect(pane.Id("error")).ToBeHiddenAsync();
        Assert.Empty(await pane.CspViolationsAsync());
    }

    /// <summary>"Choose … under Demo person": the option whose text starts with what the README writes.</summary>
    private static async Task ChooseDemoPersonAsync(PanePage pane, string readmeText)
    {
        var picker = pane.Page.GetByLabel("Demo person");
        // The picker fills itself from the service after the page has loaded.
        await Assertions.Expect(picker.Locator("option", new() { HasText = readmeText })).ToHaveCountAsync(1);
        var options = await picker.Locator("option").EvaluateAllAsync<string[]>("options => options.map(o => o.textContent)");
        var label = options.SingleOrDefault(o => o.StartsWith(readmeText, StringComparison.Ordinal));
        Assert.True(label is not null, $"No demo person reads '{readmeText}…'; the picker offers: {string.Join(" | ", options)}");
        await picker.SelectOptionAsync(new SelectOptionValue { Label = label });
    }

    private static Task<JsonElement> MeetingAsync(PaneServer server, string eventId, DemoUser? user = null) =>
        server.GetAsync((user ?? DemoTenant.Ravi).Id, "/api/v1/meetings/" + Uri.EscapeDataString(eventId));

    private static DateTimeOffset Instant(JsonElement value) => DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text.RegularExpressions;
using BossTalkCalendar.Api.Sandbox;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BossTalkCalendar.Browser.Tests;

/// <summary>The manager's team card in headless Chromium against the real service in sandbox mode.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TeamCardBrowserTests(ChromiumFixture chromium)
{
    private static readonly LocatorAssertionsToHaveAttributeOptions JobTimeout = new() { Timeout = 30_000 };

    [Fact]
    public async Task InPreviewModeTheDemoManagerApprovesTheTeamSeesOnlyCountsRunsTheFirstSweepAndAMemberThenSeesTheirReflection()
    {
        // Only the start-up sweep and the button's run: the recurring one must not fire during the test and place
        // the reflection on its own.
        await using var server = await PaneServer.StartAsync(new Dictionary<string, string?> { ["Jobs:SweepCron"] = "0 0 1 1 *" });
        await using var pane = await PanePage.OpenAsync(chromium.Context, server, width: 320);
        await pane.SignInAsync(DemoTenant.Manager.Id);
        await JobsIdleAsync(server);

        // The sandbox's demo team starts not enabled, and the card says what approving means before anything happens.
        var card = pane.Id("team-slot");
        await Assertions.Expect(card).ToBeVisibleAsync();
        await Assertions.Expect(pane.Id("team-state")).ToHaveAttributeAsync("data-state", "notEnabled");
        await Assertions.Expect(pane.Id("team-state")).ToContainTextAsync("isn't turned on for your team yet");
        await Assertions.Expect(card).ToContainTextAsync("A private reflection block in their own calendar after a one-on-one with you.");
        await Assertions.Expect(card).ToContainTextAsync("A follow-up with you only when they ask for one.");
        await Assertions.Expect(card).ToContainTextAsync("opt out");
        await Assertions.Expect(card).ToContainTextAsync("What you'll never see");
        await Assertions.Expect(card).ToContainTextAsync("Who got a reflection, when they got it, or anything they wrote.");
        await Assertions.Expect(pane.Id("team-counts-area")).ToBeHiddenAsync();
        await Assertions.Expect(pane.Id("team-revoke")).ToBeHiddenAsync();
        await Assertions.Expect(pane.Id("team-sandbox")).ToBeHiddenAsync();
        Assert.Equal("notEnabled", (await server.GetAsync(DemoTenant.Manager.Id, "/api/v1/teams/mine")).GetProperty("state").GetString());

        await pane.Page.GetByRole(AriaRole.Button, new() { Name = "Approve for my team" }).ClickAsync();

        await Assertions.Expect(pane.Id("team-state")).ToHaveAttributeAsync("data-state", "approved");
        await Assertions.Expect(pane.Id("team-state")).ToBeFocusedAsync();
        await Assertions.Expect(pane.Id("status")).ToHaveTextAsync("Approved. BossTalk starts for your team at its next calendar check.");
        var team = await server.GetAsync(DemoTenant.Manager.Id, "/api/v1/teams/mine");
        Assert.Equal("approved", team.GetProperty("state").GetString());
        await Assertions.Expect(pane.Page.Locator("#team-state time")).ToHaveAttributeAsync("datetime", team.GetProperty("approvedAt").GetString()!);
        var approvedAt = DateTimeOffset.Parse(team.GetProperty("approvedAt").GetString()!, CultureInfo.InvariantCulture);
        await Assertions.Expect(pane.Page.Locator("#team-state time")).ToContainTextAsync(approvedAt.Year.ToString(CultureInfo.InvariantCulture));

        // Six direct reports, all enrolled: six shows; nobody opted out and nobody used it yet, and a zero would speak
        // for every one of them, so both read "fewer than 5", as does any figure under five.
        Assert.Equal(DemoTenant.Reports.Count, team.GetProperty("enrolled").GetProperty("count").GetInt32());
        await Assertions.Expect(pane.Id("team-enrolled")).ToHaveTextAsync(DemoTenant.Reports.Count.ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(pane.Id("team-enrolled")).ToHaveAttributeAsync("data-withheld", "false");
        foreach (var (id, figure) in new[] { ("team-opted-out", "optedOut"), ("team-active", "activeThisMonth") })
        {
            Assert.True(team.GetProperty(figure).GetProperty("fewerThanFive").GetBoolean());
            await Assertions.Expect(pane.Id(id)).ToHaveTextAsync("fewer than 5");
            await Assertions.Expect(pane.Id(id)).ToHaveAttributeAsync("data-withheld", "true");
        }

        await Assertions.Expect(pane.Id("team-counts-note")).ToBeVisibleAsync();
        await Assertions.Expect(pane.Id("team-counts-note")).ToContainTextAsync("Updated once a day");
        await Assertions.Expect(pane.Id("team-approve")).ToBeHiddenAsync();
        await Assertions.Expect(pane.Id("team-revoke")).ToBeVisibleAsync();

        // The card holds counts only: no member's name or address appears in it.
        var cardText = await card.InnerTextAsync();
        foreach (var word in DemoTenant.Reports.SelectMany(r => r.DisplayName.Split(' ').Append(r.Alias)))
        {
            Assert.DoesNotMatch(new Regex($@"\b{Regex.Escape(word)}\b", RegexOptions.IgnoreCase), cardText);
        }

        // Approval alone places nothing: the first reflections wait for a sweep.
        await JobsIdleAsync(server);
        var member = DemoTenant.Jonas;
        var oneOnOne = await server.OneOnOneOfAsync(member);
        var before = await server.GetAsync(member.Id, "/api/v1/meetings/" + Uri.EscapeDataString(oneOnOne));
        Assert.Empty(before.GetProperty("nudges").EnumerateArray());

        var sandbox = pane.Id("team-sandbox");
        await Assertions.Expect(sandbox).ToBeVisibleAsync();
        await Assertions.Expect(sandbox).ToContainTextAsync("Sandbox only");
        await pane.Page.GetByRole(AriaRole.Button, new() { Name = "Run the first sweep now" }).ClickAsync();
        await Assertions.Expect(pane.Id("team-sweep-result")).ToContainTextAsync("The sweep is running.");
        await Assertions.Expect(pane.Id("error")).ToBeHiddenAsync();

        var widths = await pane.Page.EvaluateAsync<int[]>("[document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"The page is {widths[0]} px wide at a 320 px viewport.");
        var nameless = await pane.Page.EvaluateAsync<string[]>(
            "[...document.querySelectorAll('#team-slot button')].filter(b => b.textContent.trim() === '').map(b => b.id)");
        Assert.Empty(nameless);
        var screenshot = Path.Combine(RepoPaths.Artifacts, "team-card.png");
        await card.ScreenshotAsync(new LocatorScreenshotOptions { Path = screenshot });
        Assert.True(new FileInfo(screenshot).Length > 10_000);

        // The sweep places the member's reflection; signing in as them shows it, and no team card.
        var (eventId, reflection) = await server.PlacedReflectionAsync(member);
        await pane.SignInAsync(member.Id);
        await Assertions.Expect(pane.Id("participation")).ToBeVisibleAsync();
        await Assertions.Expect(card).ToBeHiddenAsync();
        await pane.MeetingButton(eventId).ClickAsync();
        await Assertions.Expect(pane.Id("reflection-state")).ToHaveAttributeAsync("data-state", "placed", JobTimeout);
        await Assertions.Expect(pane.Page.Locator("#reflection-state time"))
            .ToHaveAttributeAsync("datetime", reflection.GetProperty("start").GetString()!);
        await Assertions.Expect(card).ToBeHiddenAsync();
        Assert.Empty(await pane.CspViolationsAsync());
    }

    /// <summary>Waits until Hangfire has nothing queued or running (the start-up sweep is done).</summary>
    private static async Task JobsIdleAsync(PaneServer server)
    {
        var monitoring = server.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (monitoring.ProcessingCount() > 0 || monitoring.Queues().Any(q => q.Length > 0))
        {
            Assert.True(DateTime.UtcNow < deadline, "Background jobs were still busy after 30 s.");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task TurningTheTeamOffAsksFirstKeepingItOnChangesNothingAndInOutlookThereIsNoSandboxHelper()
    {
        await using var server = await PaneServer.StartAsync(new Dictionary<string, string?> { ["Jobs:RunServer"] = "false" });
        await server.ApproveDemoTeamAsync(sweep: false);
        var manager = DemoTenant.Manager;

        await using (var pane = await PanePage.OpenAsync(chromium.Context, server))
        {
            await pane.SignInAsync(manager.Id);
            await Assertions.Expect(pane.Id("team-state")).ToHaveAttributeAsync("data-state", "approved");

            var revoke = pane.Page.GetByRole(AriaRole.Button, new() { Name = "Turn off for my team" });
            await revoke.ClickAsync();
            await Assertions.Expect(pane.Id("team-revoke-confirm")).ToBeVisibleAsync();
            await Assertions.Expect(pane.Id("team-revoke")).ToHaveAttributeAsync("aria-expanded", "true");
            await Assertions.Expect(pane.Id("team-revoke-question")).ToBeFocusedAsync();
            await Assertions.Expect(pane.Id("team-revoke-question")).ToContainTextAsync("Blocks already in their calendars stay");

            await pane.Page.GetByRole(AriaRole.Button, new() { Name = "Keep it on" }).ClickAsync();
            await Assertions.Expect(pane.Id("team-revoke-confirm")).ToBeHiddenAsync();
            await Assertions.Expect(pane.Id("team-revoke")).ToBeFocusedAsync();
            Assert.Equal("approved", (await server.GetAsync(manager.Id, "/api/v1/teams/mine")).GetProperty("state").GetString());

            await revoke.ClickAsync();
            await pane.Page.GetByRole(AriaRole.Button, new() { Name = "Yes, turn it off" }).ClickAsync();
            await Assertions.Expect(pane.Id("team-state")).ToHaveAttributeAsync("data-state", "revoked");
            await Assertions.Expect(pane.Id("team-state")).ToBeFocusedAsync();
            await Assertions.Expect(pane.Id("status")).ToHaveTextAsync("BossTalk is off for your team. Nothing new will be planned for them.");
            var team = await server.GetAsync(manager.Id, "/api/v1/teams/mine");
            Assert.Equal("revoked", team.GetProperty("state").GetString());
            await Assertions.Expect(pane.Page.Locator("#team-state time")).ToHaveAttributeAsync("datetime", team.GetProperty("revokedAt").GetString()!);
            await Assertions.Expect(pane.Id("team-approve")).ToHaveTextAsync("Turn it back on for my team");
            await Assertions.Expect(pane.Id("team-revoke")).ToBeHiddenAsync();
            await Assertions.Expect(pane.Id("team-sandbox")).ToBeHiddenAsync();

            await pane.Page.GetByRole(AriaRole.Button, new() { Name = "Turn it back on for my team" }).ClickAsync();
            await Assertions.Expect(pane.Id("team-state")).ToHaveAttributeAsync("data-state", "approved");
            Assert.Equal("approved", (await server.GetAsync(manager.Id, "/api/v1/teams/mine")).GetProperty("state").GetString());
        }

        // Inside Outlook (even the sandbox's) the card is there, the preview page's sweep helper is not. The manager
        // isn't enrolled, so the open appointment itself only gets a short note; the card must not depend on it.
        var start = DateTimeOffset.UtcNow.AddHours(-2);
        var seed = new OfficeSeed("AAMkAGdemo-manager-item", manager.Mail, manager.Mail, [manager.Mail, DemoTenant.Jonas.Mail], start, start.AddMinutes(30));
        await using var outlook = await PanePage.OpenAsync(chromium.Context, server, seed);
        await Assertions.Expect(outlook.Id("team-state")).ToHaveAttributeAsync("data-state", "approved", JobTimeout);
        await Assertions.Expect(outlook.Id("team-counts-area")).ToBeVisibleAsync();
        await Assertions.Expect(outlook.Id("team-sandbox")).ToBeHiddenAsync();
        await Assertions.Expect(outlook.Id("preview")).ToBeHiddenAsync();
        await Assertions.Expect(outlook.Id("error")).ToHaveTextAsync("BossTalk isn't on for you, so it leaves your own meetings alone.");
    }
}

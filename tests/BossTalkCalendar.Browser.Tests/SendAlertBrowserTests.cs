using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using BossTalkCalendar.Api.TaskPane;
using Microsoft.Playwright;

namespace BossTalkCalendar.Browser.Tests;

/// <summary>
/// The send-time handler (/launchevent.html with /launchevent.js, as Outlook on the web loads them) in headless Chromium
/// against an Office double: it raises OnMessageSend / OnAppointmentSend and records what the handler passes to
/// event.completed. Nested app authentication and POST /api/v1/send-check are stood in for by the test.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SendAlertBrowserTests(ChromiumFixture chromium)
{
    private const string Manager = "manager@contoso.test";
    private const string Colleague = "colleague@contoso.test";

    private static readonly Dictionary<string, string?> Settings = new() { ["AddIn:ClientId"] = PaneServer.ClientId };

    private static readonly string EventsDouble = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "OfficeDouble", "office-events-double.js"));

    private static readonly string MsalDouble = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "OfficeDouble", "msal-double.js"));

    [Fact]
    public async Task AMessageToTheManagerRightAfterTheOneOnOneGetsAKindPromptThatOpensThePaneOnFindATime()
    {
        await using var host = await PaneOnlyHost.StartAsync(Settings, selfAsPublicOrigin: true);
        await using var send = await SendPage.OpenAsync(chromium.Context, host, new { itemType = "message", to = new[] { Manager } }, Answer("suggestWaiting", 25));

        var result = await send.RaiseAsync("onMessageSendHandler");

        var options = Assert.Single(result.Completions);
        Assert.False(options.GetProperty("allowEvent").GetBoolean());
        var text = options.GetProperty("errorMessage").GetString()!;
        Assert.Contains("25 minutes ago", text, StringComparison.Ordinal);
        Assert.Contains("send it now", text, StringComparison.Ordinal);
        Assert.True(text.Length <= 500, "Outlook shows at most 500 characters.");
        Assert.Equal("Find a time", options.GetProperty("cancelLabel").GetString());
        Assert.True(options.GetProperty("cancelLabel").GetString()!.Length <= 20);
        Assert.Equal("BossTalkComposeOpenPaneButton", options.GetProperty("commandId").GetString());
        Assert.Equal("sendAlert", JsonDocument.Parse(options.GetProperty("contextData").GetString()!).RootElement.GetProperty("source").GetString());
        Assert.Equal("promptUser", options.GetProperty("sendModeOverride").GetString());

        // The API heard the kind and the one address, with the token from nested app authentication: nothing else.
        var request = Assert.Single(send.ApiRequests);
        Assert.Equal("Bearer token-from-naa", request.Authorization);
        Assert.Equal("""{"kind":"message","recipients":["manager@contoso.test"]}""", request.Body);
        var msal = await send.MsalCallsAsync();
        Assert.DoesNotContain("acquireTokenPopup", msal);
        Assert.Contains("acquireTokenSilent", msal);
    }

    [Fact]
    public async Task AMeetingRequestAsksWithItsRequiredAttendeesAndOpensThePaneFromTheOrganizerButton()
    {
        await using var host = await PaneOnlyHost.StartAsync(Settings, selfAsPublicOrigin: true);
        await using var send = await SendPage.OpenAsync(
            chromium.Context,
            host,
            new { itemType = "appointment", requiredAttendees = new[] { Colleague, Manager }, optionalAttendees = new[] { "someone@contoso.test" } },
            Answer("suggestWaiting", 130));

        var options = Assert.Single((await send.RaiseAsync("onAppointmentSendHandler")).Completions);

        Assert.False(options.GetProperty("allowEvent").GetBoolean());
        Assert.Contains("about 2 hours ago", options.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal("BossTalkOrganizerOpenPaneButton", options.GetProperty("commandId").GetString());
        Assert.Equal("""{"kind":"appointment","recipients":["colleague@contoso.test","manager@contoso.test"]}""", Assert.Single(send.ApiRequests).Body);
    }

    [Fact]
    public async Task SendAnywayIsAlwaysThereTheHandlerAsksForPromptUserAndCompletesOnce()
    {
        // Outlook draws Send Anyway itself when the send mode is prompt user; the handler's part is to ask for it
        // (sendModeOverride) and then leave the choice alone: one completion, nothing after it.
        await using var host = await PaneOnlyHost.StartAsync(Settings, selfAsPublicOrigin: true);
        await using var send = await SendPage.OpenAsync(chromium.Context, host, new { itemType = "message", to = new[] { Manager } }, Answer("suggestWaiting", 3));

        var result = await send.RaiseAsync("onMessageSendHandler", waitAfterMs: 2500);

        var options = Assert.Single(result.Completions);
        Assert.Equal("promptUser", options.GetProperty("sendModeOverride").GetString());
        Assert.False(options.GetProperty("allowEvent").GetBoolean());
    }

    [Fact]
    public async Task AClientWithoutMailbox114GetsThePromptWithoutTheExtraButton()
    {
        await using var host = await PaneOnlyHost.StartAsync(Settings, selfAsPublicOrigin: true);
        await using var send = await SendPage.OpenAsync(chromium.Context, host, new { itemType = "message", to = new[] { Manager }, mailboxVersion = "1.12" }, Answer("suggestWaiting", 40));

        var options = Assert.Single((await send.RaiseAsync("onMessageSendHandler")).Completions);

        Assert.Equal(["allowEvent", "errorMessage"], options.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.False(options.GetProperty("allowEvent").GetBoolean());
    }

    [Fact]
    public async Task WhenTheApiSaysQuietBecauseItIsNotTheManagerOrTheCoolDownHasPassedTheSendGoesThroughAtOnce()
    {
        await using var host = await PaneOnlyHost.StartAsync(Settings, selfAsPublicOrigin: true);
        await using var send = await SendPage.OpenAsync(chromium.Context, host, new { itemType = "message", to = new[] { Colleague } }, Answer("quiet", null));

        var result = await send.RaiseAsync("onMessageSendHandler");

        AssertAllowed(result);
        Assert.True(result.ElapsedMs < 1000, $"Quiet took {result.ElapsedMs} ms.");
        Assert.Single(send.ApiRequests);
    }

    public static TheoryData<string, string> NothingToAsk => new()
    {
        { "two To recipients", """{"itemType":"message","to":["manager@contoso.test","colleague@contoso.test"]}""" },
        { "no To recipient", """{"itemType":"message","to":[],"cc":["manager@contoso.test"]}""" },
        { "a meeting without required attendees", """{"itemType":"appointment","requiredAttendees":[],"optionalAttendees":["manager@contoso.test"]}""" },
        { "recipients Outlook cannot read", """{"itemType":"message","to":["manager@contoso.test"],"recipientsFail":true}""" },
        { "no nested app authentication", """{"itemType":"message","to":["manager@contoso.test"],"nestedAppAuth":false}""" },
    };

    [Theory]
    [MemberData(nameof(NothingToAsk))]
    public async Task WithNothingToAskOrNoWayToAskTheSendGoesThroughWithoutACall(string why, string seed)
    {
        await using var host = await PaneOnlyHost.StartAsync(Settings, selfAsPublicOrigin: true);
        await using var send = await SendPage.OpenAsync(chromium.Context, host, JsonDocument.Parse(seed).RootElement, Answer("suggestWaiting", 5));

        var result = await send.RaiseAsync("onMessageSendHandler");

        AssertAllowed(result);
        Assert.True(send.ApiRequests.IsEmpty, $"{why}: the API was asked.");
    }

    [Fact]
    public async Task WhenNoTokenCanBeHadSilentlyTheSendGoesThroughAndNoSignInIsShown()
    {
        await using var host = await PaneOnlyHost.StartAsync(Settings, selfAsPublicOrigin: true);
        await using var send = await SendPage.OpenAsync(chromium.Context, host, new { itemType = "message", to = new[] { Manager } }, Answer("suggestWaiting", 5), token: "reject");

        var result = await send.RaiseAsync("onMessageSendHandler");

        AssertAllowed(result);
        Assert.True(result.ElapsedMs < 1000, $"It took {result.ElapsedMs} ms.");
        Assert.True(send.ApiRequests.IsEmpty);
        Assert.DoesNotContain("acquireTokenPopup", await send.MsalCallsAsync());
    }

    [Fact]
    public async Task WhenTheTokenNeverComesTheSendGoesThroughWithinTwoSeconds()
    {
        await using var host = await PaneOnlyHost.StartAsync(Settings, selfAsPublicOrigin: true);
        await using var send = await SendPage.OpenAsync(chromium.Context, host, new { itemType = "message", to = new[] { Manager } }, Answer("suggestWaiting", 5), token: "hang");

        var result = await send.RaiseAsync("onMessageSendHandler");

        AssertAllowed(result);
        Assert.InRange(result.ElapsedMs, 1000, 2000);
    }

    [Fact]
    public async Task WhenTheApiHangsTheSendGoesThroughWithinTwoSecondsAndALateAnswerChangesNothing()
    {
        await using var host = await PaneOnlyHost.StartAsync(Settings, selfAsPublicOrigin: true);
        var release = new TaskCompletionSource();
        await using var send = await SendPage.OpenAsync(chromium.Context, host, new { itemType = "message", to = new[] { Manager } }, async route =>
        {
            await release.Task;
            await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "application/json", Body = """{"verdict":"suggestWaiting","minutesSinceMeeting":5}""" });
        });

        var raise = send.RaiseAsync("onMessageSendHandler", waitAfterMs: 1500);
        await Task.Delay(1800);
        release.SetResult();
        var result = await raise;

        AssertAllowed(result);
        Assert.InRange(result.ElapsedMs, 1000, 2000);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(401)]
    [InlineData(429)]
    public async Task WhenTheApiFailsTheSendGoesThrough(int status)
    {
        await using var host = await PaneOnlyHost.StartAsync(Settings, selfAsPublicOrigin: true);
        await using var send = await SendPage.OpenAsync(chromium.Context, host, new { itemType = "message", to = new[] { Manager } }, route =>
            route.FulfillAsync(new RouteFulfillOptions { Status = status, ContentType = "application/problem+json", Body = """{"title":"no"}""" }));

        AssertAllowed(await send.RaiseAsync("onMessageSendHandler"));
    }

    [Fact]
    public async Task TheRuntimeFilesAreServedAtTheirFixedAddressesWithTheSettingsAndTheWellKnownList()
    {
        await using var host = await PaneOnlyHost.StartAsync(Settings, selfAsPublicOrigin: true);
        var origin = host.BaseUrl.GetLeftPart(UriPartial.Authority);

        using var script = await host.Http.GetAsync(LaunchEventSite.ScriptPath);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.True(script.Headers.CacheControl?.NoCache);
        var text = await script.Content.ReadAsStringAsync();
        Assert.Contains($"\"apiUrl\":\"{origin}/api/v1/send-check\"", text, StringComparison.Ordinal);
        Assert.Contains($"\"clientId\":\"{PaneServer.ClientId}\"", text, StringComparison.Ordinal);
        Assert.Contains("@azure/msal-browser", text, StringComparison.Ordinal);
        Assert.Contains("Office.actions.associate(\"onMessageSendHandler\"", text, StringComparison.Ordinal);

        using var page = await host.Http.GetAsync(LaunchEventSite.PagePath);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(page.Headers.CacheControl?.NoCache);
        Assert.Contains("frame-ancestors", string.Join(' ', page.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("{{", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"/launchevent.js\"></script>", html, StringComparison.Ordinal);

        var allowed = JsonDocument.Parse(await host.Http.GetStringAsync(LaunchEventSite.WellKnownPath)).RootElement.GetProperty("allowed");
        Assert.Equal(origin + "/launchevent.js", Assert.Single(allowed.EnumerateArray()).GetString());

        // Not among the pane's fingerprinted assets: the manifests name the fixed address.
        var pane = await host.Http.GetStringAsync(TaskPaneSite.PagePath);
        Assert.DoesNotContain("launchevent", pane, StringComparison.Ordinal);
    }

    private static void AssertAllowed(SendResult result)
    {
        var options = Assert.Single(result.Completions);
        Assert.Equal("""{"allowEvent":true}""", options.GetRawText());
    }

    private static Func<IRoute, Task> Answer(string verdict, int? minutes) => route => route.FulfillAsync(new RouteFulfillOptions
    {
        Status = 200,
        ContentType = "application/json",
        Body = JsonSerializer.Serialize(new { verdict, minutesSinceMeeting = minutes }),
    });

    private sealed record SendResult(List<JsonElement> Completions, double ElapsedMs);

    private sealed record ApiRequest(string? Body, string? Authorization);

    /// <summary>The runtime page in a tab, with the doubles in place and the API answered by <c>api</c>.</summary>
    private sealed class SendPage : IAsyncDisposable
    {
        private SendPage(IPage page) => Page = page;

        public IPage Page { get; }

        public ConcurrentQueue<ApiRequest> ApiRequests { get; } = new();

        public static async Task<SendPage> OpenAsync(IBrowserContext context, PaneOnlyHost host, object seed, Func<IRoute, Task> api, string token = "token")
        {
            var page = await context.NewPageAsync();
            var send = new SendPage(page);
            var apiUrl = new Uri(host.BaseUrl, "/api/v1/send-check").ToString();
            await page.RouteAsync("**/*", async route =>
            {
                var url = route.Request.Url;
                if (url == TaskPaneOptions.DefaultOfficeJsUrl)
                {
                    await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/javascript", Body = EventsDouble });
                }
                else if (url == apiUrl)
                {
                    send.ApiRequests.Enqueue(new ApiRequest(route.Request.PostData, await route.Request.HeaderValueAsync("authorization")));
                    try
                    {
                        await api(route);
                    }
                    catch (PlaywrightException)
                    {
                        // The page went away while the answer was held back.
                    }
                }
                else if (new Uri(url).IsLoopback)
                {
                    await route.ContinueAsync();
                }
                else
                {
                    await route.AbortAsync("internetdisconnected");
                }
            });
            await page.AddInitScriptAsync($"window.__eventSeed = {JsonSerializer.Serialize(seed)}; window.__tokenSeed = {JsonSerializer.Serialize(token)};");
            await page.AddInitScriptAsync(MsalDouble);
            await page.GotoAsync(new Uri(host.BaseUrl, LaunchEventSite.PagePath).ToString());
            await page.WaitForFunctionAsync("() => window.__registeredHandlers && window.__registeredHandlers().length === 2");
            Assert.Equal(["onAppointmentSendHandler", "onMessageSendHandler"], await page.EvaluateAsync<string[]>("window.__registeredHandlers()"));
            return send;
        }

        public async Task<SendResult> RaiseAsync(string handler, int waitAfterMs = 300)
        {
            var result = await Page.EvaluateAsync<JsonElement>("([name, wait]) => window.__raiseSend(name, wait)", new object[] { handler, waitAfterMs });
            return new SendResult(
                [.. result.GetProperty("completions").EnumerateArray().Select(c => JsonDocument.Parse(c.GetString()!).RootElement.Clone())],
                result.GetProperty("elapsedMs").GetDouble());
        }

        public async Task<string[]> MsalCallsAsync() => await Page.EvaluateAsync<string[]>("window.__msalCalls.map(c => c.name)");

        public async ValueTask DisposeAsync() => await Page.CloseAsync();
    }
}

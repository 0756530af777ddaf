using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BossTalkCalendar.Api.Sandbox;

namespace BossTalkCalendar.Browser.Tests;

/// <summary>
/// The real service in sandbox mode on Kestrel (a loopback port the browser can reach): the in-process Graph
/// simulator with the demo team, Hangfire on SQLite polling every second, the development issuer, a fresh data folder.
/// </summary>
public sealed class PaneServer : IAsyncDisposable
{
    public const string ClientId = "6a0c3f5e-1b2d-4c3e-8f9a-0b1c2d3e4f50";

    private readonly BossTalkCalendarApplication _application;
    private readonly string _dataDirectory;
    private readonly Dictionary<string, string> _tokens = [];

    private PaneServer(BossTalkCalendarApplication application, Uri baseUrl, string dataDirectory)
    {
        _application = application;
        _dataDirectory = dataDirectory;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseUrl { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _application.Services;

    public static Task<PaneServer> StartAsync(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var port = ServiceProcess.FreePort();
        var baseUrl = new Uri($"http://127.0.0.1:{port}");
        var data = Path.Combine(Path.GetTempPath(), "bosstalk-browser-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var settings = ServiceSettings.Sandbox(data, baseUrl)
            .TwoWorkers()
            .With("AddIn:ClientId", ClientId)
            .With("Logging:LogLevel:Microsoft.AspNetCore", "Warning")
            .With(extra);

        // The sandbox signs people in with its own development issuer, which the test issuer would replace.
        var application = new BossTalkCalendarApplication(settings, trustTestIssuer: false);
        application.UseKestrel(port);
        application.StartServer();
        return Task.FromResult(new PaneServer(application, baseUrl, data));
    }

    /// <summary>A bearer token for a demo person from the service's own development issuer.</summary>
    public async Task<string> TokenForAsync(string userId)
    {
        if (_tokens.TryGetValue(userId, out var cached))
        {
            return cached;
        }

        using var response = await Http.PostAsJsonAsync("/dev-issuer/token", new { userId });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return _tokens[userId] = body.GetProperty("access_token").GetString()!;
    }

    /// <summary>
    /// The sandbox's demo team starts not enabled: the demo manager approves it (as the README's walkthrough does
    /// from the preview page) and, when jobs run, an administrator asks for a sweep so due reflections get placed.
    /// </summary>
    public async Task ApproveDemoTeamAsync(bool sweep = true)
    {
        using (var approve = await SendAsync(HttpMethod.Post, "/api/v1/teams/mine/approve", await TokenForAsync(DemoTenant.Manager.Id)))
        {
            Assert.True(approve.IsSuccessStatusCode, $"Approving the demo team answered {(int)approve.StatusCode}: {await approve.Content.ReadAsStringAsync()}");
        }

        if (sweep)
        {
            using var tokenResponse = await Http.PostAsJsonAsync("/dev-issuer/token", new { userId = "b05a1c00-0000-4000-8000-0000000000ad", admin = true });
            tokenResponse.EnsureSuccessStatusCode();
            var admin = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
            using var queued = await SendAsync(HttpMethod.Post, "/api/v1/admin/sweep", admin);
            Assert.True(queued.StatusCode == HttpStatusCode.Accepted, $"Asking for a sweep answered {(int)queued.StatusCode}: {await queued.Content.ReadAsStringAsync()}");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(new { }) };
        request.Headers.Authorization = new("Bearer", token);
        return await Http.SendAsync(request);
    }

    public async Task<JsonElement> GetAsync(string userId, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", await TokenForAsync(userId));
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} as {userId} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The demo person's one-on-one with the manager (from the API's own meeting list).</summary>
    public async Task<string> OneOnOneOfAsync(DemoUser user)
    {
        var meetings = await GetAsync(user.Id, "/api/v1/meetings?days=7");
        return meetings.EnumerateArray()
            .Single(m => m.GetProperty("isOneOnOne").GetBoolean() && m.GetProperty("ended").GetBoolean())
            .GetProperty("eventId").GetString()!;
    }

    /// <summary>Waits until the start-up sweep has placed the person's reflection; returns the meeting and nudge.</summary>
    public async Task<(string EventId, JsonElement Reflection)> PlacedReflectionAsync(DemoUser user)
    {
        var eventId = await OneOnOneOfAsync(user);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var meeting = await GetAsync(user.Id, "/api/v1/meetings/" + Uri.EscapeDataString(eventId));
            var placed = meeting.GetProperty("nudges").EnumerateArray()
                .Where(n => n.GetProperty("kind").GetString() == "reflection" && n.GetProperty("state").GetString() == "placed")
                .ToList();
            if (placed.Count == 1)
            {
                return (eventId, placed[0]);
            }

            Assert.True(DateTime.UtcNow < deadline, $"No placed reflection for {user.Alias} after 60 s: {meeting}");
            // The API allows a user 120 requests a minute; twice a second leaves the pane room.
            await Task.Delay(500);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _application.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may hold its files for a moment after shutdown; the temp folder is cleaned up later anyway.
        }
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Tests.FollowUps;
using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Api.Tests.Endpoints;

/// <summary>
/// Shares one <see cref="BossTalkCalendarApplication"/> per test class: a service whose Graph is unreachable.
/// </summary>
public sealed class UnreachableGraphFixture : IAsyncLifetime
{
    public const int RateLimit = 20;

    public BossTalkCalendarApplication App { get; } = BossTalkCalendarApplication.InOwnFolder(
        TimeProvider.System,
        new Uri("http://127.0.0.1:9/v1.0"),
        new Dictionary<string, string?>
        {
            ["Api:RateLimitPerMinute"] = RateLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The service answers the tenant it serves only; the tokens here are that tenant's.
            ["Graph:TenantId"] = FollowUpTeam.TenantId,
        });

    public Task InitializeAsync()
    {
        _ = App.Services;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// Everything here must be decided before any calendar is read (tokens, bodies, limits, the caller's own settings).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ApiEndpointTests(UnreachableGraphFixture fixture) : IClassFixture<UnreachableGraphFixture>
{
    private readonly BossTalkCalendarApplication _host = fixture.App;

    private const string SomeEventId = "AAMkADsome-event_id-AAA=";

    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "/api/v1/me" },
        { "GET", "/api/v1/me/preferences" },
        { "PUT", "/api/v1/me/preferences" },
        { "POST", "/api/v1/me/opt-out" },
        { "POST", "/api/v1/me/opt-in" },
        { "GET", "/api/v1/meetings?days=7" },
        { "GET", $"/api/v1/meetings/{SomeEventId}" },
        { "POST", $"/api/v1/meetings/{SomeEventId}/reflection" },
        { "POST", $"/api/v1/meetings/{SomeEventId}/follow-up" },
        { "GET", $"/api/v1/nudges/{Guid.Empty}" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task EveryEndpointAnswers401WithoutATokenWithAnExpiredTokenOrATokenForAnotherAudienceOrAnIdToken(string method, string path)
    {
        var userId = Guid.NewGuid().ToString();
        var issuer = _host.Issuer;
        var credentials = new[]
        {
            null,
            issuer.MintExpired(userId, FollowUpTeam.TenantId),
            issuer.MintForAudience(userId, FollowUpTeam.TenantId, "api://someone-else"),
            issuer.MintIdToken(userId, FollowUpTeam.TenantId),
            issuer.MintWithForeignKey(userId, FollowUpTeam.TenantId),
        };

        foreach (var token in credentials)
        {
            using var response = await SendAsync(method, path, token);

            var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.Unauthorized);
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            Assert.False(problem.TryGetProperty("errors", out _));
        }

        await AssertNoRowForAsync(userId);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task EveryEndpointAnswers403ForATokenWithoutTheApiScope(string method, string path)
    {
        var userId = Guid.NewGuid().ToString();

        using var response = await SendAsync(method, path, _host.Issuer.Mint(userId, FollowUpTeam.TenantId, scope: "Calendars.Read"));

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Contains(TestIssuer.Scope, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNoRowForAsync(userId);
    }

    [Fact]
    public async Task PreferencesAreStoredForTheCallerAndOnlyTheFieldsSentChange()
    {
        var (client, userId) = NewUser();

        using var first = await client.PutAsync(new Uri("/api/v1/me/preferences", UriKind.Relative), ApiAssert.Body(new { coolDownMinutes = 45, counterpart = "anyOne" }));
        var stored = await ApiAssert.JsonAsync(first, HttpStatusCode.OK);
        Assert.Equal(45, stored.GetProperty("coolDownMinutes").GetInt32());
        Assert.Equal("anyOne", stored.GetProperty("counterpart").GetString());
        Assert.Equal(30, stored.GetProperty("reflectionMinutes").GetInt32());
        Assert.False(stored.GetProperty("paused").GetBoolean());

        using var second = await client.PutAsync(new Uri("/api/v1/me/preferences", UriKind.Relative), ApiAssert.Body(new { paused = true, reflectionMinutes = 20 }));
        var updated = await ApiAssert.JsonAsync(second, HttpStatusCode.OK);
        Assert.Equal(45, updated.GetProperty("coolDownMinutes").GetInt32());
        Assert.Equal(20, updated.GetProperty("reflectionMinutes").GetInt32());
        Assert.True(updated.GetProperty("paused").GetBoolean());

        // GET answers what PUT stored, as /me does.
        using var read = await client.GetAsync(new Uri("/api/v1/me/preferences", UriKind.Relative));
        var got = await ApiAssert.JsonAsync(read, HttpStatusCode.OK);
        Assert.Equal(updated.GetRawText(), got.GetRawText());
        using var me = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative));
        Assert.Equal(got.GetRawText(), (await ApiAssert.JsonAsync(me, HttpStatusCode.OK)).GetProperty("preferences").GetRawText());

        await using var db = await _host.CreateDbContextAsync();
        var row = await db.EnrolledUsers.SingleAsync(u => u.UserId == userId);
        Assert.Equal((45, 20, true), (row.CoolDownMinutes, row.ReflectionMinutes, row.Paused));
        Assert.False(row.Enrolled);
    }

    [Theory]
    [InlineData("""{"coolDownMinutes": 5}""", "coolDownMinutes")]
    [InlineData("""{"coolDownMinutes": 100000}""", "coolDownMinutes")]
    [InlineData("""{"coolDownMinutes": -30}""", "coolDownMinutes")]
    [InlineData("""{"coolDownMinutes": "30"}""", "coolDownMinutes")]
    [InlineData("""{"coolDownMinutes": 30.5}""", "coolDownMinutes")]
    [InlineData("""{"coolDownMinutes": 99999999999999999999}""", "coolDownMinutes")]
    [InlineData("""{"reflectionMinutes": 500}""", "reflectionMinutes")]
    [InlineData("""{"reflectionMinutes": 0}""", "reflectionMinutes")]
    [InlineData("""{"counterpart": "boss"}""", "counterpart")]
    [InlineData("""{"counterpart": 1}""", "counterpart")]
    [InlineData("""{"paused": "yes"}""", "paused")]
    [InlineData("""{"colour": "blue"}""", "colour")]
    [InlineData("""{"paused": true, "paused": false}""", "paused")]
    [InlineData("""{"paused": true} {"paused": false}""", "body")]
    [InlineData("""{"paused": true} garbage""", "body")]
    [InlineData("""{"paused": true,}""", "body")]
    [InlineData("""{"paused": /* no */ true}""", "body")]
    [InlineData("""{"paused": """, "body")]
    [InlineData("""[{"paused": true}]""", "body")]
    [InlineData("null", "body")]
    [InlineData("", "body")]
    public async Task ABadPreferencesBodyIsA400NamingTheFieldAndChangesNothing(string body, string field)
    {
        var (client, userId) = NewUser();

        using var response = await client.PutAsync(new Uri("/api/v1/me/preferences", UriKind.Relative), ApiAssert.RawJson(body));

        await ApiAssert.ValidationProblemAsync(response, field);
        await AssertNoRowForAsync(userId);
    }

    [Theory]
    [InlineData("""{"tone": "loud"}""", "tone")]
    [InlineData("""{"tone": "Casual "}""", "tone")]
    [InlineData("""{"tone": 0}""", "tone")]
    [InlineData("""{}""", "tone")]
    [InlineData("""{"invite": true}""", "tone")]
    [InlineData("""{"tone": "casual", "invite": "yes"}""", "invite")]
    [InlineData("""{"tone": "casual", "talkingPoints": "sorry"}""", "talkingPoints")]
    [InlineData("""{"tone": "casual"}]""", "body")]
    [InlineData("""{"tone": "casu""", "body")]
    public async Task ABadFollowUpBodyIsA400BeforeAnyCalendarIsRead(string body, string field)
    {
        var (client, userId) = NewUser();

        using var response = await client.PostAsync(new Uri($"/api/v1/meetings/{SomeEventId}/follow-up", UriKind.Relative), ApiAssert.RawJson(body));

        await ApiAssert.ValidationProblemAsync(response, field);
        await AssertNoRowForAsync(userId);
    }

    [Theory]
    [InlineData("PUT", "/api/v1/me/preferences", "text/plain")]
    [InlineData("PUT", "/api/v1/me/preferences", "application/x-www-form-urlencoded")]
    [InlineData("POST", $"/api/v1/meetings/{SomeEventId}/follow-up", "text/plain")]
    [InlineData("POST", $"/api/v1/meetings/{SomeEventId}/follow-up", "application/xml")]
    public async Task ABodyThatIsNotJsonIs415(string method, string path, string mediaType)
    {
        var (client, userId) = NewUser();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative))
        {
            Content = new StringContent("""{"tone": "casual", "paused": true}""", Encoding.UTF8, mediaType),
        };

        using var response = await client.SendAsync(request);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        await AssertNoRowForAsync(userId);
    }

    [Theory]
    [InlineData("PUT", "/api/v1/me/preferences")]
    [InlineData("POST", $"/api/v1/meetings/{SomeEventId}/follow-up")]
    [InlineData("POST", "/api/v1/me/opt-out")]
    public async Task ABodyOverTheSizeLimitIs413(string method, string path)
    {
        var (client, userId) = NewUser();
        var padding = new string(' ', 20 * 1024);
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative))
        {
            Content = ApiAssert.RawJson("{\"paused\": true" + padding + "}"),
        };

        using var response = await client.SendAsync(request);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await AssertNoRowForAsync(userId);
    }

    [Fact]
    public async Task AUserWhoSendsTooManyRequestsGets429WithRetryAfterWhileOthersAreServed()
    {
        var (busy, _) = NewUser();
        var (other, _) = NewUser();
        var path = new Uri($"/api/v1/nudges/{Guid.NewGuid()}", UriKind.Relative);

        for (var i = 0; i < UnreachableGraphFixture.RateLimit; i++)
        {
            using var allowed = await busy.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, allowed.StatusCode);
        }

        using var limited = await busy.GetAsync(path);
        await ApiAssert.ProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 should say when to come back.");

        using var served = await other.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, served.StatusCode);
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("9b1d3c5e-1f00-4a8b-9c1e-2d3f4a5b6c7d")]
    public async Task AnUnknownOrMalformedNudgeIdIs404(string id)
    {
        var (client, _) = NewUser();

        using var response = await client.GetAsync(new Uri($"/api/v1/nudges/{id}", UriKind.Relative));

        await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("has%20space")]
    [InlineData("semi;colon")]
    [InlineData("dot.dot")]
    public async Task AMalformedEventIdIs400(string eventId)
    {
        var (client, _) = NewUser();

        using var response = await client.GetAsync(new Uri($"/api/v1/meetings/{eventId}", UriKind.Relative));

        await ApiAssert.ValidationProblemAsync(response, "eventId");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("15")]
    [InlineData("-1")]
    public async Task AListOfMeetingsForAnAbsurdNumberOfDaysIs400(string days)
    {
        var (client, _) = NewUser();

        using var response = await client.GetAsync(new Uri($"/api/v1/meetings?days={days}", UriKind.Relative));

        await ApiAssert.ValidationProblemAsync(response, "days");
    }

    [Fact]
    public async Task ACallerWhoIsNotEnrolledGets403FromTheMeetingEndpointsAndNoCalendarIsRead()
    {
        var (client, _) = NewUser();

        using var list = await client.GetAsync(new Uri("/api/v1/meetings", UriKind.Relative));
        using var one = await client.GetAsync(new Uri($"/api/v1/meetings/{SomeEventId}", UriKind.Relative));
        using var reflection = await client.PostAsync(new Uri($"/api/v1/meetings/{SomeEventId}/reflection", UriKind.Relative), null);
        using var followUp = await client.PostAsync(new Uri($"/api/v1/meetings/{SomeEventId}/follow-up", UriKind.Relative), ApiAssert.Body(new { tone = "casual" }));

        foreach (var response in new[] { list, one, reflection, followUp })
        {
            await ApiAssert.ProblemAsync(response, HttpStatusCode.Forbidden);
        }
    }

    [Fact]
    public async Task AUserWhoIsNotEnrolledCanOptOutAheadAndInAgainAndEachChoiceIsAudited()
    {
        var (client, userId) = NewUser();

        using var optOut = await client.PostAsync(new Uri("/api/v1/me/opt-out", UriKind.Relative), null);
        var out1 = await ApiAssert.JsonAsync(optOut, HttpStatusCode.OK);
        Assert.True(out1.GetProperty("optedOut").GetBoolean());
        Assert.Equal(0, out1.GetProperty("cancelledNudges").GetInt32());

        await using (var db = await _host.CreateDbContextAsync())
        {
            var row = await db.EnrolledUsers.SingleAsync(u => u.UserId == userId);
            Assert.True(row.OptedOut);
            Assert.False(row.Enrolled);
        }

        using var optIn = await client.PostAsync(new Uri("/api/v1/me/opt-in", UriKind.Relative), null);
        Assert.False((await ApiAssert.JsonAsync(optIn, HttpStatusCode.OK)).GetProperty("optedOut").GetBoolean());

        await using (var db = await _host.CreateDbContextAsync())
        {
            Assert.False((await db.EnrolledUsers.SingleAsync(u => u.UserId == userId)).OptedOut);
            var trail = await db.AuditEntries.Where(e => e.SubjectId == userId).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync();
            Assert.Equal([AuditActions.OptedOut, AuditActions.OptedIn], trail);
        }
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheAddInEndpoints()
    {
        using var client = _host.CreateClient();

        var document = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        foreach (var path in new[] { "/api/v1/me", "/api/v1/me/preferences", "/api/v1/me/opt-out", "/api/v1/me/opt-in", "/api/v1/meetings", "/api/v1/meetings/{eventId}", "/api/v1/meetings/{eventId}/reflection", "/api/v1/meetings/{eventId}/follow-up", "/api/v1/nudges/{id}" })
        {
            Assert.Contains($"\"{path}\"", document, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheSandboxUserListDoesNotExistOutsideSandboxMode()
    {
        using var client = _host.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/v1/sandbox/users", UriKind.Relative));

        await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RandomAndMalformedBodiesAlwaysGetA4xxProblemAndNeverChangeAnything()
    {
        var random = new Random(20260304);
        string[] paths = ["/api/v1/me/preferences", $"/api/v1/meetings/{SomeEventId}/follow-up"];
        string[] fragments = ["{", "}", "[", "]", "\"tone\"", "\"paused\"", ":", ",", "true", "null", "\"casual\"", "1e999", "-0", "\"\\u0000\"", "\"coolDownMinutes\"", "99", "\uFEFF", "\"\\ud800\""];
        var users = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var body = string.Concat(Enumerable.Range(0, random.Next(0, 12)).Select(_ => fragments[random.Next(fragments.Length)]));
            if (IsJsonObject(body))
            {
                // A well-formed object may well be a valid request; this test is about everything else.
                continue;
            }

            var (client, userId) = NewUser();
            users.Add(userId);
            var path = paths[i % paths.Length];
            using var request = new HttpRequestMessage(path.EndsWith("preferences", StringComparison.Ordinal) ? HttpMethod.Put : HttpMethod.Post, new Uri(path, UriKind.Relative))
            {
                Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(i % 7 == 0 ? "text/plain" : "application/json");

            using var response = await client.SendAsync(request);

            Assert.True((int)response.StatusCode is >= 400 and < 500, $"Body {body} got {(int)response.StatusCode}.");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        await using var db = await _host.CreateDbContextAsync();
        Assert.False(await db.EnrolledUsers.AnyAsync(u => users.Contains(u.UserId)));
    }

    private static bool IsJsonObject(string body)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? token)
    {
        var client = _host.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (method is "PUT" || path.EndsWith("follow-up", StringComparison.Ordinal))
        {
            request.Content = ApiAssert.Body(new { tone = "casual" });
        }

        return await client.SendAsync(request);
    }

    private async Task AssertNoRowForAsync(string userId)
    {
        await using var db = await _host.CreateDbContextAsync();
        Assert.False(await db.EnrolledUsers.AnyAsync(u => u.UserId == userId), "Bad input must change nothing.");
    }

    /// <summary>A client for a user of its own, so rate limits and rows of different tests never meet.</summary>
    private (HttpClient Client, string UserId) NewUser()
    {
        var userId = Guid.NewGuid().ToString();
        return (_host.CreateClientFor(userId, FollowUpTeam.TenantId), userId);
    }
}

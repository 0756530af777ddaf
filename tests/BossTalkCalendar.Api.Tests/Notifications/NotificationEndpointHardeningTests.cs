using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BossTalkCalendar.Api.Notifications;
using BossTalkCalendar.Api.Observability;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Rollout;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace BossTalkCalendar.Api.Tests.Notifications;

/// <summary>
/// The anonymous notification endpoint under abuse (issue 21): what is not Graph's is logged at Debug, counted, and
/// limited per client address; receipts do not pile up; the validation echo is never sniffed.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class NotificationEndpointHardeningTests
{
    private const string SubscriptionId = "sub-genuine-1";
    private const string ClientState = "a-secret-only-graph-and-we-know-0123456789";
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 15, 2, 0, TimeSpan.Zero);

    [Fact]
    public async Task TheValidationEchoIsPlainTextThatBrowsersMayNotSniff()
    {
        await using var app = Start(new FakeTimeProvider(Now), new InMemoryLogs());
        using var client = app.CreateClient();

        using var response = await client.PostAsync(new Uri("/notifications/graph?validationToken=%3Cscript%3Ealert(1)%3C%2Fscript%3E", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("<script>alert(1)</script>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ForgedNotificationsAreLoggedAtDebugCountedAndLimitedPerClientAddress()
    {
        var logs = new InMemoryLogs();
        await using var app = Start(new FakeTimeProvider(Now), logs);
        var meters = app.Services.GetRequiredService<IMeterFactory>();
        using var notifications = new MetricCollector<long>(meters, NotificationMetrics.Name, NotificationMetrics.NotificationsInstrument);
        using var rejected = new MetricCollector<long>(meters, NotificationMetrics.Name, NotificationMetrics.RejectedInstrument);
        await AddSubscriptionAsync(app);

        // Five forged posts use up the address's five permits; the sixth is turned away before it is read.
        var attacker = IPAddress.Parse("203.0.113.7");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(StatusCodes.Status202Accepted, await PostAsync(app, attacker, ChangeNotificationTests.Change(Guid.NewGuid().ToString(), ClientState, "e1", "W/\"1\"")));
        }

        Assert.Equal(StatusCodes.Status202Accepted, await PostAsync(app, attacker, ChangeNotificationTests.Change(SubscriptionId, "wrong", "e1", "W/\"1\"")));
        Assert.Equal(StatusCodes.Status400BadRequest, await PostAsync(app, attacker, "{\"value\":"));
        var (status, retryAfter) = await PostWithRetryAfterAsync(app, attacker, ChangeNotificationTests.Change(SubscriptionId, ClientState, "e1", "W/\"1\""));
        Assert.Equal(StatusCodes.Status429TooManyRequests, status);
        Assert.InRange(retryAfter, 1, 60);

        // Another address is not held back; Graph's own notifications and its retries of them use no permit.
        var graph = IPAddress.Parse("198.51.100.20");
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(StatusCodes.Status202Accepted, await PostAsync(app, graph, ChangeNotificationTests.Change(SubscriptionId, ClientState, "e2", "W/\"2\"")));
        }

        Assert.Equal(3, Sum(notifications, "outcome", "unknown-subscription"));
        Assert.Equal(1, Sum(notifications, "outcome", "wrong-client-state"));
        Assert.Equal(1, Sum(notifications, "outcome", "change"));
        Assert.Equal(7, Sum(notifications, "outcome", "replay"));
        Assert.Equal(1, Sum(rejected, "reason", "malformed"));
        Assert.Equal(1, Sum(rejected, "reason", "rate-limited"));

        var ignored = logs.Lines.Where(l => l.Contains("Ignored notifications", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(ignored);
        Assert.All(ignored, line => Assert.StartsWith("Debug ", line, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.StartsWith("Information", StringComparison.Ordinal) && l.Contains("Notification", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReceiptsArePrunedByTheRetentionJobOnceGraphCanNoLongerRetryThem()
    {
        var clock = new FakeTimeProvider(Now);
        await using var app = Start(clock, new InMemoryLogs());
        var receipts = app.Services.GetRequiredService<NotificationReceipts>();
        await using (var db = await app.CreateDbContextAsync())
        {
            Assert.NotNull(await receipts.FirstTimeAsync(db, SubscriptionId, "updated", "old-event", "W/\"1\"", CancellationToken.None));
        }

        clock.Advance(TimeSpan.FromHours(23));
        await using (var db = await app.CreateDbContextAsync())
        {
            Assert.NotNull(await receipts.FirstTimeAsync(db, SubscriptionId, "updated", "new-event", "W/\"1\"", CancellationToken.None));
        }

        await app.RunAsync<RetentionJob>(job => job.RunAsync(CancellationToken.None));
        Assert.Equal(2, await CountReceiptsAsync(app));

        // A day and an hour after the first: it goes, the newer one (two hours old) stays and still stops a replay.
        clock.Advance(TimeSpan.FromHours(2));
        await app.RunAsync<RetentionJob>(job => job.RunAsync(CancellationToken.None));
        Assert.Equal(1, await CountReceiptsAsync(app));
        await using (var db = await app.CreateDbContextAsync())
        {
            Assert.Null(await receipts.FirstTimeAsync(db, SubscriptionId, "updated", "new-event", "W/\"1\"", CancellationToken.None));
            Assert.NotNull(await receipts.FirstTimeAsync(db, SubscriptionId, "updated", "old-event", "W/\"1\"", CancellationToken.None));
        }
    }

    private static BossTalkCalendarApplication Start(FakeTimeProvider clock, InMemoryLogs logs)
    {
        var app = BossTalkCalendarApplication.InOwnFolder(clock, new Uri("http://127.0.0.1:9/v1.0"), new Dictionary<string, string?>
        {
            ["Notifications:RejectedPerClientPerMinute"] = "5",
            ["Logging:LogLevel:Default"] = "Debug",
            ["Jobs:RunServer"] = "false",
        }, logs);
        _ = app.Services;
        return app;
    }

    /// <summary>A subscription of ours, as maintenance would have recorded it once Graph confirmed it.</summary>
    private static async Task AddSubscriptionAsync(BossTalkCalendarApplication app)
    {
        await using var db = await app.CreateDbContextAsync();
        db.CalendarSubscriptions.Add(new CalendarSubscription
        {
            TenantId = "11111111-2222-3333-4444-555555555555",
            UserId = "b05a1c00-0000-4000-8000-000000000099",
            SubscriptionId = SubscriptionId,
            ClientState = ClientState,
            ExpiresAtUnixMs = (Now + TimeSpan.FromDays(3)).ToUnixTimeMilliseconds(),
            UpdatedAt = Now,
        });
        await db.SaveChangesAsync();
    }

    private static async Task<int> CountReceiptsAsync(BossTalkCalendarApplication app)
    {
        await using var db = await app.CreateDbContextAsync();
        return await db.NotificationReceipts.CountAsync();
    }

    private static long Sum(MetricCollector<long> collector, string tag, string value) =>
        collector.GetMeasurementSnapshot().Where(m => Equals(m.Tags[tag], value)).Sum(m => m.Value);

    private static async Task<int> PostAsync(BossTalkCalendarApplication app, IPAddress from, object body) =>
        (await PostWithRetryAfterAsync(app, from, body)).Status;

    private static async Task<(int Status, int RetryAfter)> PostWithRetryAfterAsync(BossTalkCalendarApplication app, IPAddress from, object body)
    {
        var bytes = Encoding.UTF8.GetBytes(body is JsonObject json ? json.ToJsonString() : (string)body);
        var context = await app.Server.SendAsync(c =>
        {
            c.Request.Method = "POST";
            c.Request.Path = "/notifications/graph";
            c.Request.ContentType = "application/json";
            c.Request.Body = new MemoryStream(bytes);
            c.Connection.RemoteIpAddress = from;
        });
        var retryAfter = int.TryParse(context.Response.Headers.RetryAfter.ToString(), out var seconds) ? seconds : 0;
        return (context.Response.StatusCode, retryAfter);
    }
}

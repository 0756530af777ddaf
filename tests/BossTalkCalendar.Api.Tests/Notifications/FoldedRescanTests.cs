using System.Globalization;
using BossTalkCalendar.Api.Notifications;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.GraphSimulator;
using Microsoft.Extensions.Time.Testing;

namespace BossTalkCalendar.Api.Tests.Notifications;

/// <summary>
/// Which change costs a calendar read when (Notifications/UserRescans.cs): a change to an event we follow is read at
/// once; any other change waits for the user's fold window, and every change within it joins that one read. The
/// simulator sends the notifications itself when its calendars change, as Graph does.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class FoldedRescanTests
{
    private static readonly TimeSpan Debounce = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(80);

    [Fact]
    public async Task ChangesToOtherEventsWaitForTheFoldWindowAndTogetherCostOneRead()
    {
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var app = await StartAsync(clock);
        await app.ApproveTeamAsync(TestTeam.TenantId, TestTeam.Manager, [TestTeam.Berlin]);
        await app.MaintainSubscriptionsAsync();
        await app.RunSweepAsync();
        await app.UntilQueuesDrainAsync(TimeSpan.FromSeconds(30));
        Assert.Single(CalendarAssert.ReflectionsOf(app.Graph, TestTeam.Berlin.Id));
        var scans = Scans(app);
        var heard = clock.GetUtcNow();

        // Three changes to events nobody follows: an appointment of Berlin's own, made, moved and made again.
        var lunch = app.Graph.Tenant.AddEvent(TestTeam.Berlin.Id, Appointment("Lunch", 16, 0));
        app.Graph.Tenant.MoveEvent(TestTeam.Berlin.Id, lunch, TestTeam.At(16, 30), TestTeam.At(17, 0));
        app.Graph.Tenant.AddEvent(TestTeam.Berlin.Id, Appointment("Dentist", 18, 0));
        await Eventually.TrueAsync(
            async () => Berlin(await app.UsersAsync()).RescanDueUnixMs is not null,
            TimeSpan.FromSeconds(30),
            "the changes to mark Berlin");
        Assert.Equal((heard + Window).ToUnixTimeMilliseconds(), Berlin(await app.UsersAsync()).RescanDueUnixMs);

        // Not read before the window is over...
        await Task.Delay(Debounce * 3);
        clock.Advance(Window - TimeSpan.FromSeconds(1));
        await Task.Delay(Debounce * 3);
        Assert.Equal(scans, Scans(app));

        // ...and read once when it is.
        clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => Task.FromResult(Scans(app) == scans + 1), TimeSpan.FromSeconds(30), "the folded read");
        await app.UntilQueuesDrainAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(scans + 1, Scans(app));
        Assert.Null(Berlin(await app.UsersAsync()).RescanDueUnixMs);
    }

    [Fact]
    public async Task AChangeToAPlannedOneOnOneIsReadAtOnceAndTakesTheWaitingChangesWithIt()
    {
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var app = await StartAsync(clock);
        await app.ApproveTeamAsync(TestTeam.TenantId, TestTeam.Manager, [TestTeam.NotEnded]);
        await app.MaintainSubscriptionsAsync();
        await app.RunSweepAsync();
        await app.UntilQueuesDrainAsync(TimeSpan.FromSeconds(30));
        var planned = Assert.Single(await app.NudgesAsync());
        Assert.Equal(NudgeState.Planned, planned.State);
        var scans = Scans(app);

        // A far change waits...
        app.Graph.Tenant.AddEvent(TestTeam.NotEnded.Id, Appointment("Lunch", 16, 0));
        await Eventually.TrueAsync(
            async () => (await app.UsersAsync()).Single().RescanDueUnixMs > clock.GetUtcNow().ToUnixTimeMilliseconds(),
            TimeSpan.FromSeconds(30),
            "the far change to be folded");
        await Task.Delay(Debounce * 3);
        Assert.Equal(scans, Scans(app));

        // ...until the one-on-one that is planned moves (the organizer moved it): that is read at once, with the clock
        // standing still, and the one read takes the waiting change with it.
        var copy = app.Graph.Tenant.EventsOf(TestTeam.NotEnded.Id).Single(e => e.Subject == TestTeam.OneOnOneSubject(TestTeam.NotEnded));
        app.Graph.Tenant.MoveEvent(TestTeam.NotEnded.Id, copy.Id, TestTeam.At(14, 30), TestTeam.At(15, 0));
        await Eventually.TrueAsync(
            async () => (await app.NudgeAsync(planned.Id)).MeetingEnd == TestTeam.At(15, 0),
            TimeSpan.FromSeconds(30),
            "the nudge to follow the moved meeting");
        await app.UntilQueuesDrainAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(scans + 1, Scans(app));
        Assert.Null((await app.UsersAsync()).Single().RescanDueUnixMs);
    }

    [Fact]
    public async Task AMovedOccurrenceOfAWeeklyOneOnOneIsNotifiedUnderItsSeriesAndReadAtOnce()
    {
        var clock = new FakeTimeProvider(TestTeam.Now);
        var tenant = TestTeam.Builder();
        var weekly = tenant.Meeting("weekly-occurrence", TestTeam.Manager, TestTeam.At(13, 50), TestTeam.At(14, 20), [TestTeam.Berlin]);
        weekly.Type = "occurrence";
        weekly.SeriesMasterId = "weekly-series";
        await using var app = await StartAsync(clock, tenant.Build());
        await app.ApproveTeamAsync(TestTeam.TenantId, TestTeam.Manager, [TestTeam.Berlin]);
        await app.MaintainSubscriptionsAsync();
        await app.RunSweepAsync();
        await app.UntilQueuesDrainAsync(TimeSpan.FromSeconds(30));
        var planned = Assert.Single(await app.NudgesAsync(), n => n.State == NudgeState.Planned);
        Assert.Equal(TestTeam.At(14, 20), planned.MeetingEnd);

        var scans = Scans(app);

        // The occurrence moves; Graph names the series master in the notification, not the occurrence.
        var copy = app.Graph.Tenant.EventsOf(TestTeam.Berlin.Id).Single(e => e.SeriesMasterId == "weekly-series");
        app.Graph.Tenant.MoveEvent(TestTeam.Berlin.Id, copy.Id, TestTeam.At(14, 30), TestTeam.At(15, 0));
        await Eventually.TrueAsync(
            async () => (await app.NudgeAsync(planned.Id)).MeetingEnd == TestTeam.At(15, 0),
            TimeSpan.FromSeconds(30),
            "the nudge to follow the moved occurrence with the clock standing still");
        await app.UntilQueuesDrainAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(scans + 1, Scans(app));
    }

    /// <summary>
    /// The window never outlasts the user's cool-down less the margin, so a one-on-one first heard of at any moment
    /// before it ends is read before its reflection is due: checked minute by minute against that deadline, for one-on-ones
    /// first heard of up to 30 hours (the look-ahead) before they end.
    /// </summary>
    [Theory]
    [InlineData(80, 90, 80)]
    [InlineData(80, 60, 50)]
    [InlineData(80, 15, 5)]
    [InlineData(80, 10, 0)]
    [InlineData(80, 0, 0)]
    [InlineData(30, 1440, 30)]
    [InlineData(0, 90, 0)]
    public void TheFoldIsTheWindowCappedByTheCoolDownLessTheMargin(int windowMinutes, int coolDownMinutes, int expectedMinutes)
    {
        var fold = UserRescans.Fold(TimeSpan.FromMinutes(windowMinutes), TimeSpan.FromMinutes(coolDownMinutes));
        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), fold);

        var end = TestTeam.At(15, 0);
        var reflectionDue = end + TimeSpan.FromMinutes(coolDownMinutes);
        for (var heard = end - TimeSpan.FromHours(30); heard <= end; heard += TimeSpan.FromMinutes(1))
        {
            var read = heard + fold;
            Assert.True(read <= reflectionDue, $"heard at {heard:O}, read at {read:O}, due {reflectionDue:O}");
        }
    }

    private static long Scans(BossTalkCalendarApplication app) => app.Graph.Tenant.RequestLog.Count("GET", "/users/{id}/calendarView", 200);

    private static EnrolledUser Berlin(List<EnrolledUser> users) => users.Single(u => u.UserId == TestTeam.Berlin.Id);

    private static SeedEvent Appointment(string subject, int hour, int minute) => new()
    {
        Subject = subject,
        Start = TestTeam.At(hour, minute),
        End = TestTeam.At(hour, minute) + TimeSpan.FromMinutes(30),
        OrganizerMail = TestTeam.Berlin.Mail,
    };

    private static async Task<BossTalkCalendarApplication> StartAsync(FakeTimeProvider clock, TenantSeed? seed = null)
    {
        var app = await BossTalkCalendarApplication.StartAsync(seed ?? TestTeam.Build(), clock, new Dictionary<string, string?>
        {
            ["Service:PublicBaseUrl"] = "https://bosstalk.test",
            ["Notifications:Debounce"] = Debounce.ToString("c", CultureInfo.InvariantCulture),
            ["Notifications:FoldWindow"] = Window.ToString("c", CultureInfo.InvariantCulture),
            ["Notifications:SafetyNetCron"] = "0 0 31 2 *",
            ["Notifications:MaintenanceCron"] = "0 0 31 2 *",
        });
        app.Graph.Options.NotificationHandler = app.Server.CreateHandler();
        return app;
    }
}

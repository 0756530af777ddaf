using System.Diagnostics;
using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Graph;
using BossTalkCalendar.Core.Nudges;
using static BossTalkCalendar.Api.Tests.Graph.GraphTestTenant;

namespace BossTalkCalendar.Api.Tests.Graph;

public sealed class GraphCalendarGatewayTests
{
    private static readonly Interval TenDays = new(WeekStart, WeekStart.AddDays(10));

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task CalendarViewFollowsEveryPageAndAsksForUtcOnEachOne()
    {
        await using var env = await GraphTestEnvironment.StartAsync(o => o.PageSize = 3);

        var meetings = await env.Gateway.GetCalendarViewAsync(AliceId, TenDays, Ct);

        var expected = env.Tenant.EventsOf(AliceId);
        Assert.Equal(10, meetings.Count);
        Assert.Equal(expected.Select(e => (e.Id, e.Start, e.End)), meetings.Select(m => (m.EventId, m.Start, m.End)));

        var pages = env.Tap.Requests.Where(r => r.PathAndQuery.Contains("/calendarView", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Equal(4, pages.Count);
        Assert.All(pages, page => Assert.Equal("outlook.timezone=\"UTC\", IdType=\"ImmutableId\"", page.Prefer));
        Assert.All(pages, page => Assert.False(page.HadAuthorization));
    }

    [Fact]
    public async Task CalendarViewNeverAsksForSubjectOrBody()
    {
        await using var env = await GraphTestEnvironment.StartAsync();

        await env.Gateway.GetCalendarViewAsync(AliceId, TenDays, Ct);

        var first = env.Tap.Requests.First(r => r.PathAndQuery.Contains("/calendarView", StringComparison.OrdinalIgnoreCase));
        var query = Uri.UnescapeDataString(first.PathAndQuery);
        Assert.Contains("$select=", query, StringComparison.Ordinal);
        Assert.DoesNotContain("subject", query, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("body", query, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("$orderby=start/dateTime", query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CalendarViewMapsOrganizerAttendeesAndResponses()
    {
        await using var env = await GraphTestEnvironment.StartAsync();

        var meetings = await env.Gateway.GetCalendarViewAsync(AliceId, TenDays, Ct);

        var organisedByManager = meetings[0];
        Assert.Equal(ManagerMail, organisedByManager.OrganizerEmail);
        Assert.False(organisedByManager.IsOrganizer);
        Assert.Equal(EventKind.SingleInstance, organisedByManager.Kind);
        Assert.Equal(ShowAs.Busy, organisedByManager.ShowAs);
        Assert.Contains(organisedByManager.Attendees, a => a.Email == AliceMail && a.Type == AttendeeType.Required);
        Assert.False(string.IsNullOrEmpty(organisedByManager.ICalUId));

        var organisedByAlice = meetings[1];
        Assert.True(organisedByAlice.IsOrganizer);
        Assert.Equal(Response.Organizer, organisedByAlice.OwnResponse);

        // 09:00 in Berlin before and after the spring-forward of 30 March.
        Assert.Equal(new DateTimeOffset(2025, 3, 24, 8, 0, 0, TimeSpan.Zero), meetings[0].Start);
        Assert.Equal(new DateTimeOffset(2025, 3, 31, 7, 0, 0, TimeSpan.Zero), meetings[7].Start);
    }

    [Fact]
    public async Task AllDayAndCancelledEventsMapToTheRightInstantsAndFlags()
    {
        await using var env = await GraphTestEnvironment.StartAsync();

        var meetings = await env.Gateway.GetCalendarViewAsync(BobId, TenDays, Ct);

        var dayOff = Assert.Single(meetings, m => m.IsAllDay);
        Assert.Equal(BobDayOff, dayOff.Start);
        Assert.Equal(BobDayOff.AddDays(1), dayOff.End);
        Assert.Equal(ShowAs.Oof, dayOff.ShowAs);

        var cancelled = Assert.Single(meetings, m => m.IsCancelled);
        Assert.Equal(ManagerMail, cancelled.OrganizerEmail);
        Assert.Equal(ShowAs.Free, cancelled.ShowAs);
        Assert.Contains(cancelled.Attendees, a => a.Email == BobMail && a.Type == AttendeeType.Optional);
    }

    [Fact]
    public async Task CreatedReflectionIsPrivateWithoutAttendeesAndTaggedAsOurs()
    {
        await using var env = await GraphTestEnvironment.StartAsync();
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var slot = new Interval(new DateTimeOffset(2025, 3, 31, 14, 0, 0, TimeSpan.FromHours(2)), new DateTimeOffset(2025, 3, 31, 14, 15, 0, TimeSpan.FromHours(2)));
        var newEvent = new NewEvent("A moment to reflect", "<p>How did it go?</p>", slot, berlin, "tx-reflection-1", "reflection|ical-123", [], true, 5);

        var created = await env.Gateway.CreateEventAsync(AliceId, newEvent, Ct);

        var stored = Assert.Single(env.Tenant.EventsOf(AliceId), e => e.Id == created.Id);
        Assert.Equal("private", stored.Sensitivity);
        Assert.Empty(stored.Attendees);
        Assert.Equal(["BossTalk"], stored.Categories);
        Assert.Equal("busy", stored.ShowAs);
        Assert.True(stored.IsReminderOn);
        Assert.Equal(5, stored.ReminderMinutesBeforeStart);
        Assert.Equal("reflection|ical-123", stored.ExtendedProperties[NudgeKeys.ExtendedPropertyId]);
        Assert.Equal(slot.Start, stored.Start);
        Assert.Equal(slot.End, stored.End);
        Assert.Equal(slot, created.Slot);
        Assert.Equal("W. Europe Standard Time", stored.StartTimeZone);
    }

    [Fact]
    public async Task RepeatedCreateWithTheSameTransactionIdMakesOneEvent()
    {
        await using var env = await GraphTestEnvironment.StartAsync();
        var slot = new Interval(WeekStart.AddHours(13), WeekStart.AddHours(13.25));
        var newEvent = new NewEvent("Reflect", "<p>.</p>", slot, TimeZoneInfo.Utc, "tx-same", "reflection|ical-9", [], true, 0);
        var before = env.Tenant.EventsOf(AliceId).Count;

        var first = await env.Gateway.CreateEventAsync(AliceId, newEvent, Ct);
        var second = await env.Gateway.CreateEventAsync(AliceId, newEvent, Ct);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(before + 1, env.Tenant.EventsOf(AliceId).Count);
    }

    [Fact]
    public async Task FollowUpInvitesOnlyTheGivenAttendees()
    {
        await using var env = await GraphTestEnvironment.StartAsync();
        var slot = new Interval(WeekStart.AddHours(12), WeekStart.AddHours(12.5));
        var newEvent = new NewEvent("Follow-up", "<p>.</p>", slot, TimeZoneInfo.FindSystemTimeZoneById("America/New_York"), "tx-follow", null, [ManagerMail], false, 10);

        var created = await env.Gateway.CreateEventAsync(AliceId, newEvent, Ct);

        var stored = Assert.Single(env.Tenant.EventsOf(AliceId), e => e.Id == created.Id);
        var attendee = Assert.Single(stored.Attendees);
        Assert.Equal(ManagerMail, attendee.Mail);
        Assert.Equal("required", attendee.Type);
        Assert.Equal("normal", stored.Sensitivity);
        Assert.Equal("Eastern Standard Time", stored.StartTimeZone);
        Assert.Equal(slot.Start, stored.Start);
        // An invitation carries nothing of ours: what it carries can travel to the invitee's copy.
        Assert.Empty(stored.Categories);
        Assert.Empty(stored.ExtendedProperties);
    }

    [Fact]
    public async Task ScheduleForTwoPeopleTakesOneRequest()
    {
        await using var env = await GraphTestEnvironment.StartAsync();
        var day = new Interval(WeekStart, WeekStart.AddDays(1));

        var schedules = await env.Gateway.GetSchedulesAsync(AliceId, [BobMail, CarolMail], day, Ct);

        Assert.Single(env.Tap.Requests, r => r.PathAndQuery.Contains("getSchedule", StringComparison.OrdinalIgnoreCase));
        Assert.Equal([BobMail, CarolMail], schedules.Select(s => s.Email));
        var bobBusy = Assert.Single(schedules[0].Items);
        Assert.Equal(new Interval(WeekStart.AddHours(14), WeekStart.AddHours(15)), bobBusy.Interval);
        Assert.Equal(ShowAs.Oof, bobBusy.Status);
        var carolBusy = Assert.Single(schedules[1].Items);
        Assert.Equal(ShowAs.Tentative, carolBusy.Status);
        Assert.Equal(new Interval(WeekStart.AddHours(5), WeekStart.AddHours(6)), carolBusy.Interval);
        Assert.NotNull(schedules[1].WorkingHours);
        Assert.Equal(TimeSpan.FromHours(5.5), schedules[1].WorkingHours!.TimeZone.GetUtcOffset(WeekStart));
    }

    [Fact]
    public async Task CustomTimeZoneWorkingHoursFollowTheirRules()
    {
        await using var env = await GraphTestEnvironment.StartAsync();

        var profile = await env.Gateway.GetMailboxProfileAsync(BobId, Ct);

        var hours = profile.WorkingHours;
        Assert.Equal(new TimeOnly(7, 0), hours.StartTime);
        Assert.Equal(new TimeOnly(15, 30), hours.EndTime);
        Assert.Equal(
            new HashSet<DayOfWeek> { DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday },
            hours.Days.ToHashSet());
        Assert.Equal(TimeSpan.FromHours(-5), hours.TimeZone.GetUtcOffset(new DateTimeOffset(2025, 1, 15, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal(TimeSpan.FromHours(-4), hours.TimeZone.GetUtcOffset(new DateTimeOffset(2025, 7, 15, 12, 0, 0, TimeSpan.Zero)));
        // US rules: daylight time starts 9 March 2025 at 02:00 local standard time (07:00 UTC).
        Assert.Equal(TimeSpan.FromHours(-5), hours.TimeZone.GetUtcOffset(new DateTimeOffset(2025, 3, 9, 6, 59, 0, TimeSpan.Zero)));
        Assert.Equal(TimeSpan.FromHours(-4), hours.TimeZone.GetUtcOffset(new DateTimeOffset(2025, 3, 9, 7, 0, 0, TimeSpan.Zero)));
        Assert.Equal(TimeSpan.FromHours(-4), profile.TimeZone.GetUtcOffset(new DateTimeOffset(2025, 7, 15, 12, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task WorkingHoursTimesAreReadWithoutAnException()
    {
        await using var env = await GraphTestEnvironment.StartAsync();
        // Kiota's own path throws and catches a JsonException for every time of day (GraphTimeConverter).
        // Counted by message, because other tests run in parallel in this process.
        var timeFailures = 0;
        void Count(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            if (e.Exception is System.Text.Json.JsonException && e.Exception.Message.Contains("Microsoft.Kiota.Abstractions.Time", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref timeFailures);
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            var profile = await env.Gateway.GetMailboxProfileAsync(AliceId, Ct);
            Assert.Equal(new TimeOnly(8, 30), profile.WorkingHours.StartTime);
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        Assert.Equal(0, timeFailures);
    }

    [Fact]
    public async Task WindowsZoneNamesInMailboxSettingsResolve()
    {
        await using var env = await GraphTestEnvironment.StartAsync();

        var profile = await env.Gateway.GetMailboxProfileAsync(AliceId, Ct);

        Assert.Equal(TimeSpan.FromHours(1), profile.TimeZone.GetUtcOffset(new DateTimeOffset(2025, 1, 15, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal(TimeSpan.FromHours(2), profile.WorkingHours.TimeZone.GetUtcOffset(new DateTimeOffset(2025, 7, 15, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new TimeOnly(8, 30), profile.WorkingHours.StartTime);
        Assert.Equal(5, profile.WorkingHours.Days.Count);
    }

    [Fact]
    public async Task ManagerAndDirectReportsComeBackAsIdsAndAddresses()
    {
        await using var env = await GraphTestEnvironment.StartAsync(o => o.PageSize = 2);

        var manager = await env.Gateway.GetManagerAsync(AliceId, Ct);
        var none = await env.Gateway.GetManagerAsync(ManagerId, Ct);
        var reports = await env.Gateway.GetDirectReportsAsync(ManagerId, Ct);
        var bob = await env.Gateway.GetUserAsync(BobId, Ct);

        Assert.Equal(new DirectoryUser(ManagerId, ManagerMail), manager);
        Assert.Null(none);
        Assert.Equal([AliceId, BobId, CarolId], reports.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.Equal(new DirectoryUser(BobId, BobMail), bob);
    }

    [Fact]
    public async Task ThrottlingSurfacesAsThrottledWithTheServersRetryAfterAndNoSleep()
    {
        await using var env = await GraphTestEnvironment.StartAsync();
        env.Tap.InjectNext(429, "7");
        var clock = Stopwatch.StartNew();

        var failure = await Assert.ThrowsAsync<GatewayException>(() => env.Gateway.GetCalendarViewAsync(AliceId, TenDays, Ct));

        clock.Stop();
        Assert.Equal(GatewayFailure.Throttled, failure.Failure);
        Assert.Equal(TimeSpan.FromSeconds(7), failure.RetryAfter);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"The call waited {clock.Elapsed} instead of surfacing the 429.");
        Assert.Single(env.Tap.Requests);
    }

    [Fact]
    public async Task TheSimulatorsRateLimitSurfacesAsThrottledWithItsRetryAfter()
    {
        await using var env = await GraphTestEnvironment.StartAsync();
        env.Simulator.Options.RequestsPerSecond = 1;

        GatewayException? throttled = null;
        for (var i = 0; i < 10 && throttled is null; i++)
        {
            try
            {
                // Direct reports are not cached, so every call reaches the simulator.
                await env.Gateway.GetDirectReportsAsync(AliceId, Ct);
            }
            catch (GatewayException e) when (e.Failure == GatewayFailure.Throttled)
            {
                throttled = e;
            }
        }

        Assert.NotNull(throttled);
        var answer = Assert.Single(env.Tap.Requests, r => r.Status == 429);
        Assert.NotNull(answer.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(int.Parse(answer.RetryAfter!, System.Globalization.CultureInfo.InvariantCulture)), throttled.RetryAfter);
    }

    [Fact]
    public async Task ServiceUnavailableIsTransient()
    {
        await using var env = await GraphTestEnvironment.StartAsync();
        env.Simulator.Options.FailureRate = 1.0;

        var failure = await Assert.ThrowsAsync<GatewayException>(() => env.Gateway.GetMailboxProfileAsync(AliceId, Ct));

        Assert.Equal(GatewayFailure.Transient, failure.Failure);
        Assert.True(failure.IsTransient);
        Assert.InRange(env.Tap.Requests.Count(r => r.Status == 503), 1, 2);
    }

    [Fact]
    public async Task AShortServiceUnavailableIsRetriedOnceInsideTheCall()
    {
        await using var env = await GraphTestEnvironment.StartAsync();
        env.Tap.InjectNext(503, "1");

        var meetings = await env.Gateway.GetCalendarViewAsync(AliceId, TenDays, Ct);

        Assert.Equal(10, meetings.Count);
        Assert.Equal([503, 200], env.Tap.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task ALongServiceUnavailableIsLeftToTheCallerWithItsRetryAfter()
    {
        await using var env = await GraphTestEnvironment.StartAsync();
        env.Tap.InjectNext(503, "30");

        var failure = await Assert.ThrowsAsync<GatewayException>(() => env.Gateway.GetCalendarViewAsync(AliceId, TenDays, Ct));

        Assert.Equal(GatewayFailure.Transient, failure.Failure);
        Assert.Equal(TimeSpan.FromSeconds(30), failure.RetryAfter);
        Assert.Single(env.Tap.Requests);
    }

    [Fact]
    public async Task AForbiddenMailboxIsForbidden()
    {
        await using var env = await GraphTestEnvironment.StartAsync();
        env.Tenant.ForbiddenMailboxes.Add(AliceId);

        var failure = await Assert.ThrowsAsync<GatewayException>(() => env.Gateway.GetCalendarViewAsync(AliceId, TenDays, Ct));

        Assert.Equal(GatewayFailure.Forbidden, failure.Failure);
        Assert.False(failure.IsTransient);
    }

    [Fact]
    public async Task AnUnknownUserIsNotFound()
    {
        await using var env = await GraphTestEnvironment.StartAsync();

        var user = await Assert.ThrowsAsync<GatewayException>(() => env.Gateway.GetUserAsync("nobody@contoso.test", Ct));
        var calendar = await Assert.ThrowsAsync<GatewayException>(() => env.Gateway.GetCalendarViewAsync("nobody@contoso.test", TenDays, Ct));

        Assert.Equal(GatewayFailure.NotFound, user.Failure);
        Assert.Equal(GatewayFailure.NotFound, calendar.Failure);
    }

    [Fact]
    public async Task ADeletedEventReadsAsMissingAndDeletingItAgainIsFine()
    {
        await using var env = await GraphTestEnvironment.StartAsync();
        var slot = new Interval(WeekStart.AddHours(13), WeekStart.AddHours(13.25));
        var created = await env.Gateway.CreateEventAsync(
            AliceId, new NewEvent("Reflect", "<p>.</p>", slot, TimeZoneInfo.Utc, "tx-del", "reflection|ical-del", [], true, 0), Ct);
        Assert.NotNull(await env.Gateway.GetEventAsync(AliceId, created.Id, Ct));

        await env.Gateway.DeleteEventAsync(AliceId, created.Id, Ct);
        await env.Gateway.DeleteEventAsync(AliceId, created.Id, Ct);

        Assert.Null(await env.Gateway.GetEventAsync(AliceId, created.Id, Ct));
        Assert.DoesNotContain(env.Tenant.EventsOf(AliceId), e => e.Id == created.Id);
    }

    [Fact]
    public async Task ErrorMessagesCarryNoMeetingContent()
    {
        await using var env = await GraphTestEnvironment.StartAsync();
        env.Tenant.ForbiddenMailboxes.Add(AliceId);

        var failure = await Assert.ThrowsAsync<GatewayException>(() => env.Gateway.GetCalendarViewAsync(AliceId, TenDays, Ct));

        Assert.DoesNotContain("Secret", failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(AliceMail, failure.Message, StringComparison.OrdinalIgnoreCase);
    }
}

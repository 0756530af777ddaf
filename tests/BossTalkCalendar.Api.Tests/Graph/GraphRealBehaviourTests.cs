using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Graph;
using BossTalkCalendar.Core.Nudges;
using BossTalkCalendar.GraphSimulator;
using static BossTalkCalendar.Api.Tests.Graph.GraphTestTenant;

namespace BossTalkCalendar.Api.Tests.Graph;

/// <summary>The gateway against Graph as it is (docs/graph.md), through the real SDK and the simulator.</summary>
public sealed class GraphRealBehaviourTests
{
    private const string Prefer = "outlook.timezone=\"UTC\", IdType=\"ImmutableId\"";
    private static readonly Interval TenDays = new(WeekStart, WeekStart.AddDays(10));

    private static CancellationToken Ct => CancellationToken.None;

    private static NewEvent Reflection(string transactionId, string iCalUId, Interval? slot = null, string subject = "Reflect") =>
        new(subject, "<p>.</p>", slot ?? new Interval(WeekStart.AddHours(13), WeekStart.AddHours(13.25)), TimeZoneInfo.Utc, transactionId, NudgeKeys.SourceValue(NudgeKind.Reflection, iCalUId), [], true, 0);

    // --- transactionId ------------------------------------------------------------------------------------------

    [Fact]
    public async Task ATransactionIdReusedForADifferentEventIsADuplicateTransactionAndTheFirstEventCanBeFound()
    {
        await using var env = await GraphTestEnvironment.StartAsync();
        var first = await env.Gateway.CreateEventAsync(AliceId, Reflection("tx-reused", "ical-1"), Ct);
        var before = env.Tenant.EventsOf(AliceId).Count;

        var failure = await Assert.ThrowsAsync<GatewayException>(() =>
            env.Gateway.CreateEventAsync(AliceId, Reflection("tx-reused", "ical-1", subject: "Reflect, reworded"), Ct));
        var found = await env.Gateway.FindOurEventAsync(AliceId, "reflection|ical-1", Ct);

        Assert.Equal(GatewayFailure.DuplicateTransaction, failure.Failure);
        Assert.False(failure.IsTransient);
        Assert.Contains("ErrorDuplicateTransactionId", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Reflect", failure.Message, StringComparison.Ordinal);
        Assert.Equal(before, env.Tenant.EventsOf(AliceId).Count);
        Assert.Equal(first, found);
    }

    [Fact]
    public async Task FindOurEventUsesTheDocumentedFilterEscapesQuotesAndAnswersNullWhenThereIsNone()
    {
        await using var env = await GraphTestEnvironment.StartAsync();
        var created = await env.Gateway.CreateEventAsync(AliceId, Reflection("tx-quote", "ical-o'brien"), Ct);

        var found = await env.Gateway.FindOurEventAsync(AliceId, "reflection|ical-o'brien", Ct);
        var none = await env.Gateway.FindOurEventAsync(AliceId, "reflection|ical-other", Ct);

        Assert.Equal(created, found);
        Assert.Null(none);
        var lookup = Uri.UnescapeDataString(env.Tap.Requests.First(r => r.Method == "GET" && r.PathAndQuery.Contains("/events?", StringComparison.Ordinal)).PathAndQuery);
        Assert.Contains($"$filter=singleValueExtendedProperties/Any(ep: ep/id eq '{NudgeKeys.ExtendedPropertyId}' and ep/value eq 'reflection|ical-o''brien')", lookup, StringComparison.Ordinal);
        Assert.Contains("$select=id,start,end", lookup, StringComparison.Ordinal);
        Assert.DoesNotContain("subject", lookup, StringComparison.OrdinalIgnoreCase);
    }

    // --- all-day events -----------------------------------------------------------------------------------------

    public static TheoryData<string, int, int, int> AllDayZones => new()
    {
        // zone, year, month, day: Brisbane UTC+10 (no DST), Pacific in winter UTC-8, India UTC+5:30.
        { "E. Australia Standard Time", 2025, 3, 26 },
        { "Pacific Standard Time", 2025, 1, 15 },
        { "India Standard Time", 2025, 3, 26 },
    };

    [Theory]
    [MemberData(nameof(AllDayZones))]
    public async Task AnAllDayOutOfOfficeDayIsExactlyTheOwnersLocalDay(string zoneName, int year, int month, int day)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneName);
        var date = new DateTime(year, month, day);
        var localStart = new DateTimeOffset(date, zone.GetUtcOffset(date));
        var seed = Create();
        var dana = new SeedUser { Id = "d0000000-0000-0000-0000-00000000000d", DisplayName = "Dana", Mail = "dana@contoso.test", UserPrincipalName = "dana@contoso.test", TimeZone = zoneName };
        dana.Events.Add(new SeedEvent { Subject = "Away", Start = localStart, End = localStart.AddDays(1), OrganizerMail = dana.Mail, IsAllDay = true, ShowAs = "oof" });
        seed.Users.Add(dana);
        await using var env = await GraphTestEnvironment.StartAsync(seed: seed);
        var window = new Interval(localStart.AddDays(-2), localStart.AddDays(2));

        var view = await env.Gateway.GetCalendarViewAsync(dana.Id, window, Ct);
        var single = await env.Gateway.GetEventAsync(dana.Id, view.Single().EventId, Ct);

        var away = Assert.Single(view);
        Assert.True(away.IsAllDay);
        Assert.Equal(ShowAs.Oof, away.ShowAs);
        Assert.Equal(localStart, away.Start);
        Assert.Equal(localStart.AddDays(1), away.End);
        Assert.Equal(away.Interval, single!.Interval);
        // The wire said midnight "UTC"; only the mailbox's zone turns it into the owner's day.
        Assert.Single(env.Tap.Requests, r => r.PathAndQuery.Contains("/mailboxSettings", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACalendarWithoutAllDayEventsIsReadInOneRequest()
    {
        await using var env = await GraphTestEnvironment.StartAsync();

        await env.Gateway.GetCalendarViewAsync(AliceId, TenDays, Ct);

        Assert.Single(env.Tap.Requests);
    }

    // --- HTML error bodies --------------------------------------------------------------------------------------

    [Fact]
    public async Task HtmlFiveHundredsFromTheSimulatorAreTransientNotInvalidOperation()
    {
        await using var env = await GraphTestEnvironment.StartAsync();
        env.Simulator.Options.HtmlErrorRate = 1;

        var view = await Assert.ThrowsAsync<GatewayException>(() => env.Gateway.GetCalendarViewAsync(AliceId, TenDays, Ct));
        var create = await Assert.ThrowsAsync<GatewayException>(() => env.Gateway.CreateEventAsync(AliceId, Reflection("tx-html", "ical-html"), Ct));
        var find = await Assert.ThrowsAsync<GatewayException>(() => env.Gateway.FindOurEventAsync(AliceId, "reflection|ical-html", Ct));

        Assert.All([view, create, find], e => Assert.Equal(GatewayFailure.Transient, e.Failure));
        Assert.All(env.Tap.Requests, r => Assert.True(r.Status is 502 or 503, $"status {r.Status}"));
        Assert.DoesNotContain("<html", view.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AnHtml429KeepsItsRetryAfter()
    {
        await using var env = await GraphTestEnvironment.StartAsync();
        env.Tap.InjectNextHtml(429, "9");

        var failure = await Assert.ThrowsAsync<GatewayException>(() => env.Gateway.GetCalendarViewAsync(AliceId, TenDays, Ct));

        Assert.Equal(GatewayFailure.Throttled, failure.Failure);
        Assert.Equal(TimeSpan.FromSeconds(9), failure.RetryAfter);
    }

    [Fact]
    public async Task AShortHtml503IsRetriedOnceInsideTheCallLikeAJsonOne()
    {
        await using var env = await GraphTestEnvironment.StartAsync();
        env.Tap.InjectNextHtml(503, "1");

        var meetings = await env.Gateway.GetCalendarViewAsync(AliceId, TenDays, Ct);

        Assert.Equal(10, meetings.Count);
        Assert.Equal([503, 200], env.Tap.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task AnHtmlPageWithASuccessStatusIsTransient()
    {
        await using var env = await GraphTestEnvironment.StartAsync();
        env.Tap.InjectNextHtml(200);

        var failure = await Assert.ThrowsAsync<GatewayException>(() => env.Gateway.GetCalendarViewAsync(AliceId, TenDays, Ct));

        Assert.Equal(GatewayFailure.Transient, failure.Failure);
    }

    // --- lost responses -----------------------------------------------------------------------------------------

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ACreateWhoseAnswerIsLostHappenedAndItsRetryAdoptsIt(bool abortConnection)
    {
        await using var env = await GraphTestEnvironment.StartAsync();
        env.Simulator.Options.LostResponseRate = 1;
        env.Simulator.Options.LostResponseAbortsConnection = abortConnection;
        var before = env.Tenant.EventsOf(AliceId).Count;
        var newEvent = Reflection("tx-lost", "ical-lost");

        var lost = await Assert.ThrowsAsync<GatewayException>(() => env.Gateway.CreateEventAsync(AliceId, newEvent, Ct));
        var made = Assert.Single(env.Tenant.EventsOf(AliceId), e => e.TransactionId == "tx-lost");
        env.Simulator.Options.LostResponseRate = 0;
        var retried = await env.Gateway.CreateEventAsync(AliceId, newEvent, Ct);

        Assert.Equal(GatewayFailure.Transient, lost.Failure);
        Assert.Equal(1, env.Tenant.RequestLog.LostResponseCount);
        Assert.Equal(made.Id, retried.Id);
        Assert.Equal(before + 1, env.Tenant.EventsOf(AliceId).Count);
    }

    [Fact]
    public async Task ADeleteWhoseAnswerIsLostHappenedAndItsRetryIsFine()
    {
        await using var env = await GraphTestEnvironment.StartAsync();
        var created = await env.Gateway.CreateEventAsync(AliceId, Reflection("tx-lost-delete", "ical-lost-delete"), Ct);
        env.Simulator.Options.LostResponseRate = 1;

        var lost = await Assert.ThrowsAsync<GatewayException>(() => env.Gateway.DeleteEventAsync(AliceId, created.Id, Ct));
        env.Simulator.Options.LostResponseRate = 0;
        await env.Gateway.DeleteEventAsync(AliceId, created.Id, Ct);

        Assert.Equal(GatewayFailure.Transient, lost.Failure);
        Assert.DoesNotContain(env.Tenant.EventsOf(AliceId), e => e.Id == created.Id);
    }

    // --- immutable ids ------------------------------------------------------------------------------------------

    [Fact]
    public async Task EveryRequestAsksForImmutableIdsAndUtcSoAnEventMovedToAnotherFolderIsStillFound()
    {
        await using var env = await GraphTestEnvironment.StartAsync(o => o.PageSize = 3);
        var created = await env.Gateway.CreateEventAsync(AliceId, Reflection("tx-move", "ical-move"), Ct);
        var stored = Assert.Single(env.Tenant.EventsOf(AliceId), e => e.TransactionId == "tx-move");
        var oldRestId = stored.RestId;

        var newRestId = env.Tenant.MoveEventToAnotherFolder(AliceId, created.Id);
        var again = await env.Gateway.GetEventAsync(AliceId, created.Id, Ct);
        var byNewRestId = await env.Gateway.GetEventAsync(AliceId, newRestId, Ct);
        var byOldRestId = await env.Gateway.GetEventAsync(AliceId, oldRestId, Ct);
        await env.Gateway.GetCalendarViewAsync(AliceId, TenDays, Ct);
        await env.Gateway.GetSchedulesAsync(AliceId, [BobMail], TenDays, Ct);
        await env.Gateway.FindOurEventAsync(AliceId, "reflection|ical-move", Ct);
        await env.Gateway.DeleteEventAsync(AliceId, created.Id, Ct);

        Assert.Equal(stored.Id, created.Id);
        Assert.NotEqual(oldRestId, newRestId);
        Assert.Equal(created.Id, again!.EventId);
        Assert.Equal(created.Id, byNewRestId!.EventId);
        Assert.Null(byOldRestId);
        Assert.DoesNotContain(env.Tenant.EventsOf(AliceId), e => e.Id == created.Id);
        Assert.True(env.Tap.Requests.Count(r => r.PathAndQuery.Contains("/calendarView", StringComparison.Ordinal)) > 1, "expected several pages");
        Assert.All(env.Tap.Requests, r => Assert.Equal(Prefer, r.Prefer));
        Assert.Contains(env.Tap.Requests, r => r.Method == "POST");
        Assert.Contains(env.Tap.Requests, r => r.Method == "DELETE");
    }

    // --- unknown zone names -------------------------------------------------------------------------------------

    [Fact]
    public async Task UnknownZoneNamesFallBackAndSayWhichRuleWasUsed()
    {
        var seed = Create();
        var garbled = new SeedUser
        {
            Id = "e0000000-0000-0000-0000-00000000000e",
            DisplayName = "Eve",
            Mail = "eve@contoso.test",
            UserPrincipalName = "eve@contoso.test",
            TimeZone = "Customized Time Zone",
            WorkingHours = new SeedWorkingHours { TimeZoneName = "India Standard Time" },
        };
        var both = new SeedUser
        {
            Id = "f0000000-0000-0000-0000-00000000000f",
            DisplayName = "Finn",
            Mail = "finn@contoso.test",
            UserPrincipalName = "finn@contoso.test",
            TimeZone = "Customized Time Zone",
            WorkingHours = new SeedWorkingHours { TimeZoneName = "Not/AZone" },
        };
        var hoursOnly = new SeedUser
        {
            Id = "90000000-0000-0000-0000-000000000009",
            DisplayName = "Gus",
            Mail = "gus@contoso.test",
            UserPrincipalName = "gus@contoso.test",
            TimeZone = "Tokyo Standard Time",
            WorkingHours = new SeedWorkingHours { TimeZoneName = "Customized Time Zone" },
        };
        seed.Users.AddRange([garbled, both, hoursOnly]);
        await using var env = await GraphTestEnvironment.StartAsync(seed: seed);
        var winter = new DateTimeOffset(2025, 1, 15, 12, 0, 0, TimeSpan.Zero);

        var eve = await env.Gateway.GetMailboxProfileAsync(garbled.Id, Ct);
        var finn = await env.Gateway.GetMailboxProfileAsync(both.Id, Ct);
        var gus = await env.Gateway.GetMailboxProfileAsync(hoursOnly.Id, Ct);
        var alice = await env.Gateway.GetMailboxProfileAsync(AliceId, Ct);

        Assert.Equal("time-zone-unknown-mailbox", eve.ZoneFallback);
        Assert.Equal(TimeSpan.FromHours(5.5), eve.TimeZone.GetUtcOffset(winter));
        Assert.Equal("time-zone-unknown-mailbox-and-working-hours", finn.ZoneFallback);
        Assert.Equal(TimeSpan.Zero, finn.TimeZone.GetUtcOffset(winter));
        Assert.Equal(TimeSpan.Zero, finn.WorkingHours.TimeZone.GetUtcOffset(winter));
        Assert.Equal("time-zone-unknown-working-hours", gus.ZoneFallback);
        Assert.Equal(TimeSpan.FromHours(9), gus.WorkingHours.TimeZone.GetUtcOffset(winter));
        Assert.Null(alice.ZoneFallback);
    }

    [Fact]
    public async Task OnePersonsUnreadableWorkingHoursZoneDoesNotFailTheOthersOfTheScheduleRequest()
    {
        var seed = Create();
        seed.Users.Single(u => u.Id == CarolId).WorkingHours = new SeedWorkingHours { TimeZoneName = "Customized Time Zone" };
        await using var env = await GraphTestEnvironment.StartAsync(seed: seed);
        var day = new Interval(WeekStart, WeekStart.AddDays(1));

        var schedules = await env.Gateway.GetSchedulesAsync(AliceId, [BobMail, CarolMail], day, Ct);

        Assert.NotNull(schedules[0].WorkingHours);
        Assert.Null(schedules[1].WorkingHours);
        Assert.Equal(new Interval(WeekStart.AddHours(5), WeekStart.AddHours(6)), Assert.Single(schedules[1].Items).Interval);
    }
}

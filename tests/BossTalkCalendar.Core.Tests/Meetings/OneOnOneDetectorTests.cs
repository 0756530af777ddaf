using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Meetings;
using static BossTalkCalendar.Core.Tests.Support.Zones;

namespace BossTalkCalendar.Core.Tests.Meetings;

public class OneOnOneDetectorTests
{
    private const string Owner = "ana@contoso.example";
    private const string Manager = "mia@contoso.example";
    private static readonly DateTimeOffset Start = Utc("2025-06-16 09:00");
    private static readonly DateTimeOffset Now = Utc("2025-06-16 10:00");

    private static Meeting OneOnOne(
        string organizer = Manager,
        Attendee[]? attendees = null,
        TimeSpan? length = null,
        EventKind kind = EventKind.SingleInstance,
        Response ownResponse = Response.Accepted,
        bool cancelled = false,
        bool allDay = false) =>
        new(
            "event-1",
            "ical-1",
            kind,
            kind == EventKind.Occurrence ? "master-1" : null,
            Start,
            Start + (length ?? TimeSpan.FromMinutes(30)),
            organizer,
            IsOrganizer: organizer == Owner,
            attendees ?? [new Attendee(Owner, AttendeeType.Required, ownResponse)],
            ownResponse,
            cancelled,
            allDay,
            ShowAs.Busy);

    private static OneOnOneCheck Check(Meeting meeting, string? manager = Manager, Counterpart counterpart = Counterpart.Manager, DateTimeOffset? now = null) =>
        OneOnOneDetector.Check(meeting, Owner, manager, counterpart, now ?? Now);

    [Fact]
    public void Check_AcceptsOneOnOne_WhenManagerOrganisedIt()
    {
        Assert.Equal(new OneOnOneCheck(true, Manager, NotOneOnOneReason.None), Check(OneOnOne()));
    }

    [Fact]
    public void Check_AcceptsOneOnOne_WhenOwnerOrganisedIt()
    {
        var meeting = OneOnOne(organizer: Owner, attendees: [new Attendee(Manager, AttendeeType.Required, Response.Accepted)]);
        Assert.Equal(new OneOnOneCheck(true, Manager, NotOneOnOneReason.None), Check(meeting));
    }

    [Fact]
    public void Check_MergesAddresses_IgnoringCaseAndDuplicates()
    {
        var meeting = OneOnOne(
            organizer: "Mia@Contoso.Example",
            attendees:
            [
                new Attendee("ANA@contoso.example", AttendeeType.Required, Response.Accepted),
                new Attendee(" mia@contoso.example ", AttendeeType.Required, Response.Organizer),
                new Attendee("ana@CONTOSO.example", AttendeeType.Optional, Response.Accepted),
            ]);
        Assert.Equal(new OneOnOneCheck(true, Manager, NotOneOnOneReason.None), Check(meeting));
    }

    [Fact]
    public void Check_IgnoresResourceAttendees()
    {
        var meeting = OneOnOne(attendees:
        [
            new Attendee(Owner, AttendeeType.Required, Response.Accepted),
            new Attendee("room-4@contoso.example", AttendeeType.Resource, Response.Accepted),
        ]);
        Assert.True(Check(meeting).IsOneOnOne);
    }

    [Fact]
    public void Check_CountsOccurrenceOfSeries()
    {
        Assert.True(Check(OneOnOne(kind: EventKind.Occurrence)).IsOneOnOne);
        Assert.True(Check(OneOnOne(kind: EventKind.Exception)).IsOneOnOne);
    }

    [Fact]
    public void Check_RejectsSeriesMaster()
    {
        Assert.Equal(NotOneOnOneReason.SeriesMaster, Check(OneOnOne(kind: EventKind.SeriesMaster)).Reason);
    }

    [Fact]
    public void Check_RejectsCancelledMeeting()
    {
        Assert.Equal(new OneOnOneCheck(false, null, NotOneOnOneReason.Cancelled), Check(OneOnOne(cancelled: true)));
    }

    [Fact]
    public void Check_RejectsAllDayEvent()
    {
        Assert.Equal(NotOneOnOneReason.AllDay, Check(OneOnOne(allDay: true)).Reason);
    }

    [Fact]
    public void Check_RejectsMeeting_WhenItEndsMoreThanGraceAfterNow()
    {
        Assert.Equal(NotOneOnOneReason.NotEnded, Check(OneOnOne(), now: Start + TimeSpan.FromMinutes(24)).Reason);
    }

    [Fact]
    public void Check_AcceptsMeeting_WhenItEndsWithinGrace()
    {
        Assert.True(Check(OneOnOne(), now: Start + TimeSpan.FromMinutes(25)).IsOneOnOne);
    }

    [Fact]
    public void Check_AcceptsTwoHourMeeting_ButRejectsLonger()
    {
        Assert.True(Check(OneOnOne(length: TimeSpan.FromHours(2)), now: Utc("2025-06-16 12:00")).IsOneOnOne);
        Assert.Equal(NotOneOnOneReason.TooLong, Check(OneOnOne(length: TimeSpan.FromMinutes(121)), now: Utc("2025-06-16 12:00")).Reason);
    }

    [Fact]
    public void Check_RejectsMeeting_WhenOwnerDeclined()
    {
        Assert.Equal(NotOneOnOneReason.Declined, Check(OneOnOne(ownResponse: Response.Declined)).Reason);
    }

    [Fact]
    public void Check_RejectsMeeting_WhenOwnersAttendeeEntryIsDeclined()
    {
        var meeting = OneOnOne(attendees: [new Attendee(Owner, AttendeeType.Required, Response.Declined)]);
        Assert.Equal(NotOneOnOneReason.Declined, Check(meeting).Reason);
    }

    [Fact]
    public void Check_RejectsMeeting_WithThirdPerson()
    {
        var meeting = OneOnOne(attendees:
        [
            new Attendee(Owner, AttendeeType.Required, Response.Accepted),
            new Attendee("bo@contoso.example", AttendeeType.Optional, Response.Accepted),
        ]);
        Assert.Equal(NotOneOnOneReason.NotTwoPeople, Check(meeting).Reason);
    }

    [Fact]
    public void Check_RejectsMeeting_WhenOwnerIsNotAmongPeople()
    {
        var meeting = OneOnOne(attendees: [new Attendee("bo@contoso.example", AttendeeType.Required, Response.Accepted)]);
        Assert.Equal(NotOneOnOneReason.NotTwoPeople, Check(meeting).Reason);
    }

    [Fact]
    public void Check_RejectsMeeting_WhenOwnerIsAlone()
    {
        var meeting = OneOnOne(organizer: Owner, attendees: []);
        Assert.Equal(NotOneOnOneReason.NotTwoPeople, Check(meeting).Reason);
    }

    [Fact]
    public void Check_RejectsOneOnOneWithSomeoneElse_WhenCounterpartIsManager()
    {
        var meeting = OneOnOne(organizer: "bo@contoso.example");
        Assert.Equal(NotOneOnOneReason.NotWithManager, Check(meeting).Reason);
    }

    [Fact]
    public void Check_AcceptsOneOnOneWithSomeoneElse_WhenCounterpartIsAnyOne()
    {
        var meeting = OneOnOne(organizer: "Bo@contoso.example");
        Assert.Equal(new OneOnOneCheck(true, "bo@contoso.example", NotOneOnOneReason.None), Check(meeting, manager: null, counterpart: Counterpart.AnyOne));
    }

    [Fact]
    public void Check_ReportsNoManager_WhenOwnerHasNone()
    {
        Assert.Equal(NotOneOnOneReason.NoManager, Check(OneOnOne(), manager: null).Reason);
    }

    [Fact]
    public void Check_ReportsFirstFailingRule_InDocumentedOrder()
    {
        var meeting = OneOnOne(cancelled: true, allDay: true, ownResponse: Response.Declined, length: TimeSpan.FromHours(3));
        Assert.Equal(NotOneOnOneReason.Cancelled, Check(meeting).Reason);
        Assert.Equal(NotOneOnOneReason.AllDay, Check(meeting with { IsCancelled = false }).Reason);
    }
}

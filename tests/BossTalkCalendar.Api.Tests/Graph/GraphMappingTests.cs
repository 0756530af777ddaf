using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Graph;
using GraphModels = Microsoft.Graph.Models;

namespace BossTalkCalendar.Api.Tests.Graph;

/// <summary>GraphMapping on shapes the simulator does not produce on its own.</summary>
public sealed class GraphMappingTests
{
    private static readonly DateTimeOffset Winter = new(2025, 1, 15, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("https://outlook.office365.com/owa/?itemid=AAMk%2BAB%3D&exvsurl=1&path=/calendar/item", "https://outlook.office365.com/calendar/item/AAMk%2BAB%3D")]
    [InlineData("https://outlook.live.com/owa/?itemid=AQMk&exvsurl=1&path=/calendar/item", "https://outlook.live.com/calendar/item/AQMk")]
    [InlineData("https://outlook.office365.com/calendar/item/AAMk", "https://outlook.office365.com/calendar/item/AAMk")]
    [InlineData("http://outlook.office365.com/owa/?itemid=AAMk", null)]
    [InlineData("javascript:alert(1)", null)]
    [InlineData(null, null)]
    public void AWebLinkInTheDocumentedOldFormOpensTheEventInTodaysOutlookOnTheWeb(string? webLink, string? expected)
    {
        Assert.Equal(expected, GraphMapping.WebLink(webLink)?.AbsoluteUri);
    }

    [Fact]
    public void ATimeLabelledWithAZoneWeCannotResolveReadsAsUtc()
    {
        var instant = GraphMapping.ToInstant(new GraphModels.DateTimeTimeZone { DateTime = "2025-03-26T09:30:00.0000000", TimeZone = "Customized Time Zone" });

        Assert.Equal(new DateTimeOffset(2025, 3, 26, 9, 30, 0, TimeSpan.Zero), instant);
    }

    [Fact]
    public void AnUnrepresentableCustomWorkingHoursZoneFallsBackToTheMailboxZone()
    {
        var settings = new GraphModels.MailboxSettings
        {
            TimeZone = "Tokyo Standard Time",
            WorkingHours = new GraphModels.WorkingHours
            {
                StartTime = new Microsoft.Kiota.Abstractions.Time(9, 0, 0),
                EndTime = new Microsoft.Kiota.Abstractions.Time(17, 0, 0),
                DaysOfWeek = [GraphModels.DayOfWeekObject.Monday],
                // A daylight rule in month 13 cannot be represented.
                TimeZone = new GraphModels.CustomTimeZone
                {
                    Bias = -540,
                    Name = "Customized Time Zone",
                    StandardOffset = new GraphModels.StandardTimeZoneOffset { Month = 13, DayOccurrence = 1, DayOfWeek = GraphModels.DayOfWeekObject.Sunday },
                    DaylightOffset = new GraphModels.DaylightTimeZoneOffset { Month = 14, DayOccurrence = 1, DayOfWeek = GraphModels.DayOfWeekObject.Sunday, DaylightBias = -60 },
                },
            },
        };

        var profile = GraphMapping.ToMailboxProfile(settings);

        Assert.Equal(GraphMapping.UnknownWorkingHoursZone, profile.ZoneFallback);
        Assert.Equal(TimeSpan.FromHours(9), profile.WorkingHours.TimeZone.GetUtcOffset(Winter));
        Assert.Equal(new TimeOnly(9, 0), profile.WorkingHours.StartTime);
    }

    [Theory]
    [InlineData("de-AT", "de-AT")]
    [InlineData(" en-us ", "en-us")]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void TheMailboxLocaleIsLanguageLocale_AndNothingElseOfIt(string? locale, string? expected)
    {
        var settings = new GraphModels.MailboxSettings
        {
            Language = locale is null ? null : new GraphModels.LocaleInfo { Locale = locale, DisplayName = "German (Austria)" },
        };

        Assert.Equal(expected, GraphMapping.ToMailboxProfile(settings).Locale);
    }

    [Fact]
    public void AMissingMailboxZoneIsUtcWithoutAFallbackCode()
    {
        var profile = GraphMapping.ToMailboxProfile(new GraphModels.MailboxSettings());

        Assert.Null(profile.ZoneFallback);
        Assert.Equal(TimeZoneInfo.Utc.BaseUtcOffset, profile.TimeZone.GetUtcOffset(Winter));
        Assert.Equal(5, profile.WorkingHours.Days.Count);
    }

    [Fact]
    public void AnAllDayEventIsItsDatesInTheMailboxZoneWhateverItsLabel()
    {
        var brisbane = TimeZoneInfo.FindSystemTimeZoneById("Australia/Brisbane");
        var item = Event("2025-03-26T00:00:00.0000000", "2025-03-27T00:00:00.0000000") with { IsAllDay = true };

        var meeting = GraphMapping.ToMeeting(item, brisbane);

        Assert.Equal(new DateTimeOffset(2025, 3, 26, 0, 0, 0, TimeSpan.FromHours(10)), meeting.Start);
        Assert.Equal(new DateTimeOffset(2025, 3, 27, 0, 0, 0, TimeSpan.FromHours(10)), meeting.End);
        Assert.Equal(new Interval(meeting.Start, meeting.End).Duration, TimeSpan.FromDays(1));
    }

    [Fact]
    public void EnumerationsAreReadByGraphsNamesAndAValueAddedLaterIsUnknown()
    {
        var item = Event("2025-03-26T09:00:00.0000000", "2025-03-26T09:30:00.0000000") with
        {
            Type = "seriesMaster",
            Attendees =
            [
                new AttendeeWire("optional", new ResponseStatusWire("tentativelyAccepted"), new EmailAddressWire("a@example.com")),
                new AttendeeWire("someFutureType", new ResponseStatusWire("someFutureResponse"), new EmailAddressWire("b@example.com")),
            ],
            ResponseStatus = new ResponseStatusWire("notResponded"),
            ShowAs = "workingElsewhere",
        };

        var meeting = GraphMapping.ToMeeting(item);
        var later = GraphMapping.ToMeeting(item with { Type = "unknownFutureValue", ShowAs = "unknownFutureValue", ResponseStatus = null });

        Assert.Equal((EventKind.SeriesMaster, ShowAs.WorkingElsewhere, Response.NotResponded), (meeting.Kind, meeting.ShowAs, meeting.OwnResponse));
        Assert.Equal(
            [(AttendeeType.Optional, Response.TentativelyAccepted), (AttendeeType.Required, Response.None)],
            meeting.Attendees.Select(a => (a.Type, a.Response)));
        Assert.Equal((EventKind.SingleInstance, ShowAs.Unknown, Response.None), (later.Kind, later.ShowAs, later.OwnResponse));
    }

    [Fact]
    public void TheCalendarViewUrlAsksWhatTheSdksQueryParametersWouldAsk()
    {
        var adapter = new Microsoft.Kiota.Http.HttpClientLibrary.HttpClientRequestAdapter(new Microsoft.Kiota.Abstractions.Authentication.AnonymousAuthenticationProvider())
        {
            BaseUrl = "https://graph.microsoft.com/v1.0",
        };
        var window = new Interval(new DateTimeOffset(2025, 3, 26, 9, 30, 0, TimeSpan.FromHours(1)), new DateTimeOffset(2025, 4, 9, 9, 30, 0, TimeSpan.Zero));
        const string user = "AAMkAGI2T+/x=@contoso.com";
        var sdk = new Microsoft.Graph.Users.Item.CalendarView.CalendarViewRequestBuilder(
            new Dictionary<string, object> { ["baseurl"] = adapter.BaseUrl, ["user%2Did"] = user },
            adapter).ToGetRequestInformation(rc =>
            {
                rc.QueryParameters.StartDateTime = GraphMapping.ToQueryInstant(window.Start);
                rc.QueryParameters.EndDateTime = GraphMapping.ToQueryInstant(window.End);
                rc.QueryParameters.Top = 100;
                rc.QueryParameters.Select = GraphMapping.EventFields;
                rc.QueryParameters.Expand = GraphMapping.OurPropertyExpand;
                rc.QueryParameters.Orderby = ["start/dateTime"];
            }).URI;

        var ours = new Uri(GraphCalendarGateway.CalendarViewUrl(adapter.BaseUrl, user, window, 100));

        Assert.Equal(sdk.AbsolutePath, ours.AbsolutePath);
        Assert.Equal(Query(sdk), Query(ours));
    }

    /// <summary>An event with an id and its times in UTC only; each test adds what it reads with <c>with</c>.</summary>
    private static EventWire Event(string start, string end) => new(
        Id: "x",
        ICalUId: null,
        Type: null,
        SeriesMasterId: null,
        Start: new DateTimeTimeZoneWire(start, "UTC"),
        End: new DateTimeTimeZoneWire(end, "UTC"),
        Organizer: null,
        IsOrganizer: null,
        Attendees: null,
        ResponseStatus: null,
        IsCancelled: null,
        IsAllDay: null,
        ShowAs: null,
        SingleValueExtendedProperties: null);

    /// <summary>The query's names and values as a server reads them (percent-decoded), by name.</summary>
    private static List<(string?, string?)> Query(Uri uri)
    {
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        return [.. query.AllKeys.Order(StringComparer.Ordinal).Select(key => (key, query[key]))];
    }

    [Fact]
    public void TheLookupFilterDoublesSingleQuotes()
    {
        var filter = GraphMapping.OurEventFilter("follow-up|it's");

        Assert.EndsWith("and ep/value eq 'follow-up|it''s')", filter, StringComparison.Ordinal);
        Assert.StartsWith("singleValueExtendedProperties/Any(ep: ep/id eq 'String {", filter, StringComparison.Ordinal);
    }
}

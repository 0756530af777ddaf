using System.Globalization;
using BossTalkCalendar.Core.Calendar;

namespace BossTalkCalendar.Core.Tests.Support;

/// <summary>Zones, working hours and instants for tests, built without the code under test where it matters.</summary>
internal static class Zones
{
    public static readonly TimeZoneInfo Berlin = TimeZones.FindByName("Europe/Berlin");
    public static readonly TimeZoneInfo NewYork = TimeZones.FindByName("America/New_York");
    public static readonly TimeZoneInfo LosAngeles = TimeZones.FindByName("America/Los_Angeles");
    public static readonly TimeZoneInfo Kolkata = TimeZones.FindByName("Asia/Kolkata");
    public static readonly TimeZoneInfo Kathmandu = TimeZones.FindByName("Asia/Kathmandu");
    public static readonly TimeZoneInfo Chatham = TimeZones.FindByName("Pacific/Chatham");
    public static readonly TimeZoneInfo Sydney = TimeZones.FindByName("Australia/Sydney");
    public static readonly TimeZoneInfo Riyadh = TimeZones.FindByName("Asia/Riyadh");

    /// <summary>Central European rules given the way Graph describes a custom zone.</summary>
    public static readonly CustomTimeZone CentralEuropeSpec = new(
        BiasMinutes: -60,
        Standard: new ZoneTransition(new TimeOnly(3, 0), 10, 5, DayOfWeek.Sunday, 0, 0),
        Daylight: new ZoneTransition(new TimeOnly(2, 0), 3, 5, DayOfWeek.Sunday, 0, -60));

    public static readonly TimeZoneInfo CustomCentralEurope = TimeZones.Resolve(CentralEuropeSpec);

    public static readonly DayOfWeek[] MondayToFriday =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    public static readonly DayOfWeek[] SundayToThursday =
        [DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday];

    public static readonly DayOfWeek[] EveryDay = Enum.GetValues<DayOfWeek>();

    /// <summary>Named zones (and "custom") the property tests draw from.</summary>
    public static readonly string[] PropertyZoneNames =
    [
        "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Chatham", "custom",
        "W. Europe Standard Time", "Pacific Standard Time", "Australia/Sydney", "Asia/Kathmandu",
    ];

    public static TimeZoneInfo ByName(string name) => name == "custom" ? CustomCentralEurope : TimeZones.FindByName(name);

    public static WorkingHours Hours(TimeZoneInfo zone, string start, string end, IEnumerable<DayOfWeek>? days = null) =>
        new(new HashSet<DayOfWeek>(days ?? MondayToFriday), TimeOnly.Parse(start, CultureInfo.InvariantCulture), TimeOnly.Parse(end, CultureInfo.InvariantCulture), zone);

    /// <summary>An unambiguous, existing local time in <paramref name="zone"/> as an instant.</summary>
    public static DateTimeOffset Local(TimeZoneInfo zone, string localDateTime)
    {
        var local = DateTime.ParseExact(localDateTime, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        if (zone.IsInvalidTime(local) || zone.IsAmbiguousTime(local))
        {
            throw new ArgumentException($"{localDateTime} is not a plain local time in {zone.Id}; give the instant in UTC.");
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    public static DateTimeOffset Utc(string utcDateTime) =>
        new(DateTime.ParseExact(utcDateTime, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), TimeSpan.Zero);

    public static BusyInterval Busy(DateTimeOffset start, DateTimeOffset end, ShowAs status = ShowAs.Busy) =>
        new(new Interval(start, end), status);

    public static BusyInterval Busy(TimeZoneInfo zone, string start, string end, ShowAs status = ShowAs.Busy) =>
        Busy(Local(zone, start), Local(zone, end), status);
}

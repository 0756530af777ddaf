using System.Globalization;
using BossTalkCalendar.GraphSimulator;
using TimeZoneConverter;

namespace BossTalkCalendar.Api.Tests.FollowUps;

/// <summary>
/// The follow-up rules (README "Scheduling rules") checked on the calendars as Outlook would show them, each person in their own
/// zone: both working days, at least 18 h after the meeting and on the manager's next working day or later, within
/// five of the manager's working days, 15 free minutes around it on the manager's calendar, clear of the manager's
/// first and last 30 minutes, lunch and out-of-office days, and clear of everything busy on the user's calendar.
/// </summary>
public static class FollowUpAssert
{
    private static readonly TimeSpan MinimumDelay = TimeSpan.FromHours(18);
    private static readonly TimeSpan ManagerBuffer = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan ManagerEdge = TimeSpan.FromMinutes(30);
    private static readonly TimeOnly LunchStart = new(12, 0);
    private static readonly TimeOnly LunchEnd = new(13, 0);
    private const int HorizonWorkingDays = 5;

    public static void SlotSatisfiesEveryRule(GraphSimulatorHost graph, Member user, Member manager, DateTimeOffset meetingEnd, TimeSpan duration, SimEvent followUp)
    {
        var start = followUp.Start;
        var end = followUp.End;
        Assert.Equal(duration, end - start);
        Assert.True(start >= meetingEnd + MinimumDelay, $"{start:O} is less than 18 h after the meeting ended at {meetingEnd:O}.");

        InsideWorkingDay(user, start, end, TimeSpan.Zero, "the user's");
        InsideWorkingDay(manager, start, end, ManagerEdge, "the manager's");

        var managerZone = Zone(manager);
        var managerStart = TimeZoneInfo.ConvertTime(start, managerZone);
        var managerEnd = TimeZoneInfo.ConvertTime(end, managerZone);
        var overlapsLunch = TimeOnly.FromDateTime(managerStart.DateTime) < LunchEnd && LunchStart < TimeOnly.FromDateTime(managerEnd.DateTime);
        Assert.False(overlapsLunch, $"{managerStart:HH:mm}–{managerEnd:HH:mm} overlaps the manager's lunch.");

        var meetingDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(meetingEnd, managerZone).DateTime);
        var slotDay = DateOnly.FromDateTime(managerStart.DateTime);
        Assert.True(slotDay > meetingDay, $"The follow-up on {slotDay} is not after the meeting's day {meetingDay} in the manager's zone.");
        var workingDays = 0;
        for (var day = meetingDay.AddDays(1); day <= slotDay; day = day.AddDays(1))
        {
            workingDays += IsWorkingDay(manager, day) ? 1 : 0;
        }

        Assert.InRange(workingDays, 1, HorizonWorkingDays);

        var managerDayStart = new DateTimeOffset(slotDay.ToDateTime(TimeOnly.MinValue), managerZone.GetUtcOffset(slotDay.ToDateTime(TimeOnly.MinValue)));
        var managerCalendar = graph.Tenant.EventsOf(manager.Id).Where(e => !e.IsCancelled && e.ICalUId != followUp.ICalUId).ToList();
        foreach (var item in managerCalendar.Where(e => e.ShowAs == "oof"))
        {
            Assert.False(item.Start < managerDayStart.AddDays(1) && managerDayStart < item.End, $"The manager is out of office on {slotDay}.");
        }

        foreach (var item in managerCalendar.Where(e => e.ShowAs != "free"))
        {
            Assert.False(
                item.Start < end + ManagerBuffer && start - ManagerBuffer < item.End,
                $"{start:O}–{end:O} leaves the manager less than 15 minutes around {item.ShowAs} {item.Start:O}–{item.End:O}.");
        }

        foreach (var item in graph.Tenant.EventsOf(user.Id).Where(e => !e.IsCancelled && e.Id != followUp.Id && e.ShowAs != "free"))
        {
            Assert.False(item.Start < end && start < item.End, $"{start:O}–{end:O} overlaps the user's {item.ShowAs} {item.Start:O}–{item.End:O}.");
        }
    }

    public static TimeZoneInfo Zone(Member member) => TZConvert.GetTimeZoneInfo(member.Zone);

    private static void InsideWorkingDay(Member member, DateTimeOffset start, DateTimeOffset end, TimeSpan margin, string whose)
    {
        var zone = Zone(member);
        var localStart = TimeZoneInfo.ConvertTime(start, zone);
        var localEnd = TimeZoneInfo.ConvertTime(end, zone);
        var day = DateOnly.FromDateTime(localStart.DateTime);
        Assert.True(IsWorkingDay(member, day), $"{localStart:ddd yyyy-MM-dd} is not one of {whose} working days.");
        Assert.Equal(day, DateOnly.FromDateTime(localEnd.DateTime));
        var dayStart = TimeOnly.Parse(member.Start, CultureInfo.InvariantCulture).Add(margin);
        var dayEnd = TimeOnly.Parse(member.End, CultureInfo.InvariantCulture).Add(-margin);
        Assert.True(
            TimeOnly.FromDateTime(localStart.DateTime) >= dayStart && TimeOnly.FromDateTime(localEnd.DateTime) <= dayEnd,
            $"{localStart:HH:mm}–{localEnd:HH:mm} ({zone.Id}) is outside {whose} working hours {dayStart:HH:mm}–{dayEnd:HH:mm}.");
    }

    private static bool IsWorkingDay(Member member, DateOnly day) =>
        member.Days.Contains(day.DayOfWeek.ToString(), StringComparer.OrdinalIgnoreCase);
}

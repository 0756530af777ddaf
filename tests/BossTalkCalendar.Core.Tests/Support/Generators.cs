using System.Globalization;
using System.Text;
using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Scheduling;
using CsCheck;

namespace BossTalkCalendar.Core.Tests.Support;

/// <summary>A random reflection input, printable for failure reports.</summary>
internal sealed record ReflectionCase(string ZoneName, WorkingHours Hours, DateTimeOffset MeetingEnd, DateTimeOffset Now, BusyInterval[] Busy, ReflectionPolicy Policy)
{
    public override string ToString() =>
        $"{ZoneName} {Generators.Describe(Hours)} meetingEnd={MeetingEnd:O} now={Now:O} {Policy} busy=[{Generators.Describe(Busy)}]";
}

/// <summary>A random follow-up input, printable for failure reports.</summary>
internal sealed record FollowUpCase(
    string UserZone, WorkingHours User, BusyInterval[] UserBusy,
    string ManagerZone, WorkingHours Manager, BusyInterval[] ManagerBusy,
    DateTimeOffset MeetingEnd, DateTimeOffset Now, TimeSpan Duration, FollowUpPolicy Policy)
{
    public override string ToString() =>
        $"user {UserZone} {Generators.Describe(User)} busy=[{Generators.Describe(UserBusy)}] manager {ManagerZone} {Generators.Describe(Manager)} busy=[{Generators.Describe(ManagerBusy)}] meetingEnd={MeetingEnd:O} now={Now:O} duration={Duration} {Policy}";
}

/// <summary>Random calendars around DST transitions; all instants are whole minutes.</summary>
internal static class Generators
{
    // Days around which transitions happen in the zones used: US/EU spring and autumn, the southern zones' changes,
    // a quiet summer day and the turn of the year.
    private static readonly DateTimeOffset[] Anchors =
    [
        Zones.Utc("2025-03-09 00:00"), Zones.Utc("2025-03-30 00:00"), Zones.Utc("2025-04-06 00:00"),
        Zones.Utc("2025-09-28 00:00"), Zones.Utc("2025-10-05 00:00"), Zones.Utc("2025-10-26 00:00"),
        Zones.Utc("2025-11-02 00:00"), Zones.Utc("2025-06-18 00:00"), Zones.Utc("2025-12-31 00:00"),
    ];

    private static readonly ShowAs[] Statuses = Enum.GetValues<ShowAs>();

    public static readonly Gen<string> Zone = Gen.OneOf(Zones.PropertyZoneNames);

    public static readonly Gen<DateTimeOffset> MeetingEnd =
        Gen.Select(Gen.OneOf(Anchors), Gen.Int[-3 * 24 * 60, 3 * 24 * 60], (anchor, minutes) => anchor.AddMinutes(minutes));

    public static Gen<WorkingHours> Hours(string zoneName) =>
        Gen.Select(
            Gen.Int[0, 127],
            Gen.OneOf(Gen.Int[0, 8], Gen.Int[12, 22]),
            Gen.Int[1, 48],
            Gen.Int[0, 19],
            (mask, startHalfHours, lengthHalfHours, oddity) =>
            {
                var days = new HashSet<DayOfWeek>(Enum.GetValues<DayOfWeek>().Where(day => (mask & (1 << (int)day)) != 0));
                var start = TimeOnly.MinValue.AddMinutes(startHalfHours * 30);
                var endMinutes = (startHalfHours + lengthHalfHours) * 30;
                var end = endMinutes >= 24 * 60 ? TimeOnly.MinValue : TimeOnly.MinValue.AddMinutes(endMinutes);
                if (oddity == 0)
                {
                    // Now and then an end before the start: no working time at all.
                    (start, end) = (new TimeOnly(17, 0), new TimeOnly(9, 0));
                }

                return new WorkingHours(days, start, end, Zones.ByName(zoneName));
            });

    public static Gen<BusyInterval[]> Busy(DateTimeOffset around, int maxCount, int spanDays) =>
        Gen.Select(
            Gen.Int[-24 * 60, spanDays * 24 * 60],
            Gen.Frequency((1, Gen.Const(0)), (12, Gen.Int[5, 240]), (2, Gen.Int[240, 2 * 24 * 60])),
            Gen.OneOf(Statuses),
            (offset, length, status) => new BusyInterval(new Interval(around.AddMinutes(offset), around.AddMinutes(offset + length)), status))
        .Array[0, maxCount];

    public static readonly Gen<ReflectionPolicy> ReflectionPolicy =
        Gen.Select(
            Gen.OneOf(0, 30, 90, 180),
            Gen.OneOf(15, 30, 45, 60, 120),
            Gen.OneOf(0, 5, 10, 15),
            Gen.Int[0, 3],
            Gen.OneOf(1, 5, 15, 30),
            (coolDown, duration, buffer, lunch, alignment) =>
            {
                var (lunchStart, lunchEnd) = Lunch(lunch);
                return new ReflectionPolicy
                {
                    CoolDown = TimeSpan.FromMinutes(coolDown),
                    Duration = TimeSpan.FromMinutes(duration),
                    Buffer = TimeSpan.FromMinutes(buffer),
                    LunchStart = lunchStart,
                    LunchEnd = lunchEnd,
                    Alignment = TimeSpan.FromMinutes(alignment),
                };
            });

    public static readonly Gen<FollowUpPolicy> FollowUpPolicy =
        Gen.Select(
            Gen.OneOf(0, 18 * 60),
            Gen.OneOf(1, 2, 5),
            Gen.OneOf(0, 15),
            Gen.OneOf(0, 30),
            Gen.Int[0, 3],
            Gen.OneOf(5, 15),
            Gen.OneOf(0, 60),
            (delay, horizon, buffer, margin, lunch, alignment, cap) =>
            {
                var (lunchStart, lunchEnd) = Lunch(lunch);
                return new FollowUpPolicy
                {
                    MinimumDelay = TimeSpan.FromMinutes(delay),
                    HorizonWorkingDays = horizon,
                    ManagerBuffer = TimeSpan.FromMinutes(buffer),
                    ManagerEdgeMargin = TimeSpan.FromMinutes(margin),
                    LunchStart = lunchStart,
                    LunchEnd = lunchEnd,
                    Alignment = TimeSpan.FromMinutes(alignment),
                    FreeTimeScoreCap = TimeSpan.FromMinutes(cap),
                };
            });

    public static readonly Gen<ReflectionCase> Reflection =
        from zone in Zone
        from hours in Hours(zone)
        from meetingEnd in MeetingEnd
        from nowOffset in Gen.Frequency((3, Gen.Int[-60, 240]), (1, Gen.Int[0, 4 * 24 * 60]))
        from busy in Busy(meetingEnd, 30, 5)
        from policy in ReflectionPolicy
        select new ReflectionCase(zone, hours, meetingEnd, meetingEnd.AddMinutes(nowOffset), busy, policy);

    public static readonly Gen<FollowUpCase> FollowUp =
        from userZone in Zone
        from user in Hours(userZone)
        from managerZone in Zone
        from manager in Hours(managerZone)
        from meetingEnd in MeetingEnd
        from nowOffset in Gen.Frequency((3, Gen.Int[-60, 240]), (1, Gen.Int[0, 3 * 24 * 60]))
        from userBusy in Busy(meetingEnd, 20, 9)
        from managerBusy in Busy(meetingEnd, 30, 9)
        from duration in Gen.OneOf(10, 20, 45)
        from policy in Gen.Frequency((1, Gen.Const(BossTalkCalendar.Core.Scheduling.FollowUpPolicy.Default)), (2, FollowUpPolicy))
        select new FollowUpCase(userZone, user, userBusy, managerZone, manager, managerBusy, meetingEnd, meetingEnd.AddMinutes(nowOffset), TimeSpan.FromMinutes(duration), policy);

    public static string Describe(WorkingHours hours) =>
        string.Create(CultureInfo.InvariantCulture, $"{string.Join(',', hours.Days.Order())} {hours.StartTime:HH:mm}-{hours.EndTime:HH:mm}");

    public static string Describe(IEnumerable<BusyInterval> busy)
    {
        var builder = new StringBuilder();
        foreach (var item in busy)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{item.Status} {item.Interval.Start.UtcDateTime:yyyy-MM-dd HH:mm}Z+{item.Interval.Duration.TotalMinutes}m; ");
        }

        return builder.ToString();
    }

    // Lunch variants: the usual hour, none, one straddling the small-hours DST changes, an odd one.
    private static (TimeOnly Start, TimeOnly End) Lunch(int variant) => variant switch
    {
        0 => (new TimeOnly(12, 0), new TimeOnly(13, 0)),
        1 => (new TimeOnly(12, 0), new TimeOnly(12, 0)),
        2 => (new TimeOnly(1, 30), new TimeOnly(3, 30)),
        _ => (new TimeOnly(11, 45), new TimeOnly(12, 30)),
    };
}

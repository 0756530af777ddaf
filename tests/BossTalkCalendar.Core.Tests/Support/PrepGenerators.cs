using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Scheduling;
using CsCheck;

namespace BossTalkCalendar.Core.Tests.Support;

/// <summary>A random prep input, printable for failure reports.</summary>
internal sealed record PrepCase(string ZoneName, WorkingHours Hours, DateTimeOffset NextMeetingStart, DateTimeOffset Now, BusyInterval[] Busy, PrepPolicy Policy)
{
    public override string ToString() =>
        $"{ZoneName} {Generators.Describe(Hours)} nextMeetingStart={NextMeetingStart:O} now={Now:O} {Policy} busy=[{Generators.Describe(Busy)}]";
}

/// <summary>Random prep inputs around the DST anchors of <see cref="Generators"/>; all instants are whole minutes.</summary>
internal static class PrepGenerators
{
    /// <summary>Random weeks, and often the fixed Monday–Friday and Sunday–Thursday weeks.</summary>
    public static Gen<WorkingHours> Hours(string zoneName) =>
        Gen.Select(Generators.Hours(zoneName), Gen.Int[0, 3], (hours, week) => week switch
        {
            1 => hours with { Days = new HashSet<DayOfWeek>(Zones.SundayToThursday) },
            2 => hours with { Days = new HashSet<DayOfWeek>(Zones.MondayToFriday) },
            _ => hours,
        });

    public static readonly Gen<PrepPolicy> Policy =
        Gen.Select(
            Gen.OneOf(5, 15, 30, 60),
            Gen.OneOf(0, 30, 120, 240),
            Gen.OneOf(0, 10, 15),
            Gen.Int[0, 3],
            Gen.OneOf(1, 5, 15, 20, 30, 60),
            (duration, minLead, buffer, lunch, alignment) =>
            {
                // Lunch variants: the usual hour, none, one straddling the small-hours DST changes, an odd one.
                var (lunchStart, lunchEnd) = lunch switch
                {
                    0 => (new TimeOnly(12, 0), new TimeOnly(13, 0)),
                    1 => (new TimeOnly(12, 0), new TimeOnly(12, 0)),
                    2 => (new TimeOnly(1, 30), new TimeOnly(3, 30)),
                    _ => (new TimeOnly(11, 45), new TimeOnly(12, 30)),
                };
                return new PrepPolicy
                {
                    Duration = TimeSpan.FromMinutes(duration),
                    MinLead = TimeSpan.FromMinutes(minLead),
                    Buffer = TimeSpan.FromMinutes(buffer),
                    LunchStart = lunchStart,
                    LunchEnd = lunchEnd,
                    Alignment = TimeSpan.FromMinutes(alignment),
                };
            });

    /// <summary>
    /// The property zones plus Lord Howe Island, whose clocks move by 30 minutes (2025-04-06 and 2025-10-05): with a
    /// 20- or 60-minute alignment the local grid shifts against the instants there.
    /// </summary>
    public static readonly Gen<string> Zone = Gen.Frequency((6, Generators.Zone), (1, Gen.Const("Australia/Lord_Howe")));

    public static readonly Gen<PrepCase> Prep =
        from zone in Zone
        from hours in Hours(zone)
        from nextMeetingStart in Generators.MeetingEnd
        from minutesBefore in Gen.Frequency((3, Gen.Int[0, 3 * 24 * 60]), (1, Gen.Int[-60, 300]), (1, Gen.Int[3 * 24 * 60, 8 * 24 * 60]))
        from busy in Generators.Busy(nextMeetingStart.AddDays(-5), 30, 6)
        from policy in Gen.Frequency((1, Gen.Const(PrepPolicy.Default)), (3, Policy))
        select new PrepCase(zone, hours, nextMeetingStart, nextMeetingStart.AddMinutes(-minutesBefore), busy, policy);

    // Each DST zone with the Sundays (00:00Z) of its 2025 clock changes.
    private static readonly (string Zone, string[] Sundays)[] DstZones =
    [
        ("Europe/Berlin", ["2025-03-30 00:00", "2025-10-26 00:00"]),
        ("custom", ["2025-03-30 00:00", "2025-10-26 00:00"]),
        ("America/New_York", ["2025-03-09 00:00", "2025-11-02 00:00"]),
        ("Pacific Standard Time", ["2025-03-09 00:00", "2025-11-02 00:00"]),
        ("Australia/Sydney", ["2025-04-06 00:00", "2025-10-05 00:00"]),
        ("Australia/Lord_Howe", ["2025-04-06 00:00", "2025-10-05 00:00"]),
        ("Pacific/Chatham", ["2025-04-06 00:00", "2025-09-28 00:00"]),
    ];

    /// <summary>Meetings from a zone's DST change Sunday to the Tuesday after: the window often spans the change.</summary>
    public static readonly Gen<PrepCase> AcrossDst =
        from zoneAndSundays in Gen.OneOf(DstZones)
        from sunday in Gen.OneOf(zoneAndSundays.Sundays)
        from hours in Hours(zoneAndSundays.Zone)
        from minutes in Gen.Int[0, 3 * 24 * 60]
        from minutesBefore in Gen.Frequency((4, Gen.Int[0, 4 * 24 * 60]), (1, Gen.Int[-60, 300]))
        let nextMeetingStart = Zones.Utc(sunday).AddMinutes(minutes)
        from busy in Generators.Busy(nextMeetingStart.AddDays(-4), 20, 5)
        from policy in Gen.Frequency((1, Gen.Const(PrepPolicy.Default)), (3, Policy))
        select new PrepCase(zoneAndSundays.Zone, hours, nextMeetingStart, nextMeetingStart.AddMinutes(-minutesBefore), busy, policy);
}

using BossTalkCalendar.GraphSimulator;

namespace BossTalkCalendar.Api.Tests.Graph;

/// <summary>
/// A small tenant for the gateway tests: a manager in Berlin and reports across zones. Written as raw seed rather than
/// with <see cref="TenantBuilder"/> on purpose: it exercises Graph shapes a <see cref="Member"/> does not have (display
/// names, a user principal name unlike the address, a custom time zone, no working hours, all-day and cancelled events).
/// </summary>
internal static class GraphTestTenant
{
    public const string ManagerId = "a0000000-0000-0000-0000-00000000000m";
    public const string AliceId = "a0000000-0000-0000-0000-00000000000a";
    public const string BobId = "a0000000-0000-0000-0000-00000000000b";
    public const string CarolId = "a0000000-0000-0000-0000-00000000000c";

    public const string ManagerMail = "maria@contoso.test";
    public const string AliceMail = "alice@contoso.test";
    public const string BobMail = "bob@contoso.test";
    public const string CarolMail = "carol@contoso.test";

    /// <summary>Monday 24 March 2025: the week of Europe's spring-forward (Sunday 30 March).</summary>
    public static readonly DateTimeOffset WeekStart = new(2025, 3, 24, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Bob's all-day event: Wednesday 26 March 2025 in New York (already on daylight time).</summary>
    public static readonly DateTimeOffset BobDayOff = new(2025, 3, 26, 0, 0, 0, TimeSpan.FromHours(-4));

    /// <summary>Alice's calendar: one 30-minute meeting a day at 09:00 Berlin time for 10 days (crossing the DST change).</summary>
    public static IReadOnlyList<SeedEvent> AliceDailyMeetings()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var events = new List<SeedEvent>();
        for (var day = 0; day < 10; day++)
        {
            var local = new DateTime(2025, 3, 24, 9, 0, 0).AddDays(day);
            var start = new DateTimeOffset(local, berlin.GetUtcOffset(local));
            events.Add(new SeedEvent
            {
                Subject = $"Secret topic {day}",
                Body = "Nothing to see here",
                Start = start,
                End = start.AddMinutes(30),
                OrganizerMail = day % 2 == 0 ? ManagerMail : AliceMail,
                Attendees =
                [
                    new SeedAttendee { Mail = AliceMail, Type = "required", Response = "accepted" },
                    new SeedAttendee { Mail = ManagerMail, Type = "required", Response = "accepted" },
                ],
            });
        }

        return events;
    }

    public static TenantSeed Create() => new()
    {
        TenantId = "00000000-0000-0000-0000-0000000000aa",
        Users =
        [
            new SeedUser
            {
                Id = ManagerId,
                DisplayName = "Maria Manager",
                Mail = ManagerMail,
                UserPrincipalName = ManagerMail,
                TimeZone = "W. Europe Standard Time",
            },
            new SeedUser
            {
                Id = AliceId,
                DisplayName = "Alice Report",
                Mail = AliceMail,
                UserPrincipalName = AliceMail,
                ManagerId = ManagerId,
                TimeZone = "W. Europe Standard Time",
                WorkingHours = new SeedWorkingHours
                {
                    DaysOfWeek = ["monday", "tuesday", "wednesday", "thursday", "friday"],
                    StartTime = "08:30:00",
                    EndTime = "17:00:00",
                    TimeZoneName = "W. Europe Standard Time",
                },
                Events = [.. AliceDailyMeetings()],
            },
            new SeedUser
            {
                Id = BobId,
                DisplayName = "Bob Report",
                Mail = BobMail,
                UserPrincipalName = "bob.upn@contoso.test",
                ManagerId = ManagerId,
                TimeZone = "Eastern Standard Time",
                WorkingHours = new SeedWorkingHours
                {
                    DaysOfWeek = ["sunday", "monday", "tuesday", "wednesday", "thursday"],
                    StartTime = "07:00:00",
                    EndTime = "15:30:00",
                    // UTC-05:00 with US daylight time: 2nd Sunday of March to 1st Sunday of November.
                    CustomTimeZone = new SeedCustomTimeZone
                    {
                        Bias = 300,
                        StandardOffset = new SeedStandardTimeZoneOffset { Time = "02:00:00", DayOccurrence = 1, DayOfWeek = "sunday", Month = 11 },
                        DaylightOffset = new SeedDaylightTimeZoneOffset { Time = "02:00:00", DayOccurrence = 2, DayOfWeek = "sunday", Month = 3, DaylightBias = -60 },
                    },
                },
                Events =
                [
                    new SeedEvent
                    {
                        Subject = "Dentist",
                        Start = WeekStart.AddHours(14),
                        End = WeekStart.AddHours(15),
                        OrganizerMail = BobMail,
                        ShowAs = "oof",
                    },
                    new SeedEvent
                    {
                        Subject = "Day off",
                        Start = BobDayOff,
                        End = BobDayOff.AddDays(1),
                        OrganizerMail = BobMail,
                        IsAllDay = true,
                        ShowAs = "oof",
                    },
                    new SeedEvent
                    {
                        Subject = "Cancelled sync",
                        Start = WeekStart.AddDays(3).AddHours(15),
                        End = WeekStart.AddDays(3).AddHours(16),
                        OrganizerMail = ManagerMail,
                        Attendees = [new SeedAttendee { Mail = BobMail, Type = "optional", Response = "tentativelyAccepted" }],
                        IsCancelled = true,
                        ShowAs = "free",
                    },
                ],
            },
            new SeedUser
            {
                Id = CarolId,
                DisplayName = "Carol Report",
                Mail = CarolMail,
                UserPrincipalName = CarolMail,
                ManagerId = ManagerId,
                TimeZone = "India Standard Time",
                WorkingHours = new SeedWorkingHours { TimeZoneName = "India Standard Time" },
                Events =
                [
                    new SeedEvent
                    {
                        Subject = "Focus",
                        Start = WeekStart.AddHours(5),
                        End = WeekStart.AddHours(6),
                        OrganizerMail = CarolMail,
                        ShowAs = "tentative",
                    },
                ],
            },
        ],
    };
}

using BossTalkCalendar.GraphSimulator;

namespace BossTalkCalendar.Api.Tests.Jobs;

/// <summary>
/// A small tenant around a fixed "now" (Wednesday 4 March 2026, 14:00 UTC: 15:00 in Berlin, 09:00 in New York,
/// both on standard time): a manager in Berlin and five reports whose one-on-ones show each rule.
/// Subjects and bodies carry a marker so the tests can prove the service never stores them.
/// </summary>
public static class TestTeam
{
    public const string TenantId = "7e57e57e-0000-4000-8000-000000000000";
    public const string Secret = "SECRET-CONTENT";

    public static readonly DateTimeOffset Now = new(2026, 3, 4, 14, 0, 0, TimeSpan.Zero);

    public static readonly Member Manager = new("7e57e57e-0000-4000-8000-000000000001", "manager@team.test", "Europe/Berlin", ["monday", "tuesday", "wednesday", "thursday", "friday"], "09:00:00", "17:30:00");

    /// <summary>One-on-one ended 100 minutes ago; a busy afternoon.</summary>
    public static readonly Member Berlin = new("7e57e57e-0000-4000-8000-000000000002", "berlin@team.test", "Europe/Berlin", ["monday", "tuesday", "wednesday", "thursday", "friday"], "09:00:00", "17:30:00");

    /// <summary>One-on-one ended an hour ago (before their day began); Windows zone name; out of office late morning.</summary>
    public static readonly Member NewYork = new("7e57e57e-0000-4000-8000-000000000003", "newyork@team.test", "Eastern Standard Time", ["monday", "tuesday", "wednesday", "thursday", "friday"], "08:30:00", "17:00:00");

    /// <summary>Declined the one-on-one.</summary>
    public static readonly Member Declined = new("7e57e57e-0000-4000-8000-000000000004", "declined@team.test", "Europe/Berlin", ["monday", "tuesday", "wednesday", "thursday", "friday"], "09:00:00", "17:30:00");

    /// <summary>Still in the one-on-one: it ends in 15 minutes.</summary>
    public static readonly Member NotEnded = new("7e57e57e-0000-4000-8000-000000000005", "notended@team.test", "Europe/Berlin", ["monday", "tuesday", "wednesday", "thursday", "friday"], "09:00:00", "17:30:00");

    /// <summary>Had a one-on-one, but the tests make this mailbox answer 403.</summary>
    public static readonly Member Forbidden = new("7e57e57e-0000-4000-8000-000000000006", "forbidden@team.test", "Asia/Dubai", ["sunday", "monday", "tuesday", "wednesday", "thursday"], "09:00:00", "17:00:00");

    public static IReadOnlyList<Member> Reports { get; } = [Berlin, NewYork, Declined, NotEnded, Forbidden];

    public static string OneOnOneSubject(Member report) => $"1:1 {Secret} {report.Mail}";

    public static TenantSeed Build()
    {
        var manager = Manager.ToSeed(null);
        var users = new List<SeedUser> { manager };
        users.AddRange(Reports.Select(r => r.ToSeed(Manager.Id)));

        manager.Events.Add(OneOnOne(Berlin, At(11, 50), At(12, 20), "accepted"));
        manager.Events.Add(OneOnOne(NewYork, At(12, 30), At(13, 0), "accepted"));
        manager.Events.Add(OneOnOne(Declined, At(11, 0), At(11, 30), "declined"));
        manager.Events.Add(OneOnOne(NotEnded, At(13, 45), At(14, 15), "accepted"));
        manager.Events.Add(OneOnOne(Forbidden, At(11, 30), At(12, 0), "accepted"));

        // Three people: not a one-on-one, so no second reflection for Berlin or New York.
        manager.Events.Add(new SeedEvent
        {
            Subject = $"Planning {Secret}",
            Body = Secret,
            Start = At(10, 0),
            End = At(10, 45),
            OrganizerMail = Manager.Mail,
            Attendees = [new SeedAttendee { Mail = Berlin.Mail }, new SeedAttendee { Mail = NewYork.Mail }],
        });

        Own(users, Berlin, At(14, 0), At(15, 0), "busy");
        Own(users, Berlin, At(15, 20), At(15, 50), "tentative");
        Own(users, NewYork, At(14, 30), At(15, 30), "busy");
        Own(users, NewYork, At(16, 0), At(18, 0), "oof");
        Own(users, NewYork, At(19, 0), At(19, 30), "free");

        return new TenantSeed { TenantId = TenantId, Users = users };
    }

    /// <summary>A UTC time on the test day.</summary>
    public static DateTimeOffset At(int hour, int minute) => new(2026, 3, 4, hour, minute, 0, TimeSpan.Zero);

    private static SeedEvent OneOnOne(Member report, DateTimeOffset start, DateTimeOffset end, string response) => new()
    {
        Subject = OneOnOneSubject(report),
        Body = $"Agenda: {Secret}",
        Start = start,
        End = end,
        OrganizerMail = Manager.Mail,
        Attendees = [new SeedAttendee { Mail = report.Mail, Response = response }],
    };

    private static void Own(List<SeedUser> users, Member member, DateTimeOffset start, DateTimeOffset end, string showAs) =>
        users.Single(u => u.Id == member.Id).Events.Add(new SeedEvent
        {
            Subject = $"Busy {Secret}",
            Start = start,
            End = end,
            OrganizerMail = member.Mail,
            ShowAs = showAs,
        });
}

public sealed record Member(string Id, string Mail, string Zone, IReadOnlyList<string> Days, string Start, string End)
{
    public SeedUser ToSeed(string? managerId) => new()
    {
        Id = Id,
        DisplayName = "Test " + Mail,
        Mail = Mail,
        UserPrincipalName = Mail,
        ManagerId = managerId,
        TimeZone = Zone,
        WorkingHours = new SeedWorkingHours
        {
            DaysOfWeek = [.. Days],
            StartTime = Start,
            EndTime = End,
            TimeZoneName = Zone,
        },
    };
}

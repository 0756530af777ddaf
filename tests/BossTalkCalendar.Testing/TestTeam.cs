using BossTalkCalendar.GraphSimulator;

namespace BossTalkCalendar.Testing;

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

    public static readonly Member Manager = new("7e57e57e-0000-4000-8000-000000000001", "manager@team.test", "Europe/Berlin", TenantBuilder.WeekDays, "09:00:00", "17:30:00");

    /// <summary>One-on-one ended 100 minutes ago; a busy afternoon.</summary>
    public static readonly Member Berlin = new("7e57e57e-0000-4000-8000-000000000002", "berlin@team.test", "Europe/Berlin", TenantBuilder.WeekDays, "09:00:00", "17:30:00");

    /// <summary>One-on-one ended an hour ago (before their day began); Windows zone name; out of office late morning.</summary>
    public static readonly Member NewYork = new("7e57e57e-0000-4000-8000-000000000003", "newyork@team.test", "Eastern Standard Time", TenantBuilder.WeekDays, "08:30:00", "17:00:00");

    /// <summary>Declined the one-on-one.</summary>
    public static readonly Member Declined = new("7e57e57e-0000-4000-8000-000000000004", "declined@team.test", "Europe/Berlin", TenantBuilder.WeekDays, "09:00:00", "17:30:00");

    /// <summary>Still in the one-on-one: it ends in 15 minutes.</summary>
    public static readonly Member NotEnded = new("7e57e57e-0000-4000-8000-000000000005", "notended@team.test", "Europe/Berlin", TenantBuilder.WeekDays, "09:00:00", "17:30:00");

    /// <summary>Had a one-on-one, but the tests make this mailbox answer 403.</summary>
    public static readonly Member Forbidden = new("7e57e57e-0000-4000-8000-000000000006", "forbidden@team.test", "Asia/Dubai", ["sunday", "monday", "tuesday", "wednesday", "thursday"], "09:00:00", "17:00:00");

    public static IReadOnlyList<Member> Reports { get; } = [Berlin, NewYork, Declined, NotEnded, Forbidden];

    public static string OneOnOneSubject(Member report) => $"1:1 {Secret} {report.Mail}";

    public static TenantSeed Build() => Builder().Build();

    /// <summary>The team, for tenants that add to it.</summary>
    public static TenantBuilder Builder()
    {
        var tenant = new TenantBuilder(TenantId, Secret).Add(null, Manager).Add(Manager, Reports);

        tenant.OneOnOne(Manager, Berlin, At(11, 50), At(12, 20), subjectWithMail: true);
        tenant.OneOnOne(Manager, NewYork, At(12, 30), At(13, 0), subjectWithMail: true);
        tenant.OneOnOne(Manager, Declined, At(11, 0), At(11, 30), "declined", subjectWithMail: true);
        tenant.OneOnOne(Manager, NotEnded, At(13, 45), At(14, 15), subjectWithMail: true);
        tenant.OneOnOne(Manager, Forbidden, At(11, 30), At(12, 0), subjectWithMail: true);

        // Three people: not a one-on-one, so no second reflection for Berlin or New York.
        tenant.Of(Manager).Events.Add(new SeedEvent
        {
            Subject = $"Planning {Secret}",
            Body = Secret,
            Start = At(10, 0),
            End = At(10, 45),
            OrganizerMail = Manager.Mail,
            Attendees = [new SeedAttendee { Mail = Berlin.Mail }, new SeedAttendee { Mail = NewYork.Mail }],
        });

        return tenant
            .Busy(Berlin, At(14, 0), At(15, 0), "busy")
            .Busy(Berlin, At(15, 20), At(15, 50), "tentative")
            .Busy(NewYork, At(14, 30), At(15, 30), "busy")
            .Busy(NewYork, At(16, 0), At(18, 0), "oof")
            .Busy(NewYork, At(19, 0), At(19, 30), "free");
    }

    /// <summary>A UTC time on the test day.</summary>
    public static DateTimeOffset At(int hour, int minute) => new(2026, 3, 4, hour, minute, 0, TimeSpan.Zero);
}

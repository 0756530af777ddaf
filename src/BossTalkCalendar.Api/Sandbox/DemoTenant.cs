using BossTalkCalendar.Api.Hosting;
using BossTalkCalendar.GraphSimulator;

namespace BossTalkCalendar.Api.Sandbox;

/// <summary>
/// The sandbox's two demo teams, built around "now".
/// <list type="bullet">
/// <item>Mara's team, waiting for its manager's approval (to try the rollout): a manager in Berlin and six direct
/// reports in Berlin and New York. Four of them had a one-on-one with the manager that has ended; one declined theirs,
/// one is still in it, and a three-person meeting shows that only one-on-ones count.</item>
/// <item>Noor's team, approved by its manager when the sandbox was seeded (<see cref="SandboxGraph"/>), so the first
/// sweep places reflections with no manual step: a manager in London and two reports whose one-on-ones have ended.</item>
/// </list>
/// Everyone has a busy week ahead.
/// </summary>
public static class DemoTenant
{
    public const string TenantId = HostMode.SandboxTenantId;
    public const string Domain = "demo.bosstalk.example";

    private const string Berlin = "Europe/Berlin";
    private const string NewYork = "America/New_York";

    /// <summary>Mara's mailbox is in Japanese: an invitation to her (a follow-up with "also invite my manager") is too.</summary>
    public static readonly DemoUser Manager = new("b05a1c00-0000-4000-8000-000000000001", "Mara Keller", "mara.keller", Berlin, Berlin, WeekDays, "09:00", "17:30", "ja-JP");

    /// <summary>One-on-one ended 100 minutes ago.</summary>
    public static readonly DemoUser Jonas = new("b05a1c00-0000-4000-8000-000000000002", "Jonas Weber", "jonas.weber", Berlin, Berlin, WeekDays, "09:00", "17:30");

    /// <summary>One-on-one ended 40 minutes ago; mailbox zone given by its Windows name; a German mailbox.</summary>
    public static readonly DemoUser Lea = new("b05a1c00-0000-4000-8000-000000000003", "Lea Fischer", "lea.fischer", "W. Europe Standard Time", Berlin, WeekDays, "08:00", "16:30", "de-DE");

    /// <summary>One-on-one ended three hours ago; New York, Windows zone name.</summary>
    public static readonly DemoUser Sam = new("b05a1c00-0000-4000-8000-000000000004", "Sam Carter", "sam.carter", "Eastern Standard Time", NewYork, WeekDays, "08:30", "17:00");

    /// <summary>One-on-one ended two hours ago; New York, works Sunday to Thursday.</summary>
    public static readonly DemoUser Priya = new("b05a1c00-0000-4000-8000-000000000005", "Priya Nair", "priya.nair", "Eastern Standard Time", NewYork, ["sunday", "monday", "tuesday", "wednesday", "thursday"], "09:00", "17:30");

    /// <summary>Declined the one-on-one: no reflection.</summary>
    public static readonly DemoUser Tom = new("b05a1c00-0000-4000-8000-000000000006", "Tom Becker", "tom.becker", Berlin, Berlin, WeekDays, "09:00", "17:30");

    /// <summary>Still in the one-on-one (it ends in 20 minutes): a reflection follows after a later sweep.</summary>
    public static readonly DemoUser Ana = new("b05a1c00-0000-4000-8000-000000000007", "Ana Costa", "ana.costa", NewYork, NewYork, WeekDays, "08:00", "16:00");

    public static IReadOnlyList<DemoUser> Reports { get; } = [Jonas, Lea, Sam, Priya, Tom, Ana];

    private const string London = "Europe/London";

    /// <summary>The manager whose team is approved at seed time.</summary>
    public static readonly DemoUser ApprovedManager = new("b05a1c00-0000-4000-8000-000000000011", "Noor Haddad", "noor.haddad", "GMT Standard Time", London, WeekDays, "09:00", "17:30");

    /// <summary>One-on-one with Noor ended 100 minutes ago; London.</summary>
    public static readonly DemoUser Ravi = new("b05a1c00-0000-4000-8000-000000000012", "Ravi Patel", "ravi.patel", London, London, WeekDays, "09:00", "17:30");

    /// <summary>One-on-one with Noor ended two hours ago; Berlin, a German mailbox: her reflection is in German.</summary>
    public static readonly DemoUser Elif = new("b05a1c00-0000-4000-8000-000000000013", "Elif Demir", "elif.demir", Berlin, Berlin, WeekDays, "08:30", "17:00", "de-DE");

    /// <summary>Noor's reports: enrolled from the start, and both due a reflection.</summary>
    public static IReadOnlyList<DemoUser> ApprovedReports { get; } = [Ravi, Elif];

    /// <summary>
    /// The demo administrator the task pane's "run the first sweep" button signs in as. Not in the simulated
    /// directory: it only ever holds the admin role in sandbox tokens.
    /// </summary>
    public const string AdminId = "b05a1c00-0000-4000-8000-0000000000ad";

    /// <summary>Everyone the development sign-in may mint a token for.</summary>
    public static IReadOnlySet<string> SignInIds { get; } =
        new HashSet<string>([Manager.Id, AdminId, .. Reports.Select(u => u.Id), ApprovedManager.Id, .. ApprovedReports.Select(u => u.Id)], StringComparer.Ordinal);

    /// <summary>Mara's reports whose one-on-one has ended and who accepted it: each gets one reflection once she approves.</summary>
    public static IReadOnlyList<DemoUser> Due { get; } = [Jonas, Lea, Sam, Priya];

    private static string[] WeekDays => ["monday", "tuesday", "wednesday", "thursday", "friday"];

    public static TenantSeed Build(DateTimeOffset now)
    {
        var minute = TimeSpan.FromMinutes(1);
        var tick = now.ToUniversalTime();
        var t = new DateTimeOffset(tick.UtcTicks - (tick.UtcTicks % TimeSpan.FromMinutes(5).Ticks), TimeSpan.Zero);

        var manager = Manager.ToSeed(managerId: null);
        var users = new List<SeedUser> { manager };
        users.AddRange(Reports.Select(report => report.ToSeed(Manager.Id)));
        var approvedManager = ApprovedManager.ToSeed(managerId: null);
        users.Add(approvedManager);
        users.AddRange(ApprovedReports.Select(report => report.ToSeed(ApprovedManager.Id)));

        manager.Events.Add(OneOnOne(Manager, Jonas, t - (130 * minute), t - (100 * minute), "accepted"));
        manager.Events.Add(OneOnOne(Manager, Lea, t - (70 * minute), t - (40 * minute), "accepted"));
        manager.Events.Add(OneOnOne(Manager, Sam, t - (210 * minute), t - (180 * minute), "accepted"));
        manager.Events.Add(OneOnOne(Manager, Priya, t - (150 * minute), t - (120 * minute), "tentativelyAccepted"));
        manager.Events.Add(OneOnOne(Manager, Tom, t - (180 * minute), t - (150 * minute), "declined"));
        manager.Events.Add(OneOnOne(Manager, Ana, t - (10 * minute), t + (20 * minute), "accepted"));
        approvedManager.Events.Add(OneOnOne(ApprovedManager, Ravi, t - (130 * minute), t - (100 * minute), "accepted"));
        approvedManager.Events.Add(OneOnOne(ApprovedManager, Elif, t - (150 * minute), t - (120 * minute), "accepted"));
        // Next week's one-on-ones: a prep block goes before them when the last one was rough.
        var week = TimeSpan.FromDays(7);
        approvedManager.Events.Add(OneOnOne(ApprovedManager, Ravi, t + week - (130 * minute), t + week - (100 * minute), "accepted"));
        manager.Events.Add(OneOnOne(Manager, Jonas, t + week - (130 * minute), t + week - (100 * minute), "accepted"));
        manager.Events.Add(new SeedEvent
        {
            Subject = "Roadmap check-in",
            Start = t - (300 * minute),
            End = t - (270 * minute),
            OrganizerMail = Manager.Mail,
            Attendees = [Attendee(Jonas, "accepted"), Attendee(Lea, "accepted")],
        });

        foreach (var (user, seed) in users.Select(seed => (All.Single(u => u.Id == seed.Id), seed)))
        {
            seed.Events.AddRange(BusyWeek(user, now));
        }

        return new TenantSeed { TenantId = TenantId, Users = users };
    }

    private static IEnumerable<DemoUser> All => [Manager, .. Reports, ApprovedManager, .. ApprovedReports];

    private static SeedEvent OneOnOne(DemoUser manager, DemoUser report, DateTimeOffset start, DateTimeOffset end, string response) => new()
    {
        Subject = $"1:1 {manager.DisplayName.Split(' ')[0]} / {report.DisplayName.Split(' ')[0]}",
        Body = "Weekly one-on-one.",
        Start = start,
        End = end,
        OrganizerMail = manager.Mail,
        Attendees = [Attendee(report, response)],
    };

    private static SeedAttendee Attendee(DemoUser user, string response) => new() { Mail = user.Mail, Type = "required", Response = response };

    /// <summary>A few fixed meetings on each working day of the next four days, in the user's own zone.</summary>
    private static IEnumerable<SeedEvent> BusyWeek(DemoUser user, DateTimeOffset now)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(user.IanaZone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        for (var day = 0; day < 4; day++)
        {
            var date = today.AddDays(day);
            if (!user.WorkingDays.Contains(date.DayOfWeek.ToString(), StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            yield return Own(user, zone, date, "09:30", "10:00", "Team stand-up", "busy");
            yield return Own(user, zone, date, "11:00", "12:00", day % 2 == 0 ? "Design review" : "Hiring panel", day % 2 == 0 ? "tentative" : "busy");
            yield return Own(user, zone, date, "14:00", "15:00", "Project work", "busy");
            if (day == 2)
            {
                yield return Own(user, zone, date, "15:00", "17:00", "Dentist", "oof");
            }
        }
    }

    private static SeedEvent Own(DemoUser user, TimeZoneInfo zone, DateOnly date, string from, string to, string subject, string showAs) => new()
    {
        Subject = subject,
        Start = At(zone, date, from),
        End = At(zone, date, to),
        OrganizerMail = user.Mail,
        ShowAs = showAs,
    };

    private static DateTimeOffset At(TimeZoneInfo zone, DateOnly date, string time)
    {
        var local = date.ToDateTime(TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture));
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}

/// <summary>A demo user: ids and zones are what matter; the name exists only inside the simulated tenant.</summary>
/// <param name="Id">Directory object id.</param>
/// <param name="DisplayName">Name shown by the simulator (never stored by the service).</param>
/// <param name="Alias">Local part of the mail address.</param>
/// <param name="MailboxZone">The zone name mailboxSettings returns (Windows or IANA).</param>
/// <param name="IanaZone">The same zone by its IANA name, for building the seed.</param>
/// <param name="WorkingDays">Lower-case English day names.</param>
/// <param name="Start">Start of the working day, local.</param>
/// <param name="End">End of the working day, local.</param>
/// <param name="Locale">mailboxSettings.language.locale: the language BossTalk writes in for this person.</param>
public sealed record DemoUser(string Id, string DisplayName, string Alias, string MailboxZone, string IanaZone, IReadOnlyList<string> WorkingDays, string Start, string End, string Locale = "en-US")
{
    public string Mail => $"{Alias}@{DemoTenant.Domain}";

    internal SeedUser ToSeed(string? managerId) => new()
    {
        Id = Id,
        DisplayName = DisplayName,
        Mail = Mail,
        UserPrincipalName = Mail,
        ManagerId = managerId,
        TimeZone = MailboxZone,
        Locale = Locale,
        WorkingHours = new SeedWorkingHours
        {
            DaysOfWeek = [.. WorkingDays],
            StartTime = Start + ":00",
            EndTime = End + ":00",
            TimeZoneName = MailboxZone,
        },
    };
}

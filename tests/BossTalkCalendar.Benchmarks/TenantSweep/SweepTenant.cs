using System.Globalization;
using BossTalkCalendar.GraphSimulator;

namespace BossTalkCalendar.Benchmarks.TenantSweep;

/// <summary>
/// A synthetic tenant for the sweep: <c>users</c> reports in teams of about ten under separate managers. Each report
/// has about 40 events between a day ago and eight days ahead, one of them a one-on-one with their manager that
/// ended two hours ago (so every report is due exactly one reflection). Working hours span the whole day in UTC, so
/// a slot exists whatever the hour the benchmark runs at.
/// </summary>
internal static class SweepTenant
{
    public const string TenantId = "5feeb000-0000-4000-8000-000000000000";
    public const int TeamSize = 10;
    public const int EventsPerUser = 40;

    public static string ReportMail(int i) => string.Create(CultureInfo.InvariantCulture, $"u{i}@sweep.test");

    public static string ManagerMail(int j) => string.Create(CultureInfo.InvariantCulture, $"m{j}@sweep.test");

    public static string ReportId(int i) => string.Create(CultureInfo.InvariantCulture, $"5feeb000-0000-4000-8000-{i:D12}");

    public static string ManagerId(int j) => string.Create(CultureInfo.InvariantCulture, $"5feeb000-0000-4000-9000-{j:D12}");

    public static int ManagerCount(int users) => (users + TeamSize - 1) / TeamSize;

    public static IEnumerable<string> ReportsOf(int manager, int users) =>
        Enumerable.Range(manager * TeamSize, TeamSize).Where(i => i < users).Select(ReportId);

    public static TenantSeed Build(int users, DateTimeOffset now) => Build(users, now, TimeSpan.FromMinutes(120));

    /// <summary>Like <see cref="Build(int, DateTimeOffset)"/>, with each report's one-on-one ended <paramref name="oneOnOneEndedAgo"/> ago (the notify mode puts it outside the look-back, so nothing is due).</summary>
    public static TenantSeed Build(int users, DateTimeOffset now, TimeSpan oneOnOneEndedAgo)
    {
        // Quarter-hour grid, so events look like calendars do.
        var origin = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.FromMinutes(15).Ticks), TimeSpan.Zero);
        var seed = new TenantSeed { TenantId = TenantId };
        var managers = new SeedUser[ManagerCount(users)];
        for (var j = 0; j < managers.Length; j++)
        {
            managers[j] = User(ManagerId(j), string.Create(CultureInfo.InvariantCulture, $"m{j}@sweep.test"), null);
            seed.Users.Add(managers[j]);
        }

        var span = TimeSpan.FromDays(9);
        var step = span / (EventsPerUser - 1);
        for (var i = 0; i < users; i++)
        {
            var manager = managers[i / TeamSize];
            var user = User(ReportId(i), string.Create(CultureInfo.InvariantCulture, $"u{i}@sweep.test"), manager.Id);
            seed.Users.Add(user);

            // The one-on-one lives on the manager's calendar; the simulator mirrors it onto the report's.
            manager.Events.Add(new SeedEvent
            {
                Subject = "1:1",
                Start = origin - oneOnOneEndedAgo - TimeSpan.FromMinutes(30),
                End = origin - oneOnOneEndedAgo,
                OrganizerMail = manager.Mail,
                Attendees = [new SeedAttendee { Mail = user.Mail }],
            });

            // Own events only (no attendees), staggered per user so calendars differ.
            var offset = TimeSpan.FromMinutes(15 * (i % 8));
            for (var k = 0; k < EventsPerUser - 1; k++)
            {
                var start = origin - TimeSpan.FromHours(22) + (step * k) + offset;
                start = new DateTimeOffset(start.Ticks - (start.Ticks % TimeSpan.FromMinutes(15).Ticks), TimeSpan.Zero);
                user.Events.Add(new SeedEvent
                {
                    Subject = "Busy",
                    Start = start,
                    End = start + TimeSpan.FromMinutes(30),
                    OrganizerMail = user.Mail,
                });
            }
        }

        return seed;
    }

    private static SeedUser User(string id, string mail, string? managerId) => new()
    {
        Id = id,
        DisplayName = mail,
        Mail = mail,
        UserPrincipalName = mail,
        ManagerId = managerId,
        TimeZone = "UTC",
        WorkingHours = new SeedWorkingHours
        {
            DaysOfWeek = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"],
            StartTime = "00:00:00",
            EndTime = "23:59:00",
            TimeZoneName = "UTC",
        },
    };
}

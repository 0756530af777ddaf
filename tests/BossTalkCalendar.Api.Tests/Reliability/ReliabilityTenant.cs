using BossTalkCalendar.Api.Tests.Jobs;
using BossTalkCalendar.Api.Tests.Postgres;
using BossTalkCalendar.GraphSimulator;

namespace BossTalkCalendar.Api.Tests.Reliability;

/// <summary>
/// Like <see cref="LargeTenant"/>, but around any instant: a service in a child process runs on the real clock, so
/// its tenant must be built around the real now. Members work every day from 00:00 to 23:59, so that whatever the
/// hour the test runs at, every due member has a free slot and the expected count is exactly the due count.
/// </summary>
public static class ReliabilityTenant
{
    private static readonly string[] AllDays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    public static (TenantSeed Seed, IReadOnlyList<string> ManagerIds, IReadOnlyList<GeneratedMember> Members) Build(DateTimeOffset now, int memberCount, int managerCount)
    {
        var users = new List<SeedUser>();
        var managers = new List<Member>();
        for (var m = 0; m < managerCount; m++)
        {
            var manager = new Member(Id(1, m), $"manager{m}@reliable.test", "Europe/Berlin", AllDays, "00:00:00", "23:59:00");
            managers.Add(manager);
            users.Add(manager.ToSeed(null));
        }

        var members = new List<GeneratedMember>();
        for (var i = 0; i < memberCount; i++)
        {
            var manager = managers[i % managerCount];
            var zone = i % 2 == 0 ? "Europe/Berlin" : "America/New_York";
            var member = new Member(Id(2, i), $"member{i}@reliable.test", zone, AllDays, "00:00:00", "23:59:00");
            var seed = member.ToSeed(manager.Id);
            users.Add(seed);

            // Ended between 10 and 210 minutes ago; every tenth one is still running (not due).
            var due = i % 10 != 9;
            var end = due ? now - TimeSpan.FromMinutes(10 + (i * 7 % 200)) : now + TimeSpan.FromMinutes(20);
            users[i % managerCount].Events.Add(new SeedEvent
            {
                Subject = $"1:1 {TestTeam.Secret}",
                Start = end - TimeSpan.FromMinutes(30),
                End = end,
                OrganizerMail = manager.Mail,
                Attendees = [new SeedAttendee { Mail = member.Mail, Response = "accepted" }],
            });

            var shift = TimeSpan.FromMinutes(15 * (i % 4));
            seed.Events.Add(new SeedEvent
            {
                Subject = $"Busy {TestTeam.Secret}",
                Start = now + TimeSpan.FromHours(2) + shift,
                End = now + TimeSpan.FromHours(3) + shift,
                OrganizerMail = member.Mail,
                ShowAs = "busy",
            });
            members.Add(new GeneratedMember(member, manager.Id, due, end));
        }

        return (new TenantSeed { TenantId = TestTeam.TenantId, Users = users }, [.. managers.Select(m => m.Id)], members);
    }

    private static string Id(int kind, int index) => $"0e1a0000-0000-4000-800{kind}-{index:D12}";
}

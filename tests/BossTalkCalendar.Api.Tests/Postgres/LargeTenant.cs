using BossTalkCalendar.Api.Tests.Jobs;
using BossTalkCalendar.GraphSimulator;

namespace BossTalkCalendar.Api.Tests.Postgres;

/// <summary>
/// A generated tenant around <see cref="TestTeam.Now"/>: a few managers in Berlin, each with an equal share of
/// members in Berlin and New York. Every member had a one-on-one with their manager in the last few hours, except
/// every tenth, whose one-on-one is still running (not due); each member has a handful of busy items ahead.
/// </summary>
public sealed class LargeTenant
{
    private static readonly string[] WorkDays = ["monday", "tuesday", "wednesday", "thursday", "friday"];

    private LargeTenant(TenantSeed seed, IReadOnlyList<string> managerIds, IReadOnlyList<GeneratedMember> members)
    {
        Seed = seed;
        ManagerIds = managerIds;
        Members = members;
    }

    public TenantSeed Seed { get; }

    public IReadOnlyList<string> ManagerIds { get; }

    public IReadOnlyList<GeneratedMember> Members { get; }

    public static LargeTenant Build(int memberCount, int managerCount)
    {
        var now = TestTeam.Now;
        var users = new List<SeedUser>();
        var managers = new List<Member>();
        for (var m = 0; m < managerCount; m++)
        {
            var manager = new Member(Id(1, m), $"manager{m}@large.test", "Europe/Berlin", WorkDays, "08:00:00", "18:00:00");
            managers.Add(manager);
            users.Add(manager.ToSeed(null));
        }

        var members = new List<GeneratedMember>();
        for (var i = 0; i < memberCount; i++)
        {
            var manager = managers[i % managerCount];
            var zone = i % 2 == 0 ? "Europe/Berlin" : "America/New_York";
            var member = new Member(Id(2, i), $"member{i}@large.test", zone, WorkDays, "08:00:00", "18:00:00");
            var seed = member.ToSeed(manager.Id);
            users.Add(seed);

            // Ended between 10 and 210 minutes ago; every tenth one is still running.
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
            Busy(seed, member, now + TimeSpan.FromMinutes(30) + shift, TimeSpan.FromMinutes(60), "busy");
            Busy(seed, member, now + TimeSpan.FromHours(2) + shift, TimeSpan.FromMinutes(45), "tentative");
            Busy(seed, member, now + TimeSpan.FromHours(19) + shift, TimeSpan.FromMinutes(60), "busy");
            Busy(seed, member, now + TimeSpan.FromHours(22) + shift, TimeSpan.FromMinutes(90), "oof");
            members.Add(new GeneratedMember(member, manager.Id, due, end));
        }

        return new LargeTenant(new TenantSeed { TenantId = TestTeam.TenantId, Users = users }, [.. managers.Select(m => m.Id)], members);
    }

    private static void Busy(SeedUser user, Member member, DateTimeOffset start, TimeSpan length, string showAs) =>
        user.Events.Add(new SeedEvent
        {
            Subject = $"Busy {TestTeam.Secret}",
            Start = start,
            End = start + length,
            OrganizerMail = member.Mail,
            ShowAs = showAs,
        });

    private static string Id(int kind, int index) => $"1a49e000-0000-4000-800{kind}-{index:D12}";
}

/// <summary>A generated member; <c>Due</c> is true when their one-on-one has ended, so a reflection is due.</summary>
public sealed record GeneratedMember(Member Member, string ManagerId, bool Due, DateTimeOffset MeetingEnd);

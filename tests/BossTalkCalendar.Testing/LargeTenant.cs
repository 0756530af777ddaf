using BossTalkCalendar.GraphSimulator;

namespace BossTalkCalendar.Testing;

/// <summary>
/// A generated tenant around <see cref="TestTeam.Now"/>: a few managers in Berlin, each with an equal share of
/// members in Berlin and New York. Every member had a one-on-one with their manager in the last few hours, except
/// every tenth, whose one-on-one is still running (not due); each member has a handful of busy items ahead.
/// </summary>
public sealed class LargeTenant
{
    private LargeTenant(TenantSeed seed, IReadOnlyList<string> managerIds, IReadOnlyList<GeneratedMember> members)
    {
        Seed = seed;
        ManagerIds = managerIds;
        Members = members;
    }

    public TenantSeed Seed { get; }

    public IReadOnlyList<string> ManagerIds { get; }

    public IReadOnlyList<GeneratedMember> Members { get; }

    public void Deconstruct(out TenantSeed seed, out IReadOnlyList<string> managerIds, out IReadOnlyList<GeneratedMember> members) =>
        (seed, managerIds, members) = (Seed, ManagerIds, Members);

    public static LargeTenant Build(int memberCount, int managerCount) =>
        Generate(TestTeam.Now, memberCount, managerCount, TenantBuilder.WeekDays, "08:00:00", "18:00:00", "1a49e000", "large.test", (tenant, member, start) => tenant
            .Busy(member, start + TimeSpan.FromMinutes(30), start + TimeSpan.FromMinutes(90), "busy")
            .Busy(member, start + TimeSpan.FromHours(2), start + TimeSpan.FromHours(2) + TimeSpan.FromMinutes(45), "tentative")
            .Busy(member, start + TimeSpan.FromHours(19), start + TimeSpan.FromHours(20), "busy")
            .Busy(member, start + TimeSpan.FromHours(22), start + TimeSpan.FromHours(22) + TimeSpan.FromMinutes(90), "oof"));

    /// <summary>
    /// The shape every generated tenant shares: managers in Berlin, members alternating Berlin and New York, a
    /// one-on-one per member that ended 10–210 minutes before <paramref name="now"/> (every tenth still running),
    /// and busy items from <paramref name="addBusy"/>, which gets the member's own start instant (now, shifted by
    /// a quarter hour per member so calendars differ).
    /// </summary>
    internal static LargeTenant Generate(
        DateTimeOffset now, int memberCount, int managerCount, IReadOnlyList<string> days, string dayStart, string dayEnd, string idPrefix, string domain,
        Action<TenantBuilder, Member, DateTimeOffset> addBusy)
    {
        string Id(int kind, int index) => $"{idPrefix}-0000-4000-800{kind}-{index:D12}";
        var tenant = new TenantBuilder(TestTeam.TenantId, TestTeam.Secret);
        var managers = new List<Member>();
        for (var m = 0; m < managerCount; m++)
        {
            var manager = new Member(Id(1, m), $"manager{m}@{domain}", "Europe/Berlin", days, dayStart, dayEnd);
            managers.Add(manager);
            tenant.Add(null, manager);
        }

        var members = new List<GeneratedMember>();
        for (var i = 0; i < memberCount; i++)
        {
            var manager = managers[i % managerCount];
            var zone = i % 2 == 0 ? "Europe/Berlin" : "America/New_York";
            var member = new Member(Id(2, i), $"member{i}@{domain}", zone, days, dayStart, dayEnd);
            tenant.Add(manager, member);

            // Ended between 10 and 210 minutes ago; every tenth one is still running (not due).
            var due = i % 10 != 9;
            var end = due ? now - TimeSpan.FromMinutes(10 + (i * 7 % 200)) : now + TimeSpan.FromMinutes(20);
            tenant.OneOnOne(manager, member, end - TimeSpan.FromMinutes(30), end, withBody: false);

            addBusy(tenant, member, now + TimeSpan.FromMinutes(15 * (i % 4)));
            members.Add(new GeneratedMember(member, manager.Id, due, end));
        }

        return new LargeTenant(tenant.Build(), [.. managers.Select(m => m.Id)], members);
    }
}

/// <summary>A generated member; <c>Due</c> is true when their one-on-one has ended, so a reflection is due.</summary>
public sealed record GeneratedMember(Member Member, string ManagerId, bool Due, DateTimeOffset MeetingEnd);

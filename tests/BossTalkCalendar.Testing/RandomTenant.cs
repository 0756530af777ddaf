using BossTalkCalendar.GraphSimulator;

namespace BossTalkCalendar.Testing;

/// <summary>
/// A random tenant around a given instant: one manager in Berlin; members in four zones, working every day from
/// 00:00 to 23:59 (so every due one-on-one has room for its block whatever the hour), each with one to
/// <c>maxOneOnOnes</c> one-on-ones with the manager that ended in the last hours (several of them, when there are,
/// back to back, so their blocks compete for the same slots) and random busy, tentative, out-of-office and free items
/// in the next day and a half on a five-minute grid.
/// </summary>
public sealed record RandomTenant(TenantSeed Seed, string ManagerId, IReadOnlyList<(Member Member, int Due)> Members)
{
    private static readonly string[] Zones = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Brisbane"];
    private static readonly string[] ShowAs = ["busy", "tentative", "oof", "free"];

    public static RandomTenant Build(Random random, DateTimeOffset now, int memberCount, int minOneOnOnes = 2, int maxOneOnOnes = 4)
    {
        ArgumentNullException.ThrowIfNull(random);
        var manager = new Member("5e41a100-0000-4000-8001-000000000000", "manager@random.test", "Europe/Berlin", TenantBuilder.AllDays, "00:00:00", "23:59:00");
        var tenant = new TenantBuilder(TestTeam.TenantId, TestTeam.Secret).Add(null, manager);
        var members = new List<(Member, int)>();
        for (var i = 0; i < memberCount; i++)
        {
            var member = new Member($"5e41a100-0000-4000-8002-{i:D12}", $"member{i}@random.test", Zones[random.Next(Zones.Length)], TenantBuilder.AllDays, "00:00:00", "23:59:00");
            tenant.Add(manager, member);

            // The last one ended 10–50 minutes ago; earlier ones follow each other closely.
            var due = random.Next(minOneOnOnes, maxOneOnOnes + 1);
            var end = now - TimeSpan.FromMinutes(10 + (5 * random.Next(9)));
            for (var j = 0; j < due; j++)
            {
                tenant.OneOnOne(manager, member, end - TimeSpan.FromMinutes(30), end, withBody: false);
                end -= TimeSpan.FromMinutes(30 + (5 * random.Next(7)));
            }

            for (var k = random.Next(3, 10); k > 0; k--)
            {
                var start = now + TimeSpan.FromMinutes(5 * random.Next(0, 36 * 12));
                tenant.Busy(member, start, start + TimeSpan.FromMinutes(5 * random.Next(3, 24)), ShowAs[random.Next(ShowAs.Length)]);
            }

            members.Add((member, due));
        }

        return new RandomTenant(tenant.Build(), manager.Id, members);
    }
}

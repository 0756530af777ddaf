using BossTalkCalendar.GraphSimulator;

namespace BossTalkCalendar.Deploy.Tests;

/// <summary>
/// A manager in London and one report in each of five zones far from UTC and from each other, named the IANA way or the
/// Windows way as mailboxes name them. Each report's one-on-one ended 100 minutes ago, and each works a two-hour window
/// every day that opens on a full local hour one to two hours from now (13:00 instead of 12:00, which is lunch). Their
/// calendars are otherwise empty, so each reflection must start exactly when the window opens, in the report's own
/// zone: a service without the zone data would land it hours off.
/// </summary>
public static class FarZoneTenant
{
    public static readonly IReadOnlyList<string> Zones =
        ["Australia/Sydney", "Pacific/Auckland", "Tokyo Standard Time", "W. Europe Standard Time", "Asia/Kolkata"];

    public static (TenantSeed Seed, Member Manager, IReadOnlyList<FarZoneMember> Members) Build(DateTimeOffset now)
    {
        var tenant = new TenantBuilder(TestTeam.TenantId, TestTeam.Secret);
        var manager = new Member("fa20e000-0000-4000-8001-000000000000", "manager@farzones.test", "Europe/London", TenantBuilder.AllDays, "00:00:00", "23:59:00");
        tenant.Add(null, manager);

        var members = new List<FarZoneMember>();
        for (var i = 0; i < Zones.Count; i++)
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(Zones[i]);
            var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
            // The next full hour plus one: 60 to 120 minutes from now, after the cool-down (90 minutes from the end).
            var opens = new DateTime(local.Year, local.Month, local.Day, local.Hour, 0, 0, DateTimeKind.Unspecified).AddHours(2);
            if (opens.Hour == 12)
            {
                opens = opens.AddHours(1);
            }

            var closes = opens.Hour >= 22 ? "23:59:00" : $"{opens.Hour + 2:D2}:00:00";
            var member = new Member($"fa20e000-0000-4000-8002-{i:D12}", $"report{i}@farzones.test", Zones[i], TenantBuilder.AllDays, $"{opens.Hour:D2}:00:00", closes);
            tenant.Add(manager, member);
            tenant.OneOnOne(manager, member, now - TimeSpan.FromMinutes(130), now - TimeSpan.FromMinutes(100), withBody: false);
            members.Add(new FarZoneMember(member, new DateTimeOffset(opens, zone.GetUtcOffset(opens)), opens));
        }

        return (tenant.Build(), manager, members);
    }
}

/// <summary>A report and where their reflection must start: as an instant, and as the wall-clock time in their zone.</summary>
public sealed record FarZoneMember(Member Member, DateTimeOffset ExpectedStart, DateTime ExpectedLocalStart);

namespace BossTalkCalendar.Testing;

/// <summary>
/// Like <see cref="LargeTenant"/>, but around any instant: a service in a child process runs on the real clock, so
/// its tenant must be built around the real now. Members work every day from 00:00 to 23:59, so that whatever the
/// hour the test runs at, every due member has a free slot and the expected count is exactly the due count.
/// </summary>
public static class ReliabilityTenant
{
    public static LargeTenant Build(DateTimeOffset now, int memberCount, int managerCount) =>
        LargeTenant.Generate(now, memberCount, managerCount, TenantBuilder.AllDays, "00:00:00", "23:59:00", "0e1a0000", "reliable.test", (tenant, member, start) =>
            tenant.Busy(member, start + TimeSpan.FromHours(2), start + TimeSpan.FromHours(3), "busy"));
}

using BossTalkCalendar.GraphSimulator;

namespace BossTalkCalendar.Api.Tests.Rollout;

/// <summary>
/// <see cref="TestTeam"/> plus a second team (another manager with one report who also had a one-on-one that ended)
/// and an administrator with no reports, so that tests can tell "the team's own" from everyone else.
/// </summary>
public static class RolloutTenant
{
    public static readonly Member OtherManager = new("7e57e57e-0000-4000-8000-0000000000a1", "othermanager@team.test", "Europe/Berlin", TenantBuilder.WeekDays, "09:00:00", "17:30:00");

    /// <summary>Reports to <see cref="OtherManager"/>; their one-on-one ended at 12:00 UTC.</summary>
    public static readonly Member OtherMember = new("7e57e57e-0000-4000-8000-0000000000a2", "othermember@team.test", "Europe/Berlin", TenantBuilder.WeekDays, "09:00:00", "17:30:00");

    /// <summary>The tenant's BossTalkCalendar administrator: no reports, no manager.</summary>
    public static readonly Member Admin = new("7e57e57e-0000-4000-8000-0000000000a3", "admin@team.test", "Europe/Berlin", TenantBuilder.WeekDays, "09:00:00", "17:30:00");

    /// <summary>Joins <see cref="TestTeam.Manager"/>'s team during a test.</summary>
    public static readonly Member Newcomer = new("7e57e57e-0000-4000-8000-0000000000a4", "newcomer@team.test", "Europe/Berlin", TenantBuilder.WeekDays, "09:00:00", "17:30:00");

    /// <summary>An administrator of another organisation.</summary>
    public const string ForeignAdminId = "22222222-0000-4000-8000-0000000000f1";

    public static string TenantId => TestTeam.TenantId;

    public static TenantSeed Build() => TestTeam.Builder()
        .Add(null, OtherManager)
        .OneOnOne(OtherManager, OtherMember, TestTeam.At(11, 30), TestTeam.At(12, 0), subjectWithMail: true)
        .Add(OtherManager, OtherMember)
        .Add(null, Admin)
        .Build();

    /// <summary>The service works for the simulator's tenant, with Graph at the simulator.</summary>
    public static Dictionary<string, string?> Settings(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { ["Graph:TenantId"] = TenantId };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>The simulator with this tenant; <see cref="TestTeam.Forbidden"/>'s mailbox answers 403, so Berlin and New York are the team's only due members.</summary>
    public static async Task<GraphSimulatorHost> StartGraphAsync(TimeProvider clock)
    {
        var graph = await GraphSimulatorHost.StartAsync(Build(), new SimulatorOptions { Port = 0, TimeProvider = clock });
        graph.Tenant.ForbiddenMailboxes.Add(TestTeam.Forbidden.Id);
        return graph;
    }
}

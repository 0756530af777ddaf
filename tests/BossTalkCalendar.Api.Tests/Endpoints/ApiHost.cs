using System.Net.Http.Headers;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Rollout;
using BossTalkCalendar.Api.Tests.FollowUps;
using BossTalkCalendar.Api.Tests.Jobs;
using BossTalkCalendar.GraphSimulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BossTalkCalendar.Api.Tests.Endpoints;

/// <summary>
/// The real service against a Graph simulator holding <see cref="FollowUpTeam"/>, with the team enrolled: real
/// tokens, real Hangfire, real SQLite. Tests share it per class and use their own users, so they stay independent.
/// </summary>
public sealed class ApiHost : IAsyncLifetime, IDisposable
{
    /// <summary>A cron that never fires (31 February): nothing recurring runs behind the tests' backs.</summary>
    public const string Never = "0 0 31 2 *";

    private readonly TempDirectory _data = new();

    public FakeTimeProvider Clock { get; } = new(FollowUpTeam.Now);

    public GraphSimulatorHost Graph { get; private set; } = null!;

    public BossTalkCalendarApplication App { get; private set; } = null!;

    public static Dictionary<string, string?> Settings(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            // The service answers its own tenant only.
            ["Graph:TenantId"] = FollowUpTeam.TenantId,
            ["Rollout:RefreshCron"] = Never,
            ["Rollout:RetentionCron"] = Never,
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    public async Task InitializeAsync()
    {
        Graph = await GraphSimulatorHost.StartAsync(FollowUpTeam.Build(), new SimulatorOptions { Port = 0, TimeProvider = Clock });
        App = new BossTalkCalendarApplication(_data.Path, Clock, Graph.GraphBaseUrl, Settings());
        await EnrollAsync(App, FollowUpTeam.Enrolled);
    }

    /// <summary>The manager approves the team with these members, as in the rollout.</summary>
    public static async Task EnrollAsync(BossTalkCalendarApplication app, IEnumerable<Member> members) =>
        await app.Services.GetRequiredService<TeamRollout>()
            .ApproveAsync(FollowUpTeam.TenantId, FollowUpTeam.Manager.Id, FollowUpTeam.Manager.Id, [.. members.Select(m => m.Id)], CancellationToken.None);

    /// <summary>A client signed in as <paramref name="member"/> of the team's tenant.</summary>
    public HttpClient ClientFor(Member member) => App.CreateClientFor(member.Id, FollowUpTeam.TenantId);

    public HttpClient Anonymous() => App.CreateClient();

    public HttpClient WithToken(string token)
    {
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<Nudge> NudgeAsync(Guid id)
    {
        await using var db = await App.CreateDbContextAsync();
        return db.Nudges.Single(n => n.Id == id);
    }

    /// <summary>Waits until the nudge is no longer planned (its placement job ran) and returns it.</summary>
    public async Task<Nudge> SettledAsync(Guid id)
    {
        await Eventually.TrueAsync(async () => (await NudgeAsync(id)).State != NudgeState.Planned, TimeSpan.FromSeconds(60), $"nudge {id} to be placed");
        return await NudgeAsync(id);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Graph.DisposeAsync();
    }

    public void Dispose() => _data.Dispose();
}

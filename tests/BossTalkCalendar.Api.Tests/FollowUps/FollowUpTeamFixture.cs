using Microsoft.Extensions.Time.Testing;

namespace BossTalkCalendar.Api.Tests.FollowUps;

/// <summary>
/// Shares one <see cref="BossTalkCalendarApplication"/> per test class: the service over a simulator holding
/// <see cref="FollowUpTeam"/>, with the team enrolled. Tests use their own users, so they stay independent.
/// </summary>
public sealed class FollowUpTeamFixture : IAsyncLifetime
{
    public BossTalkCalendarApplication App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await BossTalkCalendarApplication.StartAsync(FollowUpTeam.Build(), new FakeTimeProvider(FollowUpTeam.Now));
        await App.ApproveTeamAsync(FollowUpTeam.TenantId, FollowUpTeam.Manager, FollowUpTeam.Enrolled);
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Rollout;

namespace BossTalkCalendar.Api.Tests.Rollout;

/// <summary>The one rule for team figures, over every team of up to 30 members.</summary>
public sealed class GroupSizeTests
{
    private static readonly DateOnly Day = new(2026, 3, 4);

    [Fact]
    public void Reveal_ShowsNoFigureAndNoDifferenceOfShownFiguresBelowFive_ForEveryTeamUpToThirty()
    {
        for (var enrolled = 0; enrolled <= 30; enrolled++)
        {
            for (var optedOut = 0; optedOut <= enrolled; optedOut++)
            {
                for (var active = 0; active <= enrolled - optedOut; active++)
                {
                    var figures = GroupSize.Reveal(Snapshot(enrolled, optedOut, active));
                    TeamFiguresAssert.NothingBelowFive(figures, $"enrolled {enrolled}, opted out {optedOut}, active {active}");
                    Assert.Equal(figures.Enrolled.Count, figures.Enrolled.FewerThanFive ? null : enrolled);
                    Assert.Equal(figures.OptedOut.Count, figures.OptedOut.FewerThanFive ? null : optedOut);
                    Assert.Equal(figures.ActiveThisMonth.Count, figures.ActiveThisMonth.FewerThanFive ? null : active);
                }
            }
        }
    }

    [Theory]
    [InlineData(4, 0, 0, false, false, false)]
    [InlineData(5, 0, 0, true, false, false)]
    [InlineData(6, 1, 0, true, false, false)]
    [InlineData(9, 5, 0, true, false, false)]
    [InlineData(10, 5, 0, true, true, false)]
    [InlineData(10, 0, 5, true, false, true)]
    [InlineData(10, 1, 5, true, false, true)]
    [InlineData(10, 0, 6, true, false, false)]
    [InlineData(15, 5, 5, true, true, true)]
    [InlineData(15, 5, 6, true, true, false)]
    public void Reveal_ShowsExactlyTheSafeFigures(int enrolled, int optedOut, int active, bool showsEnrolled, bool showsOptedOut, bool showsActive)
    {
        var figures = GroupSize.Reveal(Snapshot(enrolled, optedOut, active));

        Assert.Equal(showsEnrolled, !figures.Enrolled.FewerThanFive);
        Assert.Equal(showsOptedOut, !figures.OptedOut.FewerThanFive);
        Assert.Equal(showsActive, !figures.ActiveThisMonth.FewerThanFive);
        Assert.Equal(Day, figures.AsOf);
    }

    private static TeamSnapshot Snapshot(int enrolled, int optedOut, int active) => new()
    {
        TenantId = "t",
        ManagerId = "m",
        Day = Day,
        Enrolled = enrolled,
        OptedOut = optedOut,
        ActiveThisMonth = active,
    };
}

/// <summary>What no team figure may ever reveal, for figures as returned by the rule or by the API.</summary>
internal static class TeamFiguresAssert
{
    public static void NothingBelowFive(TeamFigures figures, string team) =>
        NothingBelowFive(figures.Enrolled.Count, figures.OptedOut.Count, figures.ActiveThisMonth.Count, team);

    /// <summary>
    /// Every shown figure, and every difference of shown figures (participating, not active, participating but not
    /// active), is at least five; opted out and active never appear without enrolled.
    /// </summary>
    public static void NothingBelowFive(int? enrolled, int? optedOut, int? active, string team)
    {
        var shown = new[] { enrolled, optedOut, active }.Where(f => f is not null).Select(f => f!.Value).ToList();
        Assert.True(shown.All(f => f >= GroupSize.Minimum), $"A figure below five is shown ({team}).");
        if (enrolled is null)
        {
            Assert.True(optedOut is null && active is null, $"Opted out or active without enrolled ({team}).");
            return;
        }

        var derived = new List<int>();
        if (optedOut is { } o)
        {
            derived.Add(enrolled.Value - o);
        }

        if (active is { } a)
        {
            derived.Add(enrolled.Value - a);
            if (optedOut is { } o2)
            {
                derived.Add(enrolled.Value - o2 - a);
            }
        }

        Assert.True(derived.All(d => d >= GroupSize.Minimum), $"A figure below five can be derived ({team}): {string.Join(", ", derived)}.");
    }
}

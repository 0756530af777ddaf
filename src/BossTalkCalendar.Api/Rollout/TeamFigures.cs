using BossTalkCalendar.Api.Persistence;

namespace BossTalkCalendar.Api.Rollout;

/// <summary>One figure of a team: its value, or null with <see cref="FewerThanFive"/> set when showing it could point at someone.</summary>
/// <param name="Count">The value; null when withheld.</param>
/// <param name="FewerThanFive">
/// True when the figure is withheld: it, or what it would reveal when set against the team's other figures, concerns
/// fewer than <see cref="GroupSize.Minimum"/> people.
/// </param>
public sealed record TeamFigure(int? Count, bool FewerThanFive)
{
    public static TeamFigure Shown(int count) => new(count, false);

    public static TeamFigure Withheld { get; } = new(null, true);
}

/// <summary>What a manager or an administrator may see of a team's counts on one day.</summary>
/// <param name="Enrolled">Members enrolled, including those who opted out (so it reveals nothing about opting out).</param>
/// <param name="OptedOut">Members who opted out.</param>
/// <param name="ActiveThisMonth">Participating members with a reflection placed this month, up to the start of <paramref name="AsOf"/>.</param>
/// <param name="AsOf">The UTC day the figures belong to.</param>
public sealed record TeamFigures(TeamFigure Enrolled, TeamFigure OptedOut, TeamFigure ActiveThisMonth, DateOnly AsOf);

/// <summary>The minimum group size: the one place that decides which of a team's figures may be shown.</summary>
public static class GroupSize
{
    /// <summary>No figure, shown or derivable from the shown ones, is ever below this (zero included).</summary>
    public const int Minimum = 5;

    /// <summary>
    /// Decides which figures of <paramref name="snapshot"/> may be shown. The rule: every figure shown, and every figure
    /// that subtraction between shown figures yields (participating = enrolled − opted out, not active = enrolled −
    /// active, participating but not active = enrolled − opted out − active), is at least <see cref="Minimum"/>.
    /// Enrolled counts opted-out members too, so hiding opted out hides it for good. Opted out and active appear only
    /// once enrolled is shown. A figure that fails is withheld, never rounded or blurred.
    /// </summary>
    public static TeamFigures Reveal(TeamSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var enrolled = snapshot.Enrolled;
        var optedOut = snapshot.OptedOut;
        var active = snapshot.ActiveThisMonth;
        var participating = enrolled - optedOut;

        var showEnrolled = enrolled >= Minimum;
        var showOptedOut = showEnrolled && optedOut >= Minimum && participating >= Minimum;
        var showActive = showEnrolled
            && active >= Minimum
            && enrolled - active >= Minimum
            && (!showOptedOut || participating - active >= Minimum);

        return new TeamFigures(
            showEnrolled ? TeamFigure.Shown(enrolled) : TeamFigure.Withheld,
            showOptedOut ? TeamFigure.Shown(optedOut) : TeamFigure.Withheld,
            showActive ? TeamFigure.Shown(active) : TeamFigure.Withheld,
            snapshot.Day);
    }
}

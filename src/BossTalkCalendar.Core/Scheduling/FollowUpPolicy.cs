namespace BossTalkCalendar.Core.Scheduling;

/// <summary>How the user wants to follow up after a one-on-one.</summary>
public enum FollowUpTone
{
    /// <summary>A light, brief word (short slot).</summary>
    Casual,

    /// <summary>A short prepared conversation (longer slot).</summary>
    Formal,

    /// <summary>No follow-up: recorded, nothing placed.</summary>
    Skip,
}

/// <summary>Where a follow-up may go (README "Scheduling rules", docs/architecture.md).</summary>
public sealed record FollowUpPolicy
{
    /// <summary>The product defaults (README "Scheduling rules").</summary>
    public static FollowUpPolicy Default { get; } = new();

    /// <summary>Slot length for <see cref="FollowUpTone.Casual"/> (default 10 min).</summary>
    public TimeSpan CasualDuration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Slot length for <see cref="FollowUpTone.Formal"/> (default 20 min).</summary>
    public TimeSpan FormalDuration { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>Least time between the meeting's end and the follow-up (default 18 h).</summary>
    public TimeSpan MinimumDelay { get; init; } = TimeSpan.FromHours(18);

    /// <summary>How many of the manager's working days the search covers (default 5).</summary>
    public int HorizonWorkingDays { get; init; } = 5;

    /// <summary>Free time required before and after the slot on the manager's calendar (default 15 min).</summary>
    public TimeSpan ManagerBuffer { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Keeps the slot out of the manager's first and last minutes of the working day (default 30 min).</summary>
    public TimeSpan ManagerEdgeMargin { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Start of the manager's lunch window, manager's local time (default 12:00).</summary>
    public TimeOnly LunchStart { get; init; } = new(12, 0);

    /// <summary>End of the manager's lunch window (default 13:00); equal to <see cref="LunchStart"/> means none.</summary>
    public TimeOnly LunchEnd { get; init; } = new(13, 0);

    /// <summary>Starts fall on multiples of this in the manager's local time (default 5 min); must divide an hour.</summary>
    public TimeSpan Alignment { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The most free time around a slot that still improves its score (default 60 min); see <see cref="FollowUpSlotFinder"/>.</summary>
    public TimeSpan FreeTimeScoreCap { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary>The slot length for a tone.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="FollowUpTone.Skip"/> places nothing.</exception>
    public TimeSpan DurationFor(FollowUpTone tone) => tone switch
    {
        FollowUpTone.Casual => CasualDuration,
        FollowUpTone.Formal => FormalDuration,
        _ => throw new ArgumentOutOfRangeException(nameof(tone), tone, "Skip places no follow-up."),
    };

    /// <summary>Human-readable problems with the values; empty when the policy is usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var checks = new PolicyChecks(errors);
        Check(ref checks);
        return errors;
    }

    internal void EnsureValid()
    {
        var checks = new PolicyChecks(null);
        Check(ref checks);
        if (checks.First is { } error)
        {
            throw new ArgumentException($"Invalid follow-up policy: {error}", "policy");
        }
    }

    private void Check(ref PolicyChecks checks)
    {
        checks.Range(CasualDuration, TimeSpan.FromMinutes(1), FollowUpSlotFinder.MaximumDuration, nameof(CasualDuration));
        checks.Range(FormalDuration, TimeSpan.FromMinutes(1), FollowUpSlotFinder.MaximumDuration, nameof(FormalDuration));
        checks.Range(MinimumDelay, TimeSpan.Zero, TimeSpan.FromDays(7), nameof(MinimumDelay));
        if (HorizonWorkingDays is < 1 or > 30)
        {
            checks.Require(false, $"{nameof(HorizonWorkingDays)} must be between 1 and 30 (was {HorizonWorkingDays}).");
        }
        checks.Range(ManagerBuffer, TimeSpan.Zero, TimeSpan.FromHours(4), nameof(ManagerBuffer));
        checks.Range(ManagerEdgeMargin, TimeSpan.Zero, TimeSpan.FromHours(4), nameof(ManagerEdgeMargin));
        checks.Lunch(LunchStart, LunchEnd);
        checks.Alignment(Alignment, nameof(Alignment));
        checks.Range(FreeTimeScoreCap, TimeSpan.Zero, TimeSpan.FromHours(8), nameof(FreeTimeScoreCap));
    }
}

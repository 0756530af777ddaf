namespace BossTalkCalendar.Core.Scheduling;

/// <summary>Where a reflection block may go (README "Scheduling rules", docs/architecture.md).</summary>
public sealed record ReflectionPolicy
{
    /// <summary>The product defaults (README "Scheduling rules").</summary>
    public static ReflectionPolicy Default { get; } = new();

    /// <summary>Time between the meeting's end and the earliest start (default 90 min).</summary>
    public TimeSpan CoolDown { get; init; } = TimeSpan.FromMinutes(90);

    /// <summary>Length of the block (default 30 min, at most 4 h).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Free time required before and after the block, measured against blocking busy items only (default 10 min).</summary>
    public TimeSpan Buffer { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Local start of the lunch window in the working-hours zone (default 12:00).</summary>
    public TimeOnly LunchStart { get; init; } = new(12, 0);

    /// <summary>Local end of the lunch window (default 13:00); equal to <see cref="LunchStart"/> means no lunch window.</summary>
    public TimeOnly LunchEnd { get; init; } = new(13, 0);

    /// <summary>Starts fall on local multiples of this (default 5 min: :00, :05, …); must divide an hour.</summary>
    public TimeSpan Alignment { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Human-readable problems with the values; empty when the policy is usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var checks = new PolicyChecks(errors);
        Check(ref checks);
        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> with the first problem; does not allocate when valid.</summary>
    internal void EnsureValid()
    {
        var checks = new PolicyChecks(null);
        Check(ref checks);
        if (checks.First is { } error)
        {
            throw new ArgumentException($"Invalid reflection policy: {error}", "policy");
        }
    }

    private void Check(ref PolicyChecks checks)
    {
        checks.Range(CoolDown, TimeSpan.Zero, TimeSpan.FromDays(2), nameof(CoolDown));
        checks.Range(Duration, TimeSpan.FromMinutes(1), TimeSpan.FromHours(4), nameof(Duration));
        checks.Range(Buffer, TimeSpan.Zero, TimeSpan.FromHours(4), nameof(Buffer));
        checks.Lunch(LunchStart, LunchEnd);
        checks.Alignment(Alignment, nameof(Alignment));
    }
}

namespace BossTalkCalendar.Core.Scheduling;

/// <summary>
/// Where a prep block may go: a short private block before the next one-on-one with the same manager, placed
/// after a one-on-one that went badly (see <see cref="PrepSlotFinder"/>).
/// </summary>
public sealed record PrepPolicy
{
    /// <summary>The product defaults.</summary>
    public static PrepPolicy Default { get; } = new();

    /// <summary>Length of the block (default 15 min; valid 5 min to 1 h).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The block must end at least this long before the next meeting starts (default 30 min; valid 0 to 4 h), so
    /// there is time to get to the meeting and the block never runs into it.
    /// </summary>
    public TimeSpan MinLead { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Free time required before and after the block, measured against blocking busy items only (default 10 min;
    /// valid 0 to 4 h), as for <see cref="ReflectionPolicy.Buffer"/>.
    /// </summary>
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
            throw new ArgumentException($"Invalid prep policy: {error}", "policy");
        }
    }

    private void Check(ref PolicyChecks checks)
    {
        checks.Range(Duration, TimeSpan.FromMinutes(5), TimeSpan.FromHours(1), nameof(Duration));
        checks.Range(MinLead, TimeSpan.Zero, TimeSpan.FromHours(4), nameof(MinLead));
        checks.Range(Buffer, TimeSpan.Zero, TimeSpan.FromHours(4), nameof(Buffer));
        checks.Lunch(LunchStart, LunchEnd);
        checks.Alignment(Alignment, nameof(Alignment));
    }
}

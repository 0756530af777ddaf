namespace BossTalkCalendar.Api.Persistence;

/// <summary>
/// One team's counts as of one UTC day, taken once and then read all day, so that the figures a manager or an
/// administrator sees change at most once a day and never right after a one-on-one. Numbers only, never anyone's id.
/// </summary>
public sealed class TeamSnapshot
{
    public required string TenantId { get; set; }

    public required string ManagerId { get; set; }

    /// <summary>The UTC day the figures belong to.</summary>
    public DateOnly Day { get; set; }

    /// <summary>Members enrolled, including those who opted out.</summary>
    public int Enrolled { get; set; }

    public int OptedOut { get; set; }

    /// <summary>Participating members with a reflection placed from the start of the month to the start of <see cref="Day"/>.</summary>
    public int ActiveThisMonth { get; set; }

    /// <summary>When the snapshot was taken (normally by the first team refresh of the day).</summary>
    public DateTimeOffset TakenAt { get; set; }
}

namespace BossTalkCalendar.Api.Persistence;

/// <summary>How the user said a one-on-one went.</summary>
public enum TalkOutcome
{
    Fine,
    Mixed,
    Rough,
}

/// <summary>
/// The user's private answer to "how did it go?" for one meeting occurrence: ids, an instant and one word, nothing
/// they wrote. It is kept only while it matters: erased once the prep block it asked for is placed, or when the next
/// one-on-one it could prepare for is over (see <c>Outcomes/MeetingOutcomes</c>).
/// </summary>
public sealed class MeetingOutcome
{
    public required string TenantId { get; set; }

    public required string UserId { get; set; }

    public required string MeetingICalUId { get; set; }

    public DateTimeOffset OccurrenceStart { get; set; }

    public TalkOutcome Outcome { get; set; }

    public DateTimeOffset RecordedAt { get; set; }
}

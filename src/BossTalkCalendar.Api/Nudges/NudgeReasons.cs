namespace BossTalkCalendar.Api.Nudges;

/// <summary>
/// The short codes stored in <c>Nudge.Reason</c> and <c>EnrolledUser.LastScanFailure</c>. They are ours and
/// never carry anything read from a calendar.
/// </summary>
public static class NudgeReasons
{
    public const string MeetingGone = "meeting-gone";
    public const string MeetingCancelled = "meeting-cancelled";
    public const string UserNotActive = "user-not-active";
    public const string NoManager = "no-manager";
    public const string RetriesExhausted = "graph-retries-exhausted";

    /// <summary>Our own database failed on every attempt (see <c>Jobs/PlaceNudgesJob.cs</c>).</summary>
    public const string DatabaseRetriesExhausted = "database-retries-exhausted";
    public const string OptedOut = "opted-out";
    public const string Skipped = "skipped";

    /// <summary>The user said the meeting went fine.</summary>
    public const string WentFine = "went-fine";

    /// <summary>Prep: no one-on-one with the same manager in the coming days to prepare for.</summary>
    public const string NoNextOneOnOne = "no-next-one-on-one";

    /// <summary>Prep: the next one-on-one it was placed before was cancelled or deleted; the block was withdrawn.</summary>
    public const string NextMeetingGone = "next-meeting-gone";

    /// <summary>The user deleted the event we placed (found by reconciliation).</summary>
    public const string EventDeleted = "event-deleted";

    /// <summary>Graph refused our transactionId as used for another event, and no event of ours was found for the nudge.</summary>
    public const string DuplicateTransaction = "graph-duplicate-transaction";

    /// <summary>The meeting no longer counts (for example the user declined it after the scan).</summary>
    public static string NotOneOnOne(Enum reason) => "not-one-on-one:" + Kebab(reason);

    /// <summary>The slot finder found nothing acceptable.</summary>
    public static string NoSlot(Enum reason) => "no-slot:" + Kebab(reason);

    /// <summary>A permanent Graph failure such as <c>graph-forbidden</c>.</summary>
    public static string Graph(Enum failure) => "graph-" + Kebab(failure);

    private static string Kebab(Enum value)
    {
        var name = value.ToString();
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}

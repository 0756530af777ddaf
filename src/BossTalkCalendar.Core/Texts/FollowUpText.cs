using BossTalkCalendar.Core.Scheduling;

namespace BossTalkCalendar.Core.Texts;

/// <summary>Texts for the optional follow-up: the user's private hold and the neutral invitation.</summary>
public static class FollowUpText
{
    /// <summary>The subject of the invitation the manager may receive.</summary>
    public const string InvitationSubject = "Quick catch-up";

    /// <summary>
    /// A private hold on the user's own calendar with talking points for the tone. Casual: a light, brief word.
    /// Formal: a prepared apology plus what was learned, with the caution that a formal follow-up can make a small
    /// event bigger.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="FollowUpTone.Skip"/> places nothing, so it has no text.</exception>
    /// <exception cref="ArgumentException">The link is not an absolute http(s) address.</exception>
    public static EventText PrivateHold(FollowUpTone tone, Uri taskPaneLink)
    {
        var link = Html.Link(taskPaneLink, "Open BossTalk for this meeting");
        return tone switch
        {
            FollowUpTone.Casual => new EventText(
                "Follow-up: a quick word (private)",
                string.Concat(
                    Html.Paragraph("A moment to have a brief, friendly word with your manager, if it still feels right."),
                    Html.List(
                        "Keep it light and short: a sentence or two is plenty.",
                        "Something like: \"About earlier, I wasn't as ready as I'd have liked. Happy to pick it up again when it suits you.\"",
                        "Then move on to whatever is next; no need to go over it all again."),
                    Html.Paragraph("If it no longer seems needed, just delete this hold."),
                    link)),
            FollowUpTone.Formal => new EventText(
                "Follow-up: prepare your points (private)",
                string.Concat(
                    Html.Paragraph("Time set aside for a short conversation with your manager. Prepare a few points first:"),
                    Html.List(
                        "A plain apology for how it went, without long explanations.",
                        "What you have understood since, and what you will do differently.",
                        "If useful, a concrete next step, such as sending what was missing."),
                    Html.Paragraph("Keep it brief. A formal follow-up can make a small moment look bigger than it was, so only go ahead if it still feels worth it."),
                    Html.Paragraph("If you change your mind, just delete this hold."),
                    link)),
            _ => throw new ArgumentOutOfRangeException(nameof(tone), tone, "Skip places no follow-up."),
        };
    }

    /// <summary>
    /// The invitation the manager receives, only when the user explicitly asks for one: short and neutral, with no
    /// reflection content and nothing about how the earlier meeting went.
    /// </summary>
    public static EventText Invitation() => new(
        InvitationSubject,
        Html.Paragraph("A few minutes to catch up, if this time works for you."));
}

namespace BossTalkCalendar.Core.Texts;

/// <summary>The private prep block's text, placed before the next one-on-one with the same manager, in our own words.</summary>
public static class PrepText
{
    /// <summary>The subject every prep block carries.</summary>
    public const string Subject = "Prepare for your one-on-one (private)";

    /// <summary>
    /// Subject and body of a prep block: one sentence on what the block is for, four preparation prompts, a link to
    /// the user's own reflection block ("Your notes from last time", neutral: it may be empty) when there is one, and
    /// a link to the task pane. Carries nothing from any meeting.
    /// </summary>
    /// <param name="reflectionLink">The web link of the user's own reflection event, or null when there is none.</param>
    /// <param name="taskPaneLink">The task pane page.</param>
    /// <exception cref="ArgumentException">A link is not an absolute http(s) address.</exception>
    public static EventText Create(Uri? reflectionLink, Uri taskPaneLink)
    {
        var body = string.Concat(
            Html.Paragraph("A few minutes to get ready for your next one-on-one, so you can walk in calm and clear."),
            Html.List(
                "What is the one thing you most want to get across?",
                "What is one thing you'd do differently from last time?",
                "What might you be asked, and is there anything you'd want ready to hand over?",
                "What would you like from your manager: a decision, feedback, help?"),
            reflectionLink is null ? string.Empty : Html.Link(reflectionLink, "Your notes from last time"),
            Html.Link(taskPaneLink, "Open BossTalk"));
        return new EventText(Subject, body);
    }
}

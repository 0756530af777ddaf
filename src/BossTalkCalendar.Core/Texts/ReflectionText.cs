namespace BossTalkCalendar.Core.Texts;

/// <summary>The private reflection block's text (PRODUCT.md step 4), in the product's own words.</summary>
public static class ReflectionText
{
    /// <summary>The subject every reflection block carries.</summary>
    public const string Subject = "Quiet time to think (private)";

    /// <summary>
    /// Subject and body of a reflection block: a short, calm note, four questions, a reminder to keep it
    /// to yourself, and a link to the task pane page for the meeting. Carries nothing from the meeting itself.
    /// </summary>
    /// <exception cref="ArgumentException">The link is not an absolute http(s) address.</exception>
    public static EventText Create(Uri taskPaneLink)
    {
        var body = string.Concat(
            Html.Paragraph("Meetings don't always go the way we hoped, and that's normal. This is a few quiet minutes just for you, now that some time has passed."),
            Html.Paragraph("If it helps, think it through:"),
            Html.List(
                "At what point did the conversation start to go off track?",
                "Was there something you said that set off the reaction?",
                "Did you misread a question, or fill a gap by improvising?",
                "Next time, what would you prepare or say differently?"),
            Html.Paragraph("Keep this to yourself: talking it over with colleagues tends to travel further than you mean it to."),
            Html.Paragraph("A follow-up with your manager is optional and can wait. Often the best next step is simply to move on."),
            Html.Link(taskPaneLink, "Open BossTalk for this meeting"));
        return new EventText(Subject, body);
    }
}

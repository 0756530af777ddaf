namespace BossTalkCalendar.Core.Texts;

/// <summary>The private reflection block's text (PRODUCT.md step 4), in the product's own words.</summary>
public static class ReflectionText
{
    /// <summary>The subject every reflection block carries.</summary>
    public const string Subject = "Quiet time to think (private)";

    /// <summary>
    /// Subject and body of a reflection block: a short check-in that does not presume how the meeting went, the four
    /// questions for when it did not go well, a reminder to keep it to yourself, and two links to the task pane page
    /// for the meeting: one to say it went fine (the pane then removes the block), one to say it was rough. The links
    /// only open the page; the page acts after sign-in. Carries nothing from the meeting itself.
    /// </summary>
    /// <exception cref="ArgumentException">A link is not an absolute http(s) address.</exception>
    public static EventText Create(Uri wentFineLink, Uri wasRoughLink)
    {
        var body = string.Concat(
            Html.Paragraph("How did your one-on-one go? These few minutes are just for you, whichever way it went."),
            Html.Paragraph("If something didn't land, it can help to think it through:"),
            Html.List(
                "At what point did the conversation start to go off track?",
                "Was there something you said that set off the reaction?",
                "Did you misread a question, or fill a gap by improvising?",
                "Next time, what would you prepare or say differently?"),
            Html.Paragraph("Keep this to yourself: talking it over with colleagues tends to travel further than you mean it to."),
            Html.Paragraph("A follow-up with your manager is optional and can wait. Often the best next step is simply to move on."),
            Html.Link(wentFineLink, "It went fine — remove this"),
            Html.Link(wasRoughLink, "It was rough — open BossTalk"));
        return new EventText(Subject, body);
    }
}

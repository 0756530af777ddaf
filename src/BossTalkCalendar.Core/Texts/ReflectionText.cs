namespace BossTalkCalendar.Core.Texts;

/// <summary>The private reflection block's text (docs/architecture.md, "How did it go?"), in the product's own words.</summary>
public static class ReflectionText
{
    /// <summary>The English subject of a reflection block (other languages: <see cref="SubjectIn"/>).</summary>
    public const string Subject = "Quiet time to think (private)";

    /// <summary>The subject of a reflection block in a catalog's language.</summary>
    public static string SubjectIn(TextCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog["reflection.subject"];
    }

    /// <summary>The English reflection text.</summary>
    /// <exception cref="ArgumentException">A link is not an absolute http(s) address.</exception>
    public static EventText Create(Uri wentFineLink, Uri wasRoughLink) => Create(Catalogs.English, wentFineLink, wasRoughLink);

    /// <summary>
    /// Subject and body of a reflection block: a short check-in that does not presume how the meeting went, a line of
    /// perspective for when it was hard (one conversation rarely defines a career; calm is noticed), the four
    /// questions for when it did not go well, a reminder to keep it to yourself, and two links to the task pane page
    /// for the meeting: one to say it went fine (the pane then removes the block), one to say it was rough. The links
    /// only open the page; the page acts after sign-in. Carries nothing from the meeting itself.
    /// </summary>
    /// <exception cref="ArgumentException">A link is not an absolute http(s) address.</exception>
    public static EventText Create(TextCatalog catalog, Uri wentFineLink, Uri wasRoughLink)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var body = string.Concat(
            Html.Paragraph(catalog["reflection.checkIn"]),
            Html.Paragraph(catalog["reflection.perspective"]),
            Html.Paragraph(catalog["reflection.ifRough"]),
            Html.List(
                catalog["reflection.question1"],
                catalog["reflection.question2"],
                catalog["reflection.question3"],
                catalog["reflection.question4"]),
            Html.Paragraph(catalog["reflection.keepPrivate"]),
            Html.Paragraph(catalog["reflection.followUpOptional"]),
            Html.Link(wentFineLink, catalog["reflection.linkFine"]),
            Html.Link(wasRoughLink, catalog["reflection.linkRough"]));
        return new EventText(SubjectIn(catalog), body);
    }
}

namespace BossTalkCalendar.Core.Texts;

/// <summary>The private prep block's text, placed before the next one-on-one with the same manager, in our own words.</summary>
public static class PrepText
{
    /// <summary>The English subject of a prep block (other languages: <see cref="SubjectIn"/>).</summary>
    public const string Subject = "Prepare for your one-on-one (private)";

    /// <summary>The subject of a prep block in a catalog's language.</summary>
    public static string SubjectIn(TextCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog["prep.subject"];
    }

    /// <summary>The English prep text, without the next one-on-one's time.</summary>
    /// <exception cref="ArgumentException">A link is not an absolute http(s) address.</exception>
    public static EventText Create(Uri? reflectionLink, Uri taskPaneLink) => Create(Catalogs.English, reflectionLink, taskPaneLink, nextOneOnOne: null, TimeZoneInfo.Utc);

    /// <summary>
    /// Subject and body of a prep block: one sentence on what the block is for, when the next one-on-one is (in the
    /// person's own zone, written the way their locale writes dates), four preparation prompts, a link to the user's
    /// own reflection block ("Your notes from last time", neutral: it may be empty) when there is one, and a link to
    /// the task pane. Carries nothing from any meeting but the next one-on-one's start, on the user's own calendar.
    /// </summary>
    /// <param name="catalog">The language to write in (<see cref="Catalogs.For"/> the mailbox's locale).</param>
    /// <param name="reflectionLink">The web link of the user's own reflection event, or null when there is none.</param>
    /// <param name="taskPaneLink">The task pane page.</param>
    /// <param name="nextOneOnOne">The start of the one-on-one the block prepares for; null leaves the line out.</param>
    /// <param name="zone">The person's own zone, in which that start is written.</param>
    /// <exception cref="ArgumentException">A link is not an absolute http(s) address.</exception>
    public static EventText Create(TextCatalog catalog, Uri? reflectionLink, Uri taskPaneLink, DateTimeOffset? nextOneOnOne, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(zone);
        var body = string.Concat(
            Html.Paragraph(catalog["prep.intro"]),
            nextOneOnOne is { } start ? Html.Paragraph(catalog.Format("prep.when", ("when", catalog.FormatDateTime(start, zone)))) : string.Empty,
            Html.List(
                catalog["prep.question1"],
                catalog["prep.question2"],
                catalog["prep.question3"],
                catalog["prep.question4"]),
            reflectionLink is null ? string.Empty : Html.Link(reflectionLink, catalog["prep.notesLink"]),
            Html.Link(taskPaneLink, catalog["prep.paneLink"]));
        return new EventText(SubjectIn(catalog), body);
    }
}

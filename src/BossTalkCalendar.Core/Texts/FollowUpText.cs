using BossTalkCalendar.Core.Scheduling;

namespace BossTalkCalendar.Core.Texts;

/// <summary>Texts for the optional follow-up: the user's private hold and the neutral invitation.</summary>
public static class FollowUpText
{
    /// <summary>The English subject of a casual invitation the manager may receive.</summary>
    public const string InvitationSubject = "Quick catch-up";

    /// <summary>The English private hold.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="FollowUpTone.Skip"/> places nothing, so it has no text.</exception>
    /// <exception cref="ArgumentException">The link is not an absolute http(s) address.</exception>
    public static EventText PrivateHold(FollowUpTone tone, Uri taskPaneLink) => PrivateHold(Catalogs.English, tone, taskPaneLink);

    /// <summary>
    /// A private hold on the user's own calendar with talking points for the tone. Casual: a light, brief word.
    /// Formal: a prepared apology plus what was learned, with the caution that a formal follow-up can make a small
    /// event bigger. Where the language has a familiar and a polite form of address (du/Sie, tu/vous, tú/usted,
    /// plain/です・ます), the example words for the manager use the one that fits the tone.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="FollowUpTone.Skip"/> places nothing, so it has no text.</exception>
    /// <exception cref="ArgumentException">The link is not an absolute http(s) address.</exception>
    public static EventText PrivateHold(TextCatalog catalog, FollowUpTone tone, Uri taskPaneLink)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var link = Html.Link(taskPaneLink, catalog["followUp.link"]);
        return tone switch
        {
            FollowUpTone.Casual => new EventText(
                catalog["followUp.casual.subject"],
                string.Concat(
                    Html.Paragraph(catalog["followUp.casual.intro"]),
                    Html.List(catalog["followUp.casual.point1"], catalog["followUp.casual.point2"], catalog["followUp.casual.point3"]),
                    Html.Paragraph(catalog["followUp.casual.delete"]),
                    link)),
            FollowUpTone.Formal => new EventText(
                catalog["followUp.formal.subject"],
                string.Concat(
                    Html.Paragraph(catalog["followUp.formal.intro"]),
                    Html.List(catalog["followUp.formal.point1"], catalog["followUp.formal.point2"], catalog["followUp.formal.point3"]),
                    Html.Paragraph(catalog["followUp.formal.caution"]),
                    Html.Paragraph(catalog["followUp.formal.delete"]),
                    link)),
            _ => throw new ArgumentOutOfRangeException(nameof(tone), tone, "Skip places no follow-up."),
        };
    }

    /// <summary>The English casual invitation.</summary>
    public static EventText Invitation() => Invitation(Catalogs.English, FollowUpTone.Casual);

    /// <summary>
    /// The invitation the manager receives, only when the user explicitly asks for one: short and neutral, with no
    /// reflection content and nothing about how the earlier meeting went. Written in the manager's language; the
    /// formal tone uses the polite form of address where the language has one.
    /// </summary>
    /// <param name="catalog">The manager's language (<see cref="Catalogs.For"/> the manager's mailbox locale).</param>
    /// <param name="tone">Casual or formal; skip has no invitation.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="FollowUpTone.Skip"/> places nothing, so it has no text.</exception>
    public static EventText Invitation(TextCatalog catalog, FollowUpTone tone)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var register = tone switch
        {
            FollowUpTone.Casual => "casual",
            FollowUpTone.Formal => "formal",
            _ => throw new ArgumentOutOfRangeException(nameof(tone), tone, "Skip places no follow-up."),
        };
        return new EventText(catalog[$"invitation.{register}.subject"], Html.Paragraph(catalog[$"invitation.{register}.body"]));
    }
}

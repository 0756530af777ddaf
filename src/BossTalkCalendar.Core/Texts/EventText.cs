namespace BossTalkCalendar.Core.Texts;

/// <summary>Subject and HTML body of an event we write. Never contains anything from the source meeting.</summary>
/// <param name="Subject">Plain-text subject.</param>
/// <param name="BodyHtml">HTML body; every inserted value is encoded.</param>
public sealed record EventText(string Subject, string BodyHtml);

/// <summary>Small HTML helpers shared by the texts.</summary>
internal static class Html
{
    public static string Paragraph(string text) => "<p>" + System.Net.WebUtility.HtmlEncode(text) + "</p>";

    public static string List(params string[] items)
    {
        var builder = new System.Text.StringBuilder("<ul>");
        foreach (var item in items)
        {
            builder.Append("<li>").Append(System.Net.WebUtility.HtmlEncode(item)).Append("</li>");
        }

        return builder.Append("</ul>").ToString();
    }

    public static string Link(Uri target, string text) =>
        "<p><a href=\"" + System.Net.WebUtility.HtmlEncode(CheckedLink(target).AbsoluteUri) + "\">"
        + System.Net.WebUtility.HtmlEncode(text) + "</a></p>";

    // A body link must be a plain web address: anything else (javascript:, file:, relative) is refused.
    public static Uri CheckedLink(Uri target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!target.IsAbsoluteUri || (target.Scheme != Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("The task pane link must be an absolute http(s) address.", nameof(target));
        }

        return target;
    }
}

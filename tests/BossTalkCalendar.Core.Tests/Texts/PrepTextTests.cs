using BossTalkCalendar.Core.Texts;

namespace BossTalkCalendar.Core.Tests.Texts;

public class PrepTextTests
{
    private static readonly Uri Pane = new("https://bosstalk.example/taskpane/meeting?id=a1&kind=prep");
    private static readonly Uri Reflection = new("https://outlook.office365.com/owa/?itemid=AAMk%2Bx&exvsurl=1&path=/calendar/item");

    [Fact]
    public void Create_HasThePrivateSubject()
    {
        var text = PrepText.Create(Reflection, Pane);
        Assert.Equal("Prepare for your one-on-one (private)", text.Subject);
        Assert.Equal(PrepText.Subject, text.Subject);
    }

    [Fact]
    public void Create_GivesOneIntroAndFourPrompts()
    {
        var body = PrepText.Create(null, Pane).BodyHtml;
        Assert.StartsWith("<p>A few minutes to get ready", body, StringComparison.Ordinal);
        Assert.Equal(4, CountOf(body, "<li>"));
        Assert.Contains("get across", body, StringComparison.Ordinal);
        Assert.Contains("differently from last time", body, StringComparison.Ordinal);
        Assert.Contains("asked", body, StringComparison.Ordinal);
        Assert.Contains("from your manager", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_LinksBothPages_Encoded()
    {
        var body = PrepText.Create(Reflection, Pane).BodyHtml;
        Assert.Contains("<a href=\"https://bosstalk.example/taskpane/meeting?id=a1&amp;kind=prep\">Open BossTalk</a>", body, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://outlook.office365.com/owa/?itemid=AAMk%2Bx&amp;exvsurl=1&amp;path=/calendar/item\">Your notes from last time</a>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("&kind", body, StringComparison.Ordinal);
        Assert.DoesNotContain("&exvsurl", body, StringComparison.Ordinal);
        Assert.True(body.IndexOf("Your notes", StringComparison.Ordinal) < body.IndexOf("Open BossTalk", StringComparison.Ordinal));
    }

    [Fact]
    public void Create_LeavesOutTheNotesParagraph_WithoutAReflectionLink()
    {
        var without = PrepText.Create(null, Pane).BodyHtml;
        Assert.DoesNotContain("Your notes", without, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(without, "<a href="));
        Assert.Equal(2, CountOf(PrepText.Create(Reflection, Pane).BodyHtml, "<a href="));
    }

    [Fact]
    public void Create_EncodesQuotesInLinks()
    {
        var body = PrepText.Create(new Uri("https://outlook.example/x?y=\"><script>"), new Uri("https://bosstalk.example/p?x=\"><b>")).BodyHtml;
        Assert.DoesNotContain("<script>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"><", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("file:///etc/passwd")]
    [InlineData("mailto:mia@contoso.example")]
    public void Create_Throws_WhenEitherLinkIsNotAWebAddress(string link)
    {
        Assert.Throws<ArgumentException>(() => PrepText.Create(new Uri(link), Pane));
        Assert.Throws<ArgumentException>(() => PrepText.Create(null, new Uri(link)));
    }

    [Fact]
    public void Create_Throws_WhenALinkIsRelativeOrThePaneLinkIsMissing()
    {
        Assert.Throws<ArgumentException>(() => PrepText.Create(new Uri("/calendar/item", UriKind.Relative), Pane));
        Assert.Throws<ArgumentException>(() => PrepText.Create(null, new Uri("/taskpane", UriKind.Relative)));
        Assert.Throws<ArgumentNullException>(() => PrepText.Create(Reflection, null!));
    }

    [Fact]
    public void Create_StaysNeutral_AboutTheNotesAndTheLastMeeting()
    {
        var text = PrepText.Create(Reflection, Pane);
        var all = (text.Subject + " " + text.BodyHtml).ToLowerInvariant();
        foreach (var word in new[] { "rough", "badly", "went wrong", "mistake", "sorry", "apolog", "fail" })
        {
            Assert.DoesNotContain(word, all, StringComparison.Ordinal);
        }
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var index = text.IndexOf(part, StringComparison.Ordinal); index >= 0; index = text.IndexOf(part, index + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}

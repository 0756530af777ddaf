using BossTalkCalendar.Core.Scheduling;
using BossTalkCalendar.Core.Texts;

namespace BossTalkCalendar.Core.Tests.Texts;

public class TextsTests
{
    private static readonly Uri Link = new("https://bosstalk.example/taskpane/meeting?id=a1&kind=reflection");
    private static readonly Uri Rough = new("https://bosstalk.example/taskpane/meeting?id=a1&outcome=rough");

    [Fact]
    public void Create_AsksTheFourReflectionQuestions()
    {
        var text = ReflectionText.Create(Link, Rough);
        Assert.Contains("off track", text.BodyHtml, StringComparison.Ordinal);
        Assert.Contains("set off the reaction", text.BodyHtml, StringComparison.Ordinal);
        Assert.Contains("improvising", text.BodyHtml, StringComparison.Ordinal);
        Assert.Contains("differently", text.BodyHtml, StringComparison.Ordinal);
        Assert.Equal(4, CountOf(text.BodyHtml, "<li>"));
    }

    [Fact]
    public void Create_ChecksInWithoutPresumingHowItWent_AndOffersBothAnswers()
    {
        var body = ReflectionText.Create(Link, Rough).BodyHtml;
        Assert.Contains("How did your one-on-one go?", body, StringComparison.Ordinal);
        Assert.DoesNotContain("don't always go the way", body, StringComparison.Ordinal);
        Assert.Contains("id=a1&amp;kind=reflection\">It went fine — remove this</a>", body, StringComparison.Ordinal);
        Assert.Contains("id=a1&amp;outcome=rough\">It was rough — open BossTalk</a>", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_PutsOneHardConversationInPerspective_RightAfterTheCheckIn()
    {
        var body = ReflectionText.Create(Link, Rough).BodyHtml;
        var checkIn = body.IndexOf("How did your one-on-one go?", StringComparison.Ordinal);
        var perspective = body.IndexOf("rarely defines a career", StringComparison.Ordinal);
        Assert.InRange(perspective, checkIn + 1, body.IndexOf("<ul>", StringComparison.Ordinal));
        Assert.Contains("good managers notice and value", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_RemindsToKeepItPrivate_AndThatFollowUpIsOptional()
    {
        var body = ReflectionText.Create(Link, Rough).BodyHtml;
        Assert.Contains("Keep this to yourself", body, StringComparison.Ordinal);
        Assert.Contains("optional and can wait", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_EncodesLink()
    {
        var body = ReflectionText.Create(Link, Rough).BodyHtml;
        Assert.Contains("href=\"https://bosstalk.example/taskpane/meeting?id=a1&amp;kind=reflection\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("&kind", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_EncodesQuotesInLink()
    {
        var body = ReflectionText.Create(Rough, new Uri("https://bosstalk.example/p?x=\"><script>")).BodyHtml;
        Assert.DoesNotContain("<script>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"><", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("file:///etc/passwd")]
    public void Create_Throws_WhenLinkIsNotWebAddress(string link)
    {
        Assert.Throws<ArgumentException>(() => ReflectionText.Create(new Uri(link), Rough));
    }

    [Fact]
    public void Create_Throws_WhenLinkIsRelative()
    {
        Assert.Throws<ArgumentException>(() => ReflectionText.Create(Link, new Uri("/taskpane", UriKind.Relative)));
    }

    [Fact]
    public void Create_KeepsSubjectShortAndPrivate()
    {
        var subject = ReflectionText.Create(Link, Rough).Subject;
        Assert.True(subject.Length <= 40);
        Assert.Contains("private", subject, StringComparison.Ordinal);
    }

    [Fact]
    public void PrivateHold_IsLightAndBrief_ForCasualTone()
    {
        var text = FollowUpText.PrivateHold(FollowUpTone.Casual, Link);
        Assert.Contains("brief", text.BodyHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("apology", text.BodyHtml, StringComparison.Ordinal);
        Assert.Contains("&amp;kind", text.BodyHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void PrivateHold_PreparesApologyAndLesson_ForFormalTone()
    {
        var body = FollowUpText.PrivateHold(FollowUpTone.Formal, Link).BodyHtml;
        Assert.Contains("apology", body, StringComparison.Ordinal);
        Assert.Contains("do differently", body, StringComparison.Ordinal);
        Assert.Contains("bigger than it was", body, StringComparison.Ordinal);
    }

    [Fact]
    public void PrivateHold_DiffersByTone()
    {
        Assert.NotEqual(FollowUpText.PrivateHold(FollowUpTone.Casual, Link), FollowUpText.PrivateHold(FollowUpTone.Formal, Link));
    }

    [Fact]
    public void PrivateHold_Throws_ForSkip()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FollowUpText.PrivateHold(FollowUpTone.Skip, Link));
    }

    [Fact]
    public void Invitation_IsNeutral_WithoutReflectionContent()
    {
        var text = FollowUpText.Invitation();
        var all = (text.Subject + " " + text.BodyHtml).ToLowerInvariant();
        foreach (var word in new[] { "sorry", "apolog", "reflect", "wrong", "track", "earlier", "private", "bosstalk", "href" })
        {
            Assert.DoesNotContain(word, all, StringComparison.Ordinal);
        }

        Assert.True(text.Subject.Length <= 30);
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

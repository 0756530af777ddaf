using System.Net;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Tests.Endpoints;
using BossTalkCalendar.Core.Scheduling;
using BossTalkCalendar.Core.Texts;
using Microsoft.Extensions.Time.Testing;

namespace BossTalkCalendar.Api.Tests.Languages;

/// <summary>
/// End to end, through the real Graph SDK against the simulator: what BossTalk writes follows mailboxSettings.language.
/// A German mailbox gets a German reflection and a German prep block (its date written the German way, in Berlin
/// time), a Japanese manager a Japanese invitation, an English mailbox stays English and a language we do not have
/// falls back to English.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class LanguageTests
{
    private const string TenantId = "1a2b0000-0000-4000-8000-000000000000";
    private const string Secret = "SECRET-LANG";

    // Wednesday 4 March 2026, 14:00 UTC: 15:00 in Berlin, 23:00 in Tokyo.
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 14, 0, 0, TimeSpan.Zero);

    private static readonly Member Manager = new("1a2b0000-0000-4000-8000-000000000001", "manager@lang.test", "Europe/Berlin", TenantBuilder.WeekDays, "09:00:00", "17:30:00", "ja-JP");

    private static readonly Member German = new("1a2b0000-0000-4000-8000-000000000002", "german@lang.test", "Europe/Berlin", TenantBuilder.WeekDays, "09:00:00", "17:30:00", "de-DE");

    private static readonly Member English = new("1a2b0000-0000-4000-8000-000000000003", "english@lang.test", "Europe/Berlin", TenantBuilder.WeekDays, "09:00:00", "17:30:00", "en-GB");

    private static readonly Member Portuguese = new("1a2b0000-0000-4000-8000-000000000004", "portuguese@lang.test", "Europe/Berlin", TenantBuilder.WeekDays, "09:00:00", "17:30:00", "pt-BR");

    private static readonly DateTimeOffset OneOnOneStart = new(2026, 3, 4, 11, 30, 0, TimeSpan.Zero);

    // Next week's one-on-one with the German report: Wednesday 11 March, 11:30 UTC, 12:30 in Berlin.
    private static readonly DateTimeOffset NextStart = OneOnOneStart + TimeSpan.FromDays(7);

    [Fact]
    public async Task AGermanMailboxGetsAGermanReflectionAndPrepBlock_AnEnglishOneEnglish_AndAnUnknownLanguageEnglish()
    {
        await using var app = await StartAsync();
        await app.ApproveTeamAsync(TenantId, Manager, [German, English, Portuguese]);
        await app.RunSweepAsync();

        var german = Assert.Single(CalendarAssert.ReflectionsOf(app.Graph, German.Id));
        Assert.Equal("Zeit zum Nachdenken (privat)", german.Subject);
        Assert.Contains("Wie lief dein Einzelgespräch?", Text(german.Body), StringComparison.Ordinal);
        Assert.Contains("Lief gut – Termin entfernen</a>", Text(german.Body), StringComparison.Ordinal);
        Assert.DoesNotContain("How did your one-on-one go?", german.Body, StringComparison.Ordinal);
        Assert.Equal("private", german.Sensitivity, ignoreCase: true);

        var english = Assert.Single(CalendarAssert.ReflectionsOf(app.Graph, English.Id));
        Assert.Equal(ReflectionText.Subject, english.Subject);
        Assert.Contains("How did your one-on-one go?", english.Body, StringComparison.Ordinal);

        var portuguese = Assert.Single(CalendarAssert.ReflectionsOf(app.Graph, Portuguese.Id));
        Assert.Equal(ReflectionText.Subject, portuguese.Subject);

        // "Rough": the prep block before next week's one-on-one is German too, and names that meeting's start as a
        // German reader writes it, in Berlin time (12:30, not 11:30 UTC).
        using var client = app.ClientFor(German);
        using var rough = await client.PutAsync(new Uri($"/api/v1/meetings/{Uri.EscapeDataString(GermansOneOnOne(app))}/outcome", UriKind.Relative), ApiAssert.Body(new { outcome = "rough" }));
        var answer = await ApiAssert.JsonAsync(rough, HttpStatusCode.OK);
        var prepId = Assert.Single(answer.GetProperty("changed").EnumerateArray(), n => n.GetProperty("kind").GetString() == "prep").GetProperty("id").GetGuid();
        var prep = await app.SettledAsync(prepId);
        Assert.Equal(NudgeState.Placed, prep.State);
        var block = Assert.Single(app.Graph.Tenant.EventsOf(German.Id), e => e.Id == prep.CreatedEventId);
        Assert.Equal("Einzelgespräch vorbereiten (privat)", block.Subject);
        Assert.Contains("Dein nächstes Einzelgespräch: Mittwoch, 11. März 2026 12:30.", Text(block.Body), StringComparison.Ordinal);
        Assert.Contains("Deine Notizen vom letzten Mal</a>", Text(block.Body), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("formal", "お打ち合わせのお願い", "少しお時間をいただけますでしょうか。")]
    [InlineData("casual", "少しお話しできますか", "数分だけお話しできればと思います。")]
    public async Task AJapaneseManagerGetsAJapaneseInvitation_WhileTheGermanUsersOwnHoldStaysGerman(string tone, string subject, string body)
    {
        await using var app = await StartAsync();
        await app.ApproveTeamAsync(TenantId, Manager, [German, English]);
        using var client = app.ClientFor(English);
        var path = new Uri($"/api/v1/meetings/{OneOnOneId(English)}/follow-up", UriKind.Relative);
        using var response = await client.PostAsync(path, ApiAssert.Body(new { tone, invite = true }));
        var id = (await ApiAssert.JsonAsync(response, HttpStatusCode.Accepted)).GetProperty("id").GetGuid();

        var nudge = await app.SettledAsync(id);
        Assert.True(nudge.State == NudgeState.Placed, $"The follow-up ended {nudge.State} ({nudge.Reason}).");
        var invitation = Assert.Single(app.Graph.Tenant.EventsOf(English.Id), e => e.TransactionId == nudge.TransactionId);
        Assert.Equal(subject, invitation.Subject);
        Assert.Contains(body, Text(invitation.Body), StringComparison.Ordinal);
        var message = Assert.Single(app.Graph.Tenant.MessagesOf(Manager.Id), m => m.ICalUId == invitation.ICalUId);
        Assert.Equal(subject, message.Subject);

        // The German report's private hold speaks German, whatever the manager's language.
        using var germanClient = app.ClientFor(German);
        using var hold = await germanClient.PostAsync(
            new Uri($"/api/v1/meetings/{Uri.EscapeDataString(GermansOneOnOne(app))}/follow-up", UriKind.Relative), ApiAssert.Body(new { tone, invite = false }));
        var holdNudge = await app.SettledAsync((await ApiAssert.JsonAsync(hold, HttpStatusCode.Accepted)).GetProperty("id").GetGuid());
        Assert.Equal(NudgeState.Placed, holdNudge.State);
        var held = Assert.Single(app.Graph.Tenant.EventsOf(German.Id), e => e.TransactionId == holdNudge.TransactionId);
        var toneValue = tone == "formal" ? FollowUpTone.Formal : FollowUpTone.Casual;
        Assert.Equal(FollowUpText.PrivateHold(Catalogs.For("de-DE"), toneValue, new Uri("https://x.test/")).Subject, held.Subject);
        Assert.Contains(tone == "formal" ? "„Entschuldigen Sie" : "wenn es dir passt", Text(held.Body), StringComparison.Ordinal);
    }

    /// <summary>A body as a reader sees it: the HTML encoder writes ä as &amp;#228;, which Outlook shows as ä.</summary>
    private static string Text(string html) => WebUtility.HtmlDecode(html);

    private static string OneOnOneId(Member report) => $"AAMkADlang-{report.Id[^2..]}_one-on-one_AAA=";

    /// <summary>The German report's own copy of today's one-on-one, which the manager organised.</summary>
    private static string GermansOneOnOne(BossTalkCalendarApplication app) =>
        Assert.Single(app.Graph.Tenant.EventsOf(German.Id), e => !e.IsOrganizer && e.Start == OneOnOneStart).Id;

    private static Task<BossTalkCalendarApplication> StartAsync()
    {
        var tenant = new TenantBuilder(TenantId, Secret).Add(null, Manager).Add(Manager, German, English, Portuguese);
        // The English report organised today's one-on-one (its id is ours to choose); the others were invited by the manager.
        tenant.Meeting(OneOnOneId(English), English, OneOnOneStart - TimeSpan.FromMinutes(60), OneOnOneStart - TimeSpan.FromMinutes(30), [Manager]);
        tenant.OneOnOne(Manager, German, OneOnOneStart, OneOnOneStart + TimeSpan.FromMinutes(30));
        tenant.OneOnOne(Manager, Portuguese, OneOnOneStart - TimeSpan.FromMinutes(90), OneOnOneStart - TimeSpan.FromMinutes(60));
        tenant.OneOnOne(Manager, German, NextStart, NextStart + TimeSpan.FromMinutes(30));
        return BossTalkCalendarApplication.StartAsync(tenant.Build(), new FakeTimeProvider(Now));
    }
}

using System.Net;
using System.Text.Json;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Tests.Endpoints;
using BossTalkCalendar.Core.Scheduling;
using BossTalkCalendar.Core.Texts;
using BossTalkCalendar.GraphSimulator;

namespace BossTalkCalendar.Api.Tests.FollowUps;

/// <summary>
/// POST /api/v1/meetings/{eventId}/follow-up end to end: the real host and Hangfire, the real Graph SDK against the
/// simulator, real tokens. Each case uses its own report, so the cases do not depend on each other's order.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class FollowUpTests(FollowUpTeamFixture fixture) : IClassFixture<FollowUpTeamFixture>
{
    private readonly BossTalkCalendarApplication _host = fixture.App;

    // Words of the private talking points that must never reach the manager.
    private static readonly string[] TalkingPointWords = ["apology", "apologise", "wasn't as ready", "prepare", "private", "BossTalk", "talking", "points", "Follow-up"];

    public static TheoryData<string, bool, string> Cases => new()
    {
        { "casual", false, "a" },
        { "formal", false, "b" },
        { "skip", false, "c" },
        { "casual", true, "d" },
        { "formal", true, "e" },
        { "skip", true, "f" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task AFollowUpLandsOnTheRightCalendarAtASlotThatKeepsEveryRuleAndAskingTwiceChangesNothing(string tone, bool invite, string who)
    {
        var user = FollowUpTeam.Reports.Single(r => r.Id.EndsWith(who, StringComparison.Ordinal));
        var manager = FollowUpTeam.Manager;
        var managerEventsBefore = _host.Graph.Tenant.EventsOf(manager.Id).Count;
        var managerMessagesBefore = _host.Graph.Tenant.MessagesOf(manager.Id).Count;
        using var client = _host.ClientFor(user);
        var path = new Uri($"/api/v1/meetings/{FollowUpTeam.OneOnOneId(user)}/follow-up", UriKind.Relative);

        using var response = await client.PostAsync(path, ApiAssert.Body(new { tone, invite }));

        var accepted = await ApiAssert.JsonAsync(response, HttpStatusCode.Accepted);
        var id = accepted.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/nudges/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("followUp", accepted.GetProperty("kind").GetString());
        Assert.Equal(tone, accepted.GetProperty("tone").GetString());
        Assert.Equal(invite, accepted.GetProperty("invite").GetBoolean());

        if (tone == "skip")
        {
            // Recorded at once; nothing is queued, nothing is placed anywhere.
            Assert.Equal("skipped", accepted.GetProperty("state").GetString());
            var skipped = await _host.NudgeAsync(id);
            Assert.Equal(NudgeState.Skipped, skipped.State);
            Assert.Null(skipped.HangfireJobId);
        }
        else
        {
            Assert.Equal("planned", accepted.GetProperty("state").GetString());
            var nudge = await _host.SettledAsync(id);
            Assert.True(nudge.State == NudgeState.Placed, $"The follow-up ended {nudge.State} ({nudge.Reason}).");
            var followUp = Assert.Single(_host.Graph.Tenant.EventsOf(user.Id), e => e.TransactionId == nudge.TransactionId);
            var duration = TimeSpan.FromMinutes(tone == "casual" ? 10 : 20);
            FollowUpAssert.SlotSatisfiesEveryRule(_host.Graph, user, manager, FollowUpTeam.OneOnOneEnd(user), duration, followUp);
            if (invite)
            {
                AssertInvitation(user, manager, Enum.Parse<FollowUpTone>(tone, ignoreCase: true), followUp, managerEventsBefore, managerMessagesBefore);
            }
            else
            {
                Assert.Equal([CalendarAssert.Category], followUp.Categories);
                AssertPrivateHold(Enum.Parse<FollowUpTone>(tone, ignoreCase: true), followUp);
            }

            await AssertNudgeReadsBackInTheUsersZoneAsync(client, id, user, followUp);
        }

        if (!invite)
        {
            Assert.Equal(managerEventsBefore, _host.Graph.Tenant.EventsOf(manager.Id).Count);
            Assert.Equal(managerMessagesBefore, _host.Graph.Tenant.MessagesOf(manager.Id).Count);
        }

        // The same request again answers with the same nudge and places nothing new.
        var eventsOfUser = _host.Graph.Tenant.EventsOf(user.Id).Count;
        var managerEvents = _host.Graph.Tenant.EventsOf(manager.Id).Count;
        using var again = await client.PostAsync(path, ApiAssert.Body(new { tone, invite }));
        Assert.Equal(id, (await ApiAssert.JsonAsync(again, HttpStatusCode.OK)).GetProperty("id").GetGuid());
        await Task.WhenAll((await _host.NudgesAsync()).Where(n => n.State == NudgeState.Planned).Select(n => _host.SettledAsync(n.Id)));
        Assert.Equal(eventsOfUser, _host.Graph.Tenant.EventsOf(user.Id).Count);
        Assert.Equal(managerEvents, _host.Graph.Tenant.EventsOf(manager.Id).Count);
        Assert.Single(await _host.NudgesAsync(), n => n.UserId == user.Id);
    }

    [Fact]
    public async Task AskingAgainWithAnotherToneIsA409ThatNamesTheFollowUpAlreadyRequested()
    {
        var user = FollowUpTeam.BerlinG;
        using var client = _host.ClientFor(user);
        var path = new Uri($"/api/v1/meetings/{FollowUpTeam.OneOnOneId(user)}/follow-up", UriKind.Relative);
        using var first = await client.PostAsync(path, ApiAssert.Body(new { tone = "casual" }));
        var id = (await ApiAssert.JsonAsync(first, HttpStatusCode.Accepted)).GetProperty("id").GetGuid();
        await _host.SettledAsync(id);
        var events = _host.Graph.Tenant.EventsOf(user.Id).Count;

        using var formal = await client.PostAsync(path, ApiAssert.Body(new { tone = "formal" }));
        using var invited = await client.PostAsync(path, ApiAssert.Body(new { tone = "casual", invite = true }));

        foreach (var response in new[] { formal, invited })
        {
            var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.Conflict);
            Assert.Contains("casual", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(id, problem.GetProperty("nudge").GetProperty("id").GetGuid());
        }

        Assert.Equal(events, _host.Graph.Tenant.EventsOf(user.Id).Count);
        var nudge = await _host.NudgeAsync(id);
        Assert.Equal((FollowUpTone.Casual, false), (nudge.Tone!.Value, nudge.Invite!.Value));
        Assert.DoesNotContain(_host.Graph.Tenant.MessagesOf(FollowUpTeam.Manager.Id), m => m.FromMail == user.Mail);
    }

    [Theory]
    [InlineData(FollowUpTeam.ThreePeopleId, HttpStatusCode.UnprocessableEntity, "notTwoPeople")]
    [InlineData(FollowUpTeam.DeclinedId, HttpStatusCode.UnprocessableEntity, "declined")]
    [InlineData(FollowUpTeam.RunningId, HttpStatusCode.Conflict, "notEnded")]
    [InlineData(FollowUpTeam.SeriesId, HttpStatusCode.UnprocessableEntity, "seriesMaster")]
    public async Task AFollowUpForAMeetingThatIsNotAnEndedOneOnOneWithTheManagerIsRefusedAndChangesNothing(string eventId, HttpStatusCode status, string reason)
    {
        using var client = _host.ClientFor(FollowUpTeam.BerlinG);
        var nudgesBefore = (await _host.NudgesAsync()).Count;

        using var response = await client.PostAsync(new Uri($"/api/v1/meetings/{eventId}/follow-up", UriKind.Relative), ApiAssert.Body(new { tone = "casual" }));

        var problem = await ApiAssert.ProblemAsync(response, status);
        Assert.Equal(reason, problem.GetProperty("reason").GetString());
        Assert.Equal(nudgesBefore, (await _host.NudgesAsync()).Count);
    }

    [Fact]
    public async Task SomeoneElsesMeetingIsNotFoundEvenThoughTheyShareTheManager()
    {
        using var client = _host.ClientFor(FollowUpTeam.BerlinB);
        var nudgesBefore = (await _host.NudgesAsync()).Count;

        using var response = await client.PostAsync(
            new Uri($"/api/v1/meetings/{FollowUpTeam.OneOnOneId(FollowUpTeam.BerlinG)}/follow-up", UriKind.Relative),
            ApiAssert.Body(new { tone = "casual", invite = true }));

        await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal(nudgesBefore, (await _host.NudgesAsync()).Count);
    }

    private static void AssertPrivateHold(FollowUpTone tone, SimEvent followUp)
    {
        Assert.Equal("private", followUp.Sensitivity, ignoreCase: true);
        Assert.Empty(followUp.Attendees);
        Assert.Equal(FollowUpText.PrivateHold(tone, new Uri("https://x.test/")).Subject, followUp.Subject);
        Assert.Contains("/taskpane.html?eventId=", followUp.Body, StringComparison.Ordinal);
    }

    private void AssertInvitation(Member user, Member manager, FollowUpTone tone, SimEvent followUp, int managerEventsBefore, int managerMessagesBefore)
    {
        Assert.Equal("normal", followUp.Sensitivity, ignoreCase: true);
        var attendee = Assert.Single(followUp.Attendees);
        Assert.Equal((manager.Mail, "required"), (attendee.Mail, attendee.Type));
        // The manager's mailbox is English (the simulator's default); the formal tone has its own, plainer subject.
        Assert.Equal(FollowUpText.Invitation(Catalogs.English, tone).Subject, followUp.Subject);

        var managerEvents = _host.Graph.Tenant.EventsOf(manager.Id);
        Assert.Equal(managerEventsBefore + 1, managerEvents.Count);
        var copy = Assert.Single(managerEvents, e => e.ICalUId == followUp.ICalUId);
        // Nothing of ours on the invitation: no category, no extended property naming the one-on-one, on either copy
        // (the simulator lets both travel to the invitee, as they can inside one organisation).
        Assert.All(new[] { followUp, copy }, e => Assert.True(e.Categories.Count == 0 && e.ExtendedProperties.Count == 0, "The invitation carries a tag of ours."));
        var messages = _host.Graph.Tenant.MessagesOf(manager.Id);
        Assert.Equal(managerMessagesBefore + 1, messages.Count);
        var invitation = Assert.Single(messages, m => m.ICalUId == followUp.ICalUId);
        Assert.Equal(user.Mail, invitation.FromMail);
        foreach (var text in new[] { copy.Subject, copy.Body, invitation.Subject })
        {
            Assert.DoesNotContain(FollowUpTeam.Secret, text, StringComparison.Ordinal);
            foreach (var word in TalkingPointWords)
            {
                Assert.DoesNotContain(word, text, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    private static async Task AssertNudgeReadsBackInTheUsersZoneAsync(HttpClient client, Guid id, Member user, SimEvent followUp)
    {
        using var response = await client.GetAsync(new Uri($"/api/v1/nudges/{id}", UriKind.Relative));
        var dto = await ApiAssert.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("placed", dto.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, dto.GetProperty("reason").ValueKind);
        var zone = FollowUpAssert.Zone(user);
        Assert.Equal(zone.Id, dto.GetProperty("timeZone").GetString());
        var start = dto.GetProperty("start").GetDateTimeOffset();
        var end = dto.GetProperty("end").GetDateTimeOffset();
        Assert.Equal((followUp.Start, followUp.End), (start, end));
        Assert.Equal(zone.GetUtcOffset(followUp.Start), start.Offset);
        Assert.Equal(zone.GetUtcOffset(followUp.End), end.Offset);
    }
}

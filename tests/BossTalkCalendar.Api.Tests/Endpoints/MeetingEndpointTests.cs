using System.Net;
using System.Text.Json;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Tests.FollowUps;

namespace BossTalkCalendar.Api.Tests.Endpoints;

/// <summary>GET me, the meeting endpoints and the reflection request over the simulator, with real tokens.</summary>
[Collection(AppCollection.Name)]
public sealed class MeetingEndpointTests(FollowUpTeamFixture fixture) : IClassFixture<FollowUpTeamFixture>
{
    private readonly BossTalkCalendarApplication _host = fixture.App;

    [Fact]
    public async Task MeDescribesAnEnrolledMemberWithTheOrganisationsDefaultsAndTheirZone()
    {
        using var client = _host.ClientFor(FollowUpTeam.BerlinG);

        using var response = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative));

        var me = await ApiAssert.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(FollowUpTeam.BerlinG.Id, me.GetProperty("userId").GetString());
        Assert.Equal(FollowUpTeam.TenantId, me.GetProperty("tenantId").GetString());
        Assert.True(me.GetProperty("enrolled").GetBoolean());
        Assert.False(me.GetProperty("optedOut").GetBoolean());
        Assert.False(me.GetProperty("isManager").GetBoolean());
        Assert.Equal("Europe/Berlin", me.GetProperty("timeZone").GetString());
        var preferences = me.GetProperty("preferences");
        Assert.Equal(90, preferences.GetProperty("coolDownMinutes").GetInt32());
        Assert.Equal(30, preferences.GetProperty("reflectionMinutes").GetInt32());
        Assert.Equal("manager", preferences.GetProperty("counterpart").GetString());
        Assert.False(preferences.GetProperty("paused").GetBoolean());
        Assert.Equal(JsonValueKind.Array, me.GetProperty("recentNudges").ValueKind);
    }

    [Fact]
    public async Task MeAnswersAManagerWhoIsNotEnrolledWithoutReadingTheirMailbox()
    {
        using var client = _host.ClientFor(FollowUpTeam.Manager);

        using var response = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative));

        var me = await ApiAssert.JsonAsync(response, HttpStatusCode.OK);
        Assert.False(me.GetProperty("enrolled").GetBoolean());
        Assert.True(me.GetProperty("isManager").GetBoolean());
        Assert.Equal(JsonValueKind.Null, me.GetProperty("timeZone").ValueKind);
        Assert.Equal(0, me.GetProperty("recentNudges").GetArrayLength());
    }

    [Fact]
    public async Task MeAnswersWithinASecondWithoutTheGraphFactsWhileGraphIsTwoSecondsSlow()
    {
        using var client = _host.ClientFor(FollowUpTeam.Manager);
        using var warm = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative));
        Assert.True((await ApiAssert.JsonAsync(warm, HttpStatusCode.OK)).GetProperty("isManager").GetBoolean());

        _host.Graph.Options.AddedLatency = TimeSpan.FromSeconds(2);
        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            using var response = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative));
            watch.Stop();

            var me = await ApiAssert.JsonAsync(response, HttpStatusCode.OK);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"me took {watch.Elapsed}");
            Assert.False(me.GetProperty("isManager").GetBoolean());
            Assert.Equal(FollowUpTeam.Manager.Id, me.GetProperty("userId").GetString());
        }
        finally
        {
            _host.Graph.Options.AddedLatency = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task TheMeetingListShowsTimesAndVerdictsNewestFirstAndNeverASubject()
    {
        using var client = _host.ClientFor(FollowUpTeam.BerlinG);

        using var response = await client.GetAsync(new Uri("/api/v1/meetings?days=2", UriKind.Relative));

        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(FollowUpTeam.Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("subject", text, StringComparison.OrdinalIgnoreCase);
        var list = (await ApiAssert.JsonAsync(response, HttpStatusCode.OK)).EnumerateArray().ToList();
        var byId = list.ToDictionary(m => m.GetProperty("eventId").GetString()!);
        Assert.Equal((true, true), Verdict(byId[FollowUpTeam.OneOnOneId(FollowUpTeam.BerlinG)]));
        Assert.Equal((false, true), Verdict(byId[FollowUpTeam.ThreePeopleId]));
        Assert.Equal((false, true), Verdict(byId[FollowUpTeam.DeclinedId]));
        Assert.Equal((true, false), Verdict(byId[FollowUpTeam.RunningId]));
        Assert.False(byId.ContainsKey(FollowUpTeam.SeriesId));

        var starts = list.Select(m => m.GetProperty("start").GetDateTimeOffset()).ToList();
        Assert.Equal(starts.OrderDescending(), starts);
        Assert.All(list, m => Assert.Equal("Europe/Berlin", m.GetProperty("timeZone").GetString()));
        Assert.All(starts, s => Assert.Equal(TimeSpan.FromHours(1), s.Offset));
    }

    [Fact]
    public async Task AMeetingReadsTheSameByItsRestIdAndByItsEwsStyleId()
    {
        using var client = _host.ClientFor(FollowUpTeam.BerlinG);
        var restId = FollowUpTeam.OneOnOneId(FollowUpTeam.BerlinG);
        var ewsId = restId.Replace('-', '/').Replace('_', '+');

        using var rest = await client.GetAsync(new Uri($"/api/v1/meetings/{restId}", UriKind.Relative));
        using var ews = await client.GetAsync(new Uri($"/api/v1/meetings/{Uri.EscapeDataString(ewsId)}", UriKind.Relative));

        foreach (var response in new[] { rest, ews })
        {
            var meeting = await ApiAssert.JsonAsync(response, HttpStatusCode.OK);
            Assert.Equal(restId, meeting.GetProperty("eventId").GetString());
            Assert.True(meeting.GetProperty("isOneOnOne").GetBoolean());
            Assert.True(meeting.GetProperty("ended").GetBoolean());
            Assert.Equal(JsonValueKind.Null, meeting.GetProperty("reason").ValueKind);
            Assert.Equal(FollowUpTeam.OneOnOneEnd(FollowUpTeam.BerlinG), meeting.GetProperty("end").GetDateTimeOffset());
            Assert.Equal(TimeSpan.FromHours(1), meeting.GetProperty("end").GetDateTimeOffset().Offset);
        }
    }

    [Theory]
    [InlineData(FollowUpTeam.ThreePeopleId, false, true, "notTwoPeople")]
    [InlineData(FollowUpTeam.DeclinedId, false, true, "declined")]
    [InlineData(FollowUpTeam.RunningId, true, false, "notEnded")]
    public async Task AMeetingSaysWhyItDoesNotCount(string eventId, bool isOneOnOne, bool ended, string reason)
    {
        using var client = _host.ClientFor(FollowUpTeam.BerlinG);

        using var response = await client.GetAsync(new Uri($"/api/v1/meetings/{eventId}", UriKind.Relative));

        var meeting = await ApiAssert.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal((isOneOnOne, ended, reason), Verdict(meeting, withReason: true));
    }

    [Fact]
    public async Task ASeriesMasterIsRefusedWithAProblemThatSaysToOpenAnOccurrence()
    {
        using var client = _host.ClientFor(FollowUpTeam.BerlinG);

        using var response = await client.GetAsync(new Uri($"/api/v1/meetings/{FollowUpTeam.SeriesId}", UriKind.Relative));

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("occurrence", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("POST", "/reflection")]
    public async Task SomeoneElsesMeetingOrAnUnknownOneIsNotFound(string method, string suffix)
    {
        using var client = _host.ClientFor(FollowUpTeam.BerlinB);
        var nudgesBefore = (await _host.NudgesAsync()).Count;

        foreach (var eventId in new[] { FollowUpTeam.OneOnOneId(FollowUpTeam.BerlinG), "AAMkADnot-there_AAA=" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri($"/api/v1/meetings/{eventId}{suffix}", UriKind.Relative));
            using var response = await client.SendAsync(request);

            await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound);
        }

        Assert.Equal(nudgesBefore, (await _host.NudgesAsync()).Count);
    }

    [Fact]
    public async Task AReflectionAskedForNowIsPlacedOnceReadsBackInTheUsersZoneAndIsNobodyElsesToRead()
    {
        var user = FollowUpTeam.BerlinG;
        using var client = _host.ClientFor(user);
        var path = new Uri($"/api/v1/meetings/{FollowUpTeam.OneOnOneId(user)}/reflection", UriKind.Relative);

        using var response = await client.PostAsync(path, null);

        var accepted = await ApiAssert.JsonAsync(response, HttpStatusCode.Accepted);
        var id = accepted.GetProperty("id").GetGuid();
        Assert.Equal("reflection", accepted.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, accepted.GetProperty("tone").ValueKind);
        var nudge = await _host.SettledAsync(id);
        Assert.True(nudge.State == NudgeState.Placed, $"The reflection ended {nudge.State} ({nudge.Reason}).");

        // Asked for now: no 90-minute cool-down, so it starts right after the meeting still running until 14:15 UTC.
        var reflection = CalendarAssert.SingleReflectionInWorkingTime(_host.Graph, user.Id, user.Zone, user.Days, user.Start, user.End, _host.Clock.GetUtcNow());
        Assert.True(reflection.Start < _host.Clock.GetUtcNow() + TimeSpan.FromMinutes(90), $"{reflection.Start:O} waited for the cool-down.");

        using var again = await client.PostAsync(path, null);
        Assert.Equal(id, (await ApiAssert.JsonAsync(again, HttpStatusCode.OK)).GetProperty("id").GetGuid());
        Assert.Single(CalendarAssert.ReflectionsOf(_host.Graph, user.Id));

        using var read = await client.GetAsync(new Uri($"/api/v1/nudges/{id}", UriKind.Relative));
        var dto = await ApiAssert.JsonAsync(read, HttpStatusCode.OK);
        Assert.Equal("placed", dto.GetProperty("state").GetString());
        Assert.Equal("Europe/Berlin", dto.GetProperty("timeZone").GetString());
        Assert.Equal(reflection.Start, dto.GetProperty("start").GetDateTimeOffset());
        Assert.Equal(TimeSpan.FromHours(1), dto.GetProperty("start").GetDateTimeOffset().Offset);

        using var meeting = await client.GetAsync(new Uri($"/api/v1/meetings/{FollowUpTeam.OneOnOneId(user)}", UriKind.Relative));
        var nudges = (await ApiAssert.JsonAsync(meeting, HttpStatusCode.OK)).GetProperty("nudges");
        Assert.Equal(id, Assert.Single(nudges.EnumerateArray()).GetProperty("id").GetGuid());

        using var me = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative));
        Assert.Contains((await ApiAssert.JsonAsync(me, HttpStatusCode.OK)).GetProperty("recentNudges").EnumerateArray(), n => n.GetProperty("id").GetGuid() == id);

        // The block we placed is on the calendar inside the list's window, yet it is ours, not a meeting to reflect on.
        Assert.NotNull(nudge.CreatedEventId);
        using var list = await client.GetAsync(new Uri("/api/v1/meetings?days=2", UriKind.Relative));
        var listed = (await ApiAssert.JsonAsync(list, HttpStatusCode.OK)).EnumerateArray().Select(m => m.GetProperty("eventId").GetString()).ToList();
        Assert.Contains(FollowUpTeam.OneOnOneId(user), listed);
        Assert.DoesNotContain(nudge.CreatedEventId, listed);

        using var other = _host.ClientFor(FollowUpTeam.BerlinB);
        using var notTheirs = await other.GetAsync(new Uri($"/api/v1/nudges/{id}", UriKind.Relative));
        await ApiAssert.ProblemAsync(notTheirs, HttpStatusCode.NotFound);
        using var otherTenant = _host.CreateClientFor(user.Id, "22222222-2222-2222-2222-222222222222");
        using var notThisTenant = await otherTenant.GetAsync(new Uri($"/api/v1/nudges/{id}", UriKind.Relative));
        // The same user id from another tenant is not even signed in here (Auth:AllowedTenants defaults to the served tenant).
        await ApiAssert.ProblemAsync(notThisTenant, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(FollowUpTeam.ThreePeopleId, HttpStatusCode.UnprocessableEntity)]
    [InlineData(FollowUpTeam.RunningId, HttpStatusCode.Conflict)]
    public async Task AReflectionForAMeetingThatDoesNotCountIsRefused(string eventId, HttpStatusCode status)
    {
        using var client = _host.ClientFor(FollowUpTeam.BerlinG);
        var nudgesBefore = (await _host.NudgesAsync()).Count;

        using var response = await client.PostAsync(new Uri($"/api/v1/meetings/{eventId}/reflection", UriKind.Relative), null);

        await ApiAssert.ProblemAsync(response, status);
        Assert.Equal(nudgesBefore, (await _host.NudgesAsync()).Count);
    }

    [Fact]
    public async Task AUserOfTheDirectoryWhoIsNotEnrolledCannotReadMeetings()
    {
        using var client = _host.ClientFor(FollowUpTeam.Outsider);

        using var response = await client.GetAsync(new Uri($"/api/v1/meetings/{FollowUpTeam.OneOnOneId(FollowUpTeam.Outsider)}", UriKind.Relative));

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Forbidden);
    }

    private static (bool IsOneOnOne, bool Ended) Verdict(JsonElement meeting) =>
        (meeting.GetProperty("isOneOnOne").GetBoolean(), meeting.GetProperty("ended").GetBoolean());

    private static (bool IsOneOnOne, bool Ended, string? Reason) Verdict(JsonElement meeting, bool withReason) =>
        (meeting.GetProperty("isOneOnOne").GetBoolean(), meeting.GetProperty("ended").GetBoolean(), withReason ? meeting.GetProperty("reason").GetString() : null);
}

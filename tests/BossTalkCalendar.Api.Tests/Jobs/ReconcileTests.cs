using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Tests.Builders;
using Microsoft.Extensions.Time.Testing;

namespace BossTalkCalendar.Api.Tests.Jobs;

/// <summary>
/// Reconciliation repairs the records against the calendars, both ways: a nudge recorded failed whose event turned up
/// after all is placed; a cancelled one's event is taken back; a placed nudge whose event the user deleted is removed.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ReconcileTests
{
    [Fact]
    public async Task ReconciliationAdoptsWithdrawsAndMarksRemovedFromWhatTheCalendarsHold()
    {
        await using var app = await BossTalkCalendarApplication.StartAsync(
            TestTeam.Build(), new FakeTimeProvider(TestTeam.Now), new Dictionary<string, string?> { ["Jobs:PollInterval"] = "00:00:00.25" });
        await app.ApproveTeamAsync(TestTeam.TenantId, TestTeam.Manager, [TestTeam.Berlin, TestTeam.NewYork, TestTeam.Forbidden]);
        await app.RunSweepAsync();
        var placed = (await app.NudgesAsync()).Where(n => n.State == NudgeState.Placed).ToList();
        Assert.Equal(3, placed.Count);
        var (deleted, failed, cancelled) = (placed[0], placed[1], placed[2]);

        // The user deleted one block; the records of the other two say what a lost answer and an opt-out during the
        // create leave behind: failed (or cancelled) although the create went out and the event is there.
        app.Graph.Tenant.RemoveEvent(deleted.UserId, deleted.CreatedEventId!);
        await using (var db = await app.CreateDbContextAsync())
        {
            await Rows.LoseCreateAnswerAsync(db, failed.Id, NudgeState.Failed, NudgeReasons.RetriesExhausted);
            await Rows.LoseCreateAnswerAsync(db, cancelled.Id, NudgeState.Cancelled, NudgeReasons.OptedOut);
        }

        await app.RunAsync<ReconcileJob>(job => job.RunAsync(CancellationToken.None));

        var after = (await app.NudgesAsync()).ToDictionary(n => n.Id);
        Assert.Equal((NudgeState.Removed, NudgeReasons.EventDeleted), (after[deleted.Id].State, after[deleted.Id].Reason));
        Assert.Equal((NudgeState.Placed, failed.CreatedEventId), (after[failed.Id].State, after[failed.Id].CreatedEventId));
        Assert.Equal(NudgeState.Cancelled, after[cancelled.Id].State);
        Assert.Empty(CalendarAssert.ReflectionsOf(app.Graph, cancelled.UserId));
        Assert.Single(CalendarAssert.ReflectionsOf(app.Graph, failed.UserId));

        // Run again: nothing left to repair, nothing changes.
        await app.RunAsync<ReconcileJob>(job => job.RunAsync(CancellationToken.None));
        Assert.Equal(
            after.Values.Select(n => (n.Id, n.State, n.CreatedEventId)).OrderBy(n => n.Id),
            (await app.NudgesAsync()).Select(n => (n.Id, n.State, n.CreatedEventId)).OrderBy(n => n.Id));
    }
}

using System.Data.Common;
using System.Text.Json;
using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Tests.Builders;
using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Nudges;
using BossTalkCalendar.Core.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace BossTalkCalendar.Api.Tests.Nudges;

/// <summary>
/// Every row of <see cref="NudgeTransitions.Table"/>, run through the real <see cref="NudgeStore"/> on a SQLite
/// database: the transition moves a nudge from the row's state to the row's state, and from every state outside the
/// transition's "from" it changes nothing.
/// </summary>
public sealed class NudgeTransitionTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    public static TheoryData<NudgeState, NudgeState, NudgeTransition> Rows()
    {
        var rows = new TheoryData<NudgeState, NudgeState, NudgeTransition>();
        foreach (var row in NudgeTransitions.Table)
        {
            rows.Add(row.From, row.To, row.Transition);
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task EachRowMovesTheNudgeAndNothingOutsideItsFrom(NudgeState from, NudgeState to, NudgeTransition transition)
    {
        await using var database = await SqliteStore.CreateAsync();
        var clock = new FakeTimeProvider(Start);
        var store = new NudgeStore(database.Contexts, clock);

        var moving = await SaveAsync(database, transition, from);
        clock.Advance(TimeSpan.FromMinutes(1));
        var before = await SnapshotAsync(database, moving.Id);
        await DriveAsync(store, transition, moving, from, to);
        var after = await ReadAsync(database, moving.Id);
        Assert.Equal(to, after.State);
        Assert.NotEqual(before, Snapshot(after));

        foreach (var other in Enum.GetValues<NudgeState>().Except(NudgeTransitions.From(transition)))
        {
            var still = await SaveAsync(database, transition, other);
            var unchanged = await SnapshotAsync(database, still.Id);
            // Driven as if read in the transition's own "from": only the row's real state may stop it.
            await DriveAsync(store, transition, still, from, to);
            Assert.Equal(unchanged, await SnapshotAsync(database, still.Id));
        }
    }

    [Fact]
    public void EveryTransitionHasARowAndTheStoreRevivesExactlyItsFrom()
    {
        Assert.Equal(Enum.GetValues<NudgeTransition>(), NudgeTransitions.Table.Select(r => r.Transition).Distinct().Order());
        // What a user may ask for again, as the product has always allowed it (docs/architecture.md, "A nudge's life").
        Assert.Equal(
            [NudgeState.NoSlot, NudgeState.Failed, NudgeState.Cancelled, NudgeState.Skipped, NudgeState.Dismissed],
            NudgeStore.Revivable.Order());
        Assert.Throws<ArgumentOutOfRangeException>(() => NudgeTransitions.Guard(NudgeTransition.Dismiss, NudgeState.Failed));
        Assert.Throws<ArgumentOutOfRangeException>(() => NudgeTransitions.Target(NudgeTransition.Settle, NudgeState.Removed));
    }

    [Fact]
    public async Task FollowsAtOnceEachReleaseADifferentJobAndAWithdrawReleasesTheLastOne()
    {
        await using var database = await SqliteStore.CreateAsync();
        var hold = new HoldFirstUpdate();
        var store = new NudgeStore(database.ContextsWith(hold), new FakeTimeProvider(Start));
        var nudge = await SaveAsync(database, NudgeTransition.Follow, NudgeState.Planned);
        var end = Start + TimeSpan.FromMinutes(45);

        // Two scans follow the same move: the first has read the nudge with job-1 and is about to write job-a when the
        // second reads it, still with job-1, and writes job-b. The first must then release job-b, not job-1 again.
        var first = store.FollowAsync(nudge.Id, Start, end, "job-a", CancellationToken.None);
        await hold.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var second = await store.FollowAsync(nudge.Id, Start, end, "job-b", CancellationToken.None);
        hold.Release.SetResult();
        Assert.Equal(new Released(true, "job-1"), second);
        Assert.Equal(new Released(true, "job-b"), await first);
        Assert.Equal("job-a", (await ReadAsync(database, nudge.Id)).HangfireJobId);

        // A withdraw by a scan that still read job-1 releases the job the nudge holds now.
        Assert.Equal(new Released(true, "job-a"), await store.WithdrawPlannedAsync(nudge.Id, NudgeReasons.Skipped, CancellationToken.None));
        Assert.Equal(default, await store.WithdrawPlannedAsync(nudge.Id, NudgeReasons.Skipped, CancellationToken.None));
        Assert.Equal(default, await store.FollowAsync(nudge.Id, Start, end, "job-c", CancellationToken.None));
    }

    /// <summary>Holds the first UPDATE until released, so that another statement can run between a read and its write.</summary>
    private sealed class HoldFirstUpdate : DbCommandInterceptor
    {
        private int _updates;

        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.TrimStart().StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase) && Interlocked.Increment(ref _updates) == 1)
            {
                Reached.SetResult();
                await Release.Task;
            }

            return result;
        }
    }

    // Each nudge its own user, so a transition over a user's nudges (cancel) touches only the one meant.
    private static Task<Nudge> SaveAsync(SqliteStore database, NudgeTransition transition, NudgeState state) =>
        WithContextAsync(database, db => new NudgeBuilder()
            .For("tenant", "user-" + Guid.NewGuid().ToString("N"))
            .OfKind(transition == NudgeTransition.Replan ? NudgeKind.Prep : NudgeKind.Reflection)
            .In(state, state == NudgeState.Planned ? null : "earlier")
            .WithJob("job-1")
            .AfterMeetingEnding(Start - TimeSpan.FromHours(1))
            .At(Start)
            .SaveAsync(db));

    private static async Task DriveAsync(NudgeStore store, NudgeTransition transition, Nudge nudge, NudgeState from, NudgeState to)
    {
        var slot = new Interval(Start + TimeSpan.FromHours(2), Start + TimeSpan.FromHours(2.5));
        var token = CancellationToken.None;
        switch (transition)
        {
            case NudgeTransition.AttachJob:
                await store.AttachJobAsync([nudge.Id], "job-2", token);
                break;
            case NudgeTransition.MarkCreateSent:
                await store.MarkCreateSentAsync(nudge.Id, slot, token);
                break;
            case NudgeTransition.Aim:
                await store.AimAsync(nudge.Id, "next-event", Start + TimeSpan.FromDays(7), token);
                break;
            case NudgeTransition.Follow:
                await store.FollowAsync(nudge.Id, Start, Start + TimeSpan.FromMinutes(45), "job-2", token);
                break;
            case NudgeTransition.Reschedule:
                await store.RescheduleAsync(nudge.Id, 1, "job-2", token);
                break;
            case NudgeTransition.Withdraw:
                await store.WithdrawPlannedAsync(nudge.Id, NudgeReasons.Skipped, token);
                break;
            case NudgeTransition.Settle:
                await store.SettleAsync(nudge.Id, Outcome(to, slot), attempts: 1, alongside: null, token);
                break;
            case NudgeTransition.Cancel:
                await store.CancelPlannedAsync(nudge.TenantId, [nudge.UserId], NudgeReasons.OptedOut, token);
                break;
            case NudgeTransition.Dismiss:
                await store.DismissAsync(nudge.Id, from, token);
                break;
            case NudgeTransition.Replan:
                await store.ReplanAsync(nudge.Id, token);
                break;
            case NudgeTransition.Adopt:
                await store.AdoptAsync(nudge.Id, "event-1", slot, "Europe/Berlin", token);
                break;
            case NudgeTransition.Remove:
                await store.MarkRemovedAsync(nudge.Id, NudgeReasons.Skipped, token);
                break;
            case NudgeTransition.Revive:
                var request = to == NudgeState.Skipped
                    ? new RevivalRequest(IsFollowUp: true, FollowUpTone.Skip, Invite: false, "event", Start)
                    : null;
                await store.ReviveAsync(nudge.Id, from, reason: null, request, token);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(transition), transition, "No driver for this transition.");
        }
    }

    private static PlacementOutcome Outcome(NudgeState to, Interval slot) => to switch
    {
        NudgeState.Placed => PlacementOutcome.Placed("event-1", slot, "Europe/Berlin"),
        NudgeState.NoSlot => PlacementOutcome.NoSlot("no-slot"),
        NudgeState.Failed => PlacementOutcome.Failed("failed"),
        NudgeState.Cancelled => PlacementOutcome.Cancelled("cancelled"),
        _ => throw new ArgumentOutOfRangeException(nameof(to), to, "Settle does not lead there."),
    };

    private static Task<Nudge> ReadAsync(SqliteStore database, Guid id) =>
        WithContextAsync(database, db => db.Nudges.AsNoTracking().SingleAsync(n => n.Id == id));

    private static async Task<string> SnapshotAsync(SqliteStore database, Guid id) => Snapshot(await ReadAsync(database, id));

    private static string Snapshot(Nudge nudge) => JsonSerializer.Serialize(nudge);

    private static async Task<T> WithContextAsync<T>(SqliteStore database, Func<BossTalkDbContext, Task<T>> use)
    {
        await using var db = await database.Contexts.CreateDbContextAsync();
        return await use(db);
    }
}

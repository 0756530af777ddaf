using BossTalkCalendar.Api.Persistence;

namespace BossTalkCalendar.Api.Nudges;

/// <summary>The named transitions of <see cref="NudgeStore"/>, each one conditional statement on a nudge's row.</summary>
public enum NudgeTransition
{
    /// <summary>Records the Hangfire job that will place the nudge.</summary>
    AttachJob,

    /// <summary>Records that the create is about to be sent to Graph, with the planned slot.</summary>
    MarkCreateSent,

    /// <summary>Prep only: records the next one-on-one the block goes before.</summary>
    Aim,

    /// <summary>A nudge planned ahead takes its meeting's new times and a new job.</summary>
    Follow,

    /// <summary>A transient failure: the nudge comes back later with a new job.</summary>
    Reschedule,

    /// <summary>A nudge planned ahead whose meeting stopped counting before its placement began.</summary>
    Withdraw,

    /// <summary>The placement's outcome.</summary>
    Settle,

    /// <summary>Opting out, leaving the team or a revoke.</summary>
    Cancel,

    /// <summary>The user said the meeting went fine.</summary>
    Dismiss,

    /// <summary>Prep only: the next one-on-one moved, so the block is planned again.</summary>
    Replan,

    /// <summary>Reconciliation found the event of a nudge recorded as failed.</summary>
    Adopt,

    /// <summary>The event of a placed nudge is gone.</summary>
    Remove,

    /// <summary>A nudge that put nothing on the calendar is asked for again (or resumed by an opt-in).</summary>
    Revive,
}

/// <summary>One allowed move of a nudge: <see cref="Transition"/> takes a nudge in <see cref="From"/> to <see cref="To"/>.</summary>
public sealed record NudgeTransitionRule(NudgeState From, NudgeState To, NudgeTransition Transition);

/// <summary>
/// Every state change a nudge may make, as one table. <see cref="NudgeStore"/>'s transitions take their guard (the
/// states a nudge must be in for the statement to touch it) from here, so this table is what the store does, not a
/// description of it. Making a nudge (plan, in <see cref="NudgeStore.PlanAsync"/>) is an insert, not a transition.
/// See docs/architecture.md, "A nudge's life".
/// </summary>
public static class NudgeTransitions
{
    public static readonly IReadOnlyList<NudgeTransitionRule> Table =
    [
        new(NudgeState.Planned, NudgeState.Planned, NudgeTransition.AttachJob),
        new(NudgeState.Planned, NudgeState.Planned, NudgeTransition.MarkCreateSent),
        new(NudgeState.Planned, NudgeState.Planned, NudgeTransition.Aim),
        new(NudgeState.Planned, NudgeState.Planned, NudgeTransition.Follow),
        new(NudgeState.Planned, NudgeState.Planned, NudgeTransition.Reschedule),
        new(NudgeState.Planned, NudgeState.Cancelled, NudgeTransition.Withdraw),
        new(NudgeState.Planned, NudgeState.Placed, NudgeTransition.Settle),
        new(NudgeState.Planned, NudgeState.NoSlot, NudgeTransition.Settle),
        new(NudgeState.Planned, NudgeState.Failed, NudgeTransition.Settle),
        new(NudgeState.Planned, NudgeState.Cancelled, NudgeTransition.Settle),
        new(NudgeState.Planned, NudgeState.Cancelled, NudgeTransition.Cancel),
        new(NudgeState.Planned, NudgeState.Dismissed, NudgeTransition.Dismiss),
        new(NudgeState.Placed, NudgeState.Dismissed, NudgeTransition.Dismiss),
        new(NudgeState.Placed, NudgeState.Planned, NudgeTransition.Replan),
        new(NudgeState.Failed, NudgeState.Placed, NudgeTransition.Adopt),
        new(NudgeState.Placed, NudgeState.Removed, NudgeTransition.Remove),
        new(NudgeState.NoSlot, NudgeState.Planned, NudgeTransition.Revive),
        new(NudgeState.NoSlot, NudgeState.Skipped, NudgeTransition.Revive),
        new(NudgeState.Failed, NudgeState.Planned, NudgeTransition.Revive),
        new(NudgeState.Failed, NudgeState.Skipped, NudgeTransition.Revive),
        new(NudgeState.Cancelled, NudgeState.Planned, NudgeTransition.Revive),
        new(NudgeState.Cancelled, NudgeState.Skipped, NudgeTransition.Revive),
        new(NudgeState.Skipped, NudgeState.Planned, NudgeTransition.Revive),
        new(NudgeState.Skipped, NudgeState.Skipped, NudgeTransition.Revive),
        new(NudgeState.Dismissed, NudgeState.Planned, NudgeTransition.Revive),
        new(NudgeState.Dismissed, NudgeState.Skipped, NudgeTransition.Revive),
    ];

    /// <summary>The states <paramref name="transition"/> may start from.</summary>
    public static IReadOnlyList<NudgeState> From(NudgeTransition transition) =>
        [.. Table.Where(r => r.Transition == transition).Select(r => r.From).Distinct()];

    /// <summary>The state <paramref name="transition"/> starts from, for a transition with exactly one.</summary>
    public static NudgeState OnlyFrom(NudgeTransition transition) =>
        From(transition) is [var from] ? from : throw new InvalidOperationException($"{transition} starts from more than one state; name the one.");

    /// <summary><paramref name="from"/>, when <paramref name="transition"/> may start there; otherwise it throws.</summary>
    public static NudgeState Guard(NudgeTransition transition, NudgeState from) =>
        From(transition).Contains(from) ? from : throw new ArgumentOutOfRangeException(nameof(from), from, $"{transition} does not start from {from}.");

    /// <summary><paramref name="to"/>, when <paramref name="transition"/> may end there; otherwise it throws.</summary>
    public static NudgeState Target(NudgeTransition transition, NudgeState to) =>
        Table.Any(r => r.Transition == transition && r.To == to) ? to : throw new ArgumentOutOfRangeException(nameof(to), to, $"{transition} does not lead to {to}.");
}

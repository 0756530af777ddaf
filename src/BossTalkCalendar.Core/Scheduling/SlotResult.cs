using BossTalkCalendar.Core.Calendar;

namespace BossTalkCalendar.Core.Scheduling;

/// <summary>Why no slot was found. The finders report the first that applies, in the order their docs give.</summary>
public enum NoSlotReason
{
    /// <summary>A slot was found.</summary>
    None,

    /// <summary>The working hours leave no time long enough for the block in the horizon, whatever the calendar says.</summary>
    NoWorkingTimeInHorizon,

    /// <summary>There would be working time, but busy items (with their buffers) leave no gap.</summary>
    CalendarFull,

    /// <summary>The earliest allowed start is already at or past the end of the horizon (the job ran too late).</summary>
    HorizonPassed,

    /// <summary>Follow-up: the two people's working hours (with the manager's margins and lunch) never overlap long enough in the horizon.</summary>
    NoCommonWorkingTime,

    /// <summary>Follow-up: every day with common working time is a day the manager is out of office.</summary>
    ManagerOutOfOffice,
}

/// <summary>A slot, or the reason there is none.</summary>
/// <param name="Slot">The slot, expressed in the owner's time zone offset; null when none was found.</param>
/// <param name="Reason"><see cref="NoSlotReason.None"/> when found.</param>
public readonly record struct SlotResult(Interval? Slot, NoSlotReason Reason)
{
    /// <summary>True when a slot was found.</summary>
    public bool Found => Slot is not null;

    /// <summary>A found slot.</summary>
    public static SlotResult FoundAt(Interval slot) => new(slot, NoSlotReason.None);

    /// <summary>No slot, for <paramref name="reason"/> (which must not be <see cref="NoSlotReason.None"/>).</summary>
    public static SlotResult NotFound(NoSlotReason reason)
    {
        if (reason == NoSlotReason.None)
        {
            throw new ArgumentOutOfRangeException(nameof(reason), "A missing slot needs a reason.");
        }

        return new SlotResult(null, reason);
    }
}

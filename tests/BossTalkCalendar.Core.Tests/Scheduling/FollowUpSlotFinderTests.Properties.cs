using System.Collections.Concurrent;
using BossTalkCalendar.Core.Scheduling;
using BossTalkCalendar.Core.Tests.Support;
using CsCheck;

namespace BossTalkCalendar.Core.Tests.Scheduling;

public partial class FollowUpSlotFinderTests
{
    [Fact]
    public void Find_SatisfiesEveryRuleForBothPeople_WhenItReturnsASlot()
    {
        Generators.FollowUp.Sample(
            testCase =>
            {
                var result = Find(testCase);
                if (result.Slot is not { } slot)
                {
                    return;
                }

                var (earliest, horizonEnd) = FollowUpOracle.Bounds(testCase.MeetingEnd, testCase.Now, testCase.Manager, testCase.Policy);
                Assert.Equal(testCase.Duration, slot.Duration);
                Assert.Null(FollowUpOracle.BrokenRule(
                    slot, earliest, horizonEnd, testCase.User, testCase.UserBusy, testCase.Manager, testCase.ManagerBusy, testCase.Policy));
            },
            iter: 1500);
    }

    [Fact]
    public void Find_EqualsBruteForceOracle_OnRandomCalendars()
    {
        var outcomes = new ConcurrentDictionary<NoSlotReason, int>();
        Generators.FollowUp.Sample(
            testCase =>
            {
                var expected = FollowUpOracle.Find(
                    testCase.MeetingEnd, testCase.Now, testCase.Duration, testCase.User, testCase.UserBusy, testCase.Manager, testCase.ManagerBusy, testCase.Policy);
                var actual = Find(testCase);
                Assert.Equal(expected, actual);
                outcomes.AddOrUpdate(actual.Reason, 1, (_, count) => count + 1);
            },
            iter: 800);

        // The generator must exercise the main outcomes, or the comparison proves little.
        var summary = string.Join(", ", outcomes.Select(pair => $"{pair.Key}: {pair.Value}"));
        Assert.True(outcomes.GetValueOrDefault(NoSlotReason.None) > 40, summary);
        Assert.True(outcomes.GetValueOrDefault(NoSlotReason.NoCommonWorkingTime) > 10, summary);
        Assert.True(outcomes.GetValueOrDefault(NoSlotReason.CalendarFull) + outcomes.GetValueOrDefault(NoSlotReason.ManagerOutOfOffice) > 5, summary);
    }

    private static SlotResult Find(FollowUpCase testCase) =>
        FollowUpSlotFinder.Find(
            testCase.MeetingEnd, testCase.Now, testCase.Duration, testCase.User, testCase.UserBusy, testCase.Manager, testCase.ManagerBusy, testCase.Policy);
}

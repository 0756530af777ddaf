using BossTalkCalendar.Core.Calendar;
using System.Collections.Concurrent;
using BossTalkCalendar.Core.Scheduling;
using BossTalkCalendar.Core.Tests.Support;
using CsCheck;

namespace BossTalkCalendar.Core.Tests.Scheduling;

public partial class ReflectionSlotFinderTests
{
    [Fact]
    public void Find_SatisfiesEveryRule_WhenItReturnsASlot()
    {
        Generators.Reflection.Sample(
            testCase =>
            {
                var result = ReflectionSlotFinder.Find(testCase.MeetingEnd, testCase.Now, testCase.Hours, testCase.Busy, testCase.Policy);
                if (result.Slot is not { } slot)
                {
                    return;
                }

                var earliest = Rules.Max(testCase.MeetingEnd + testCase.Policy.CoolDown, testCase.Now);
                var horizonEnd = ReflectionOracle.HorizonEnd(testCase.MeetingEnd, testCase.Hours);
                Assert.Equal(testCase.Policy.Duration, slot.Duration);
                Assert.Null(ReflectionOracle.BrokenRule(slot, earliest, horizonEnd, testCase.Hours, testCase.Busy, testCase.Policy));
            },
            iter: 1500);
    }

    [Fact]
    public void Find_EqualsBruteForceOracle_OnRandomCalendars()
    {
        var outcomes = new ConcurrentDictionary<NoSlotReason, int>();
        Generators.Reflection.Sample(
            testCase =>
            {
                var expected = ReflectionOracle.Find(testCase.MeetingEnd, testCase.Now, testCase.Hours, testCase.Busy, testCase.Policy);
                var actual = ReflectionSlotFinder.Find(testCase.MeetingEnd, testCase.Now, testCase.Hours, testCase.Busy, testCase.Policy);
                Assert.Equal(expected, actual);
                outcomes.AddOrUpdate(actual.Reason, 1, (_, count) => count + 1);
            },
            iter: 1500);

        // The generator must exercise every outcome, or the comparison proves little.
        Assert.True(outcomes.GetValueOrDefault(NoSlotReason.None) > 100, Describe(outcomes));
        Assert.True(outcomes.GetValueOrDefault(NoSlotReason.CalendarFull) > 10, Describe(outcomes));
        Assert.True(outcomes.GetValueOrDefault(NoSlotReason.NoWorkingTimeInHorizon) > 10, Describe(outcomes));
        Assert.True(outcomes.GetValueOrDefault(NoSlotReason.HorizonPassed) > 10, Describe(outcomes));
    }

    /// <summary>The placement job reads the calendar only up to the horizon plus the buffer; that must not change the answer.</summary>
    [Fact]
    public void Find_IgnoresBusyItems_WhenTheyStartAfterTheHorizonPlusBuffer()
    {
        Generators.Reflection.Sample(
            testCase =>
            {
                var horizon = ReflectionSlotFinder.HorizonEnd(testCase.MeetingEnd, testCase.Hours);
                if (horizon is null)
                {
                    Assert.False(WorkingTime.HasWorkingTime(testCase.Hours));
                    return;
                }

                var all = ReflectionSlotFinder.Find(testCase.MeetingEnd, testCase.Now, testCase.Hours, testCase.Busy, testCase.Policy);
                var visible = testCase.Busy.Where(b => b.Interval.Start < horizon + testCase.Policy.Buffer).ToArray();
                Assert.Equal(all, ReflectionSlotFinder.Find(testCase.MeetingEnd, testCase.Now, testCase.Hours, visible, testCase.Policy));
                Assert.True(all.Slot is not { } slot || slot.End <= horizon, $"The slot ends after the horizon {horizon:O}.");
            },
            iter: 1500);
    }

    private static string Describe(ConcurrentDictionary<NoSlotReason, int> outcomes) =>
        string.Join(", ", outcomes.Select(pair => $"{pair.Key}: {pair.Value}"));
}

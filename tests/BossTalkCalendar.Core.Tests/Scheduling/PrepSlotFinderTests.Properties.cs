using System.Collections.Concurrent;
using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Scheduling;
using BossTalkCalendar.Core.Tests.Support;
using CsCheck;

namespace BossTalkCalendar.Core.Tests.Scheduling;

public partial class PrepSlotFinderTests
{
    [Fact]
    public void Find_SatisfiesEveryRule_WhenItReturnsASlot()
    {
        var found = 0;
        PrepGenerators.Prep.Sample(
            testCase =>
            {
                var result = PrepSlotFinder.Find(testCase.NextMeetingStart, testCase.Now, testCase.Hours, testCase.Busy, testCase.Policy);
                if (result.Slot is not { } slot)
                {
                    Assert.NotEqual(NoSlotReason.None, result.Reason);
                    return;
                }

                Interlocked.Increment(ref found);
                Assert.Equal(testCase.Policy.Duration, slot.Duration);
                Assert.True(slot.End <= testCase.NextMeetingStart - testCase.Policy.MinLead, "The slot ends too close to the meeting.");
                Assert.Equal(testCase.Hours.TimeZone.GetUtcOffset(slot.Start), slot.Start.Offset);
                Assert.Equal(testCase.Hours.TimeZone.GetUtcOffset(slot.End), slot.End.Offset);
                Assert.Null(PrepOracle.BrokenRule(slot, testCase.NextMeetingStart, testCase.Now, testCase.Hours, testCase.Busy, testCase.Policy));
            },
            iter: 1500);
        Assert.True(found > 100, $"only {found} slots found");
    }

    [Fact]
    public void Find_EqualsBruteForceOracle_OnRandomCalendars()
    {
        var outcomes = new ConcurrentDictionary<string, int>();
        PrepGenerators.Prep.Sample(
            testCase =>
            {
                var expected = PrepOracle.Find(testCase.NextMeetingStart, testCase.Now, testCase.Hours, testCase.Busy, testCase.Policy);
                var actual = PrepSlotFinder.Find(testCase.NextMeetingStart, testCase.Now, testCase.Hours, testCase.Busy, testCase.Policy);
                Assert.Equal(expected, actual);
                Count(outcomes, actual.Reason.ToString());
                if (actual.Slot is { } slot)
                {
                    var zone = testCase.Hours.TimeZone;
                    if (LocalTimeOracle.LocalDate(zone, slot.Start) < LocalTimeOracle.LocalDate(zone, testCase.NextMeetingStart))
                    {
                        Count(outcomes, "slot on an earlier day");
                    }

                    if (zone.GetUtcOffset(slot.Start) != zone.GetUtcOffset(testCase.NextMeetingStart))
                    {
                        Count(outcomes, "DST change between slot and meeting");
                    }
                }

                if (testCase.Hours.Days.SetEquals(Zones.SundayToThursday))
                {
                    Count(outcomes, "Sunday-Thursday");
                }
            },
            iter: 1500);

        // The generator must exercise every outcome, or the comparison proves little.
        Assert.True(Get(outcomes, nameof(NoSlotReason.None)) > 100, Describe(outcomes));
        Assert.True(Get(outcomes, nameof(NoSlotReason.CalendarFull)) > 10, Describe(outcomes));
        Assert.True(Get(outcomes, nameof(NoSlotReason.NoWorkingTimeInHorizon)) > 10, Describe(outcomes));
        Assert.True(Get(outcomes, nameof(NoSlotReason.HorizonPassed)) > 10, Describe(outcomes));
        Assert.True(Get(outcomes, "slot on an earlier day") > 20, Describe(outcomes));
        Assert.True(Get(outcomes, "DST change between slot and meeting") > 5, Describe(outcomes));
        Assert.True(Get(outcomes, "Sunday-Thursday") > 100, Describe(outcomes));
    }

    [Fact]
    public void Find_EqualsBruteForceOracle_AcrossDstChanges()
    {
        var outcomes = new ConcurrentDictionary<string, int>();
        PrepGenerators.AcrossDst.Sample(
            testCase =>
            {
                var expected = PrepOracle.Find(testCase.NextMeetingStart, testCase.Now, testCase.Hours, testCase.Busy, testCase.Policy);
                var actual = PrepSlotFinder.Find(testCase.NextMeetingStart, testCase.Now, testCase.Hours, testCase.Busy, testCase.Policy);
                Assert.Equal(expected, actual);
                Count(outcomes, actual.Reason.ToString());
                var zone = testCase.Hours.TimeZone;
                if (PrepSlotFinder.WindowStart(testCase.NextMeetingStart, testCase.Hours) is { } from
                    && zone.GetUtcOffset(from) != zone.GetUtcOffset(testCase.NextMeetingStart))
                {
                    Count(outcomes, "window spans a change");
                    if (actual.Slot is { } slot && zone.GetUtcOffset(slot.Start) != zone.GetUtcOffset(testCase.NextMeetingStart))
                    {
                        Count(outcomes, "slot on the other side of a change");
                    }
                }
            },
            iter: 1000);

        Assert.True(Get(outcomes, nameof(NoSlotReason.None)) > 100, Describe(outcomes));
        Assert.True(Get(outcomes, "window spans a change") > 250, Describe(outcomes));
        Assert.True(Get(outcomes, "slot on the other side of a change") > 30, Describe(outcomes));
    }

    /// <summary>The job reads the calendar from WindowStart on; items outside the buffered window must not change the answer.</summary>
    [Fact]
    public void Find_IgnoresBusyItems_OutsideTheBufferedWindow()
    {
        PrepGenerators.Prep.Sample(
            testCase =>
            {
                var windowStart = PrepSlotFinder.WindowStart(testCase.NextMeetingStart, testCase.Hours);
                if (windowStart is not { } from)
                {
                    Assert.False(WorkingTime.HasWorkingTime(testCase.Hours));
                    return;
                }

                Assert.Equal(PrepOracle.WindowStart(testCase.NextMeetingStart, testCase.Hours), from);
                Assert.Equal(testCase.Hours.TimeZone.GetUtcOffset(from), from.Offset);

                var all = PrepSlotFinder.Find(testCase.NextMeetingStart, testCase.Now, testCase.Hours, testCase.Busy, testCase.Policy);
                var to = testCase.NextMeetingStart - testCase.Policy.MinLead + testCase.Policy.Buffer;
                var visible = testCase.Busy
                    .Where(item => item.Interval.End > from - testCase.Policy.Buffer && item.Interval.Start < to)
                    .ToArray();
                Assert.Equal(all, PrepSlotFinder.Find(testCase.NextMeetingStart, testCase.Now, testCase.Hours, visible, testCase.Policy));
                Assert.True(all.Slot is not { } slot || slot.Start >= from, $"The slot starts before the window {from:O}.");
            },
            iter: 1500);
    }

    /// <summary>Order and duplicates of the busy items do not matter (they are merged once).</summary>
    [Fact]
    public void Find_GivesSameAnswer_ForShuffledAndDuplicatedItems()
    {
        PrepGenerators.Prep.Sample(
            testCase =>
            {
                var expected = PrepSlotFinder.Find(testCase.NextMeetingStart, testCase.Now, testCase.Hours, testCase.Busy, testCase.Policy);
                var shuffled = testCase.Busy.Concat(testCase.Busy).Reverse().ToArray();
                Assert.Equal(expected, PrepSlotFinder.Find(testCase.NextMeetingStart, testCase.Now, testCase.Hours, shuffled, testCase.Policy));
            },
            iter: 500);
    }

    private static void Count(ConcurrentDictionary<string, int> outcomes, string key) =>
        outcomes.AddOrUpdate(key, 1, (_, count) => count + 1);

    private static int Get(ConcurrentDictionary<string, int> outcomes, string key) => outcomes.GetValueOrDefault(key);

    private static string Describe(ConcurrentDictionary<string, int> outcomes) =>
        string.Join(", ", outcomes.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}: {pair.Value}"));
}

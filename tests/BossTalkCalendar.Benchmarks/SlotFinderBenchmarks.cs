using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BossTalkCalendar.Core.Scheduling;

namespace BossTalkCalendar.Benchmarks;

/// <summary>
/// The two slot finders against the time to just sort and merge the same intervals (the baseline of each
/// category, so the Ratio column reads finder ÷ bound). The target: within 5× of the bound, and no
/// allocation per call beyond the result (a struct here, so zero bytes).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SlotFinderBenchmarks
{
    private const string Reflection = "Reflection";
    private const string FollowUp = "FollowUp";

    private static readonly DateOnly FullHorizonMeetingDay = new(2026, 6, 1);
    private static readonly DateOnly LateSlotMeetingDay = new(2026, 6, 8);

    private ReflectionScenario _reflection = null!;
    private FollowUpScenario _followUpFull = null!;
    private FollowUpScenario _followUpLate = null!;
    private SortMergeBound _bound = null!;

    [GlobalSetup]
    public void Setup()
    {
        _reflection = ReflectionScenario.Create();
        _followUpFull = FollowUpScenario.Create(FullHorizonMeetingDay);
        _followUpLate = FollowUpScenario.Create(LateSlotMeetingDay);
        _bound = new SortMergeBound(2 * FollowUpScenario.EventCount);

        // The figures only mean something while the inputs keep the finders from stopping early; a change to the
        // finders' rules that moves these results should fail the run rather than quietly measure less work.
        Expect(_reflection.Find(), new DateOnly(2026, 6, 9), "reflection: first fit late on the second (last) day of the horizon");
        Expect(_followUpFull.Find(), null, "follow-up: both calendars full through the whole horizon");
        Expect(_followUpLate.Find(), new DateOnly(2026, 6, 15), "follow-up: first fit on the fifth (last) working day of the horizon");
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Reflection)]
    public int ReflectionSortMergeBound() => _bound.Run(_reflection.Busy, []);

    [Benchmark]
    [BenchmarkCategory(Reflection)]
    public SlotResult ReflectionFinder() => _reflection.Find();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(FollowUp)]
    public int FollowUpSortMergeBound() => _bound.Run(_followUpFull.UserBusy, _followUpFull.ManagerBusy);

    /// <summary>No slot anywhere: walks all five horizon days, then the finder's two diagnostic searches.</summary>
    [Benchmark]
    [BenchmarkCategory(FollowUp)]
    public SlotResult FollowUpFinderCalendarFull() => _followUpFull.Find();

    /// <summary>The first fit is on the last horizon day: walks four full days before it.</summary>
    [Benchmark]
    [BenchmarkCategory(FollowUp)]
    public SlotResult FollowUpFinderLateSlot() => _followUpLate.Find();

    private static void Expect(SlotResult result, DateOnly? day, string what)
    {
        var actual = result.Slot is { } slot ? DateOnly.FromDateTime(slot.Start.DateTime) : (DateOnly?)null;
        var fine = day is null ? result.Reason == NoSlotReason.CalendarFull : actual == day;
        if (!fine)
        {
            throw new InvalidOperationException(
                $"Benchmark input no longer does what it is meant to ({what}); the finder returned {ReflectionScenario.Format(result)}.");
        }
    }
}

using BossTalkCalendar.Core.Calendar;
using static BossTalkCalendar.Core.Tests.Support.Zones;

namespace BossTalkCalendar.Core.Tests.Calendar;

public class WorkingTimeTests
{
    [Fact]
    public void Windows_ReturnsOneIntervalPerWorkingDay_ClippedToRange()
    {
        var hours = Hours(Berlin, "09:00", "17:00");
        var windows = WorkingTime.Windows(hours, Local(Berlin, "2025-06-20 12:00"), Local(Berlin, "2025-06-24 10:00")).ToList();
        Assert.Equal(
            new[]
            {
                new Interval(Local(Berlin, "2025-06-20 12:00"), Local(Berlin, "2025-06-20 17:00")),
                new Interval(Local(Berlin, "2025-06-23 09:00"), Local(Berlin, "2025-06-23 17:00")),
                new Interval(Local(Berlin, "2025-06-24 09:00"), Local(Berlin, "2025-06-24 10:00")),
            },
            windows);
    }

    [Fact]
    public void Windows_IsEmpty_WhenRangeIsEmptyOrHoursHaveNoTime()
    {
        var from = Local(Berlin, "2025-06-16 00:00");
        Assert.Empty(WorkingTime.Windows(Hours(Berlin, "09:00", "17:00"), from, from));
        Assert.Empty(WorkingTime.Windows(Hours(Berlin, "17:00", "09:00"), from, from.AddDays(7)));
        Assert.Empty(WorkingTime.Windows(Hours(Berlin, "09:00", "17:00", []), from, from.AddDays(7)));
    }

    [Fact]
    public void WindowOn_ReturnsNull_OnDayOff()
    {
        Assert.Null(WorkingTime.WindowOn(Hours(Berlin, "09:00", "17:00"), new DateOnly(2025, 6, 21)));
        Assert.Null(WorkingTime.WindowOn(Hours(Riyadh, "09:00", "17:00", SundayToThursday), new DateOnly(2025, 6, 20)));
        Assert.NotNull(WorkingTime.WindowOn(Hours(Riyadh, "09:00", "17:00", SundayToThursday), new DateOnly(2025, 6, 22)));
    }

    [Fact]
    public void WindowOn_EndsAtNextMidnight_WhenEndTimeIsMidnight()
    {
        var window = WorkingTime.WindowOn(Hours(Berlin, "18:00", "00:00"), new DateOnly(2025, 6, 16));
        Assert.Equal(new Interval(Local(Berlin, "2025-06-16 18:00"), Local(Berlin, "2025-06-17 00:00")), window);
    }

    [Fact]
    public void WindowOn_StartsAfterGap_WhenStartIsInSpringForwardGap()
    {
        var window = WorkingTime.WindowOn(Hours(Berlin, "02:30", "10:00", EveryDay), new DateOnly(2025, 3, 30));
        Assert.Equal(Utc("2025-03-30 01:00"), window!.Value.Start);
        Assert.Equal(Utc("2025-03-30 08:00"), window.Value.End);
    }

    [Fact]
    public void WindowOn_UsesEarlierInstantForStart_AndLaterForEnd_WhenTimesAreRepeated()
    {
        var startRepeated = WorkingTime.WindowOn(Hours(Berlin, "02:30", "10:00", EveryDay), new DateOnly(2025, 10, 26));
        Assert.Equal(Utc("2025-10-26 00:30"), startRepeated!.Value.Start);
        var endRepeated = WorkingTime.WindowOn(Hours(Berlin, "00:00", "02:30", EveryDay), new DateOnly(2025, 10, 26));
        Assert.Equal(Utc("2025-10-26 01:30"), endRepeated!.Value.End);
        Assert.Equal(TimeSpan.FromHours(3.5), endRepeated.Value.Duration);
    }

    /// <summary>The exact first instant of a repeated hour (Berlin 02:00 on 26 Oct) is repeated too: an end there is the later one.</summary>
    [Fact]
    public void WindowOn_UsesLaterInstantForEnd_WhenEndIsTheFirstRepeatedMinute()
    {
        var window = WorkingTime.WindowOn(Hours(Berlin, "01:30", "02:00", EveryDay), new DateOnly(2025, 10, 26));
        Assert.Equal(Utc("2025-10-25 23:30"), window!.Value.Start);
        Assert.Equal(Utc("2025-10-26 01:00"), window.Value.End);
        Assert.Equal(window.Value.End, Support.LocalTimeOracle.LastReaching(Berlin, new DateTime(2025, 10, 26, 2, 0, 0)));
    }

    [Fact]
    public void WindowOn_CountsRealHours_OnDaysWithClockChange()
    {
        var wholeDay = Hours(NewYork, "00:00", "00:00", EveryDay);
        Assert.Equal(TimeSpan.FromHours(23), WorkingTime.WindowOn(wholeDay, new DateOnly(2025, 3, 9))!.Value.Duration);
        Assert.Equal(TimeSpan.FromHours(25), WorkingTime.WindowOn(wholeDay, new DateOnly(2025, 11, 2))!.Value.Duration);
        Assert.Equal(TimeSpan.FromHours(24), WorkingTime.WindowOn(wholeDay, new DateOnly(2025, 6, 16))!.Value.Duration);
    }

    [Fact]
    public void WindowOn_IsNull_WhenWholeWindowFallsInGap()
    {
        Assert.Null(WorkingTime.WindowOn(Hours(Berlin, "02:10", "02:50", EveryDay), new DateOnly(2025, 3, 30)));
    }

    [Fact]
    public void HasWorkingTime_IsFalse_WhenEndIsBeforeStartOrNoDays()
    {
        Assert.False(WorkingTime.HasWorkingTime(Hours(Berlin, "17:00", "09:00")));
        Assert.False(WorkingTime.HasWorkingTime(Hours(Berlin, "09:00", "09:00")));
        Assert.False(WorkingTime.HasWorkingTime(Hours(Berlin, "09:00", "17:00", [])));
        Assert.True(WorkingTime.HasWorkingTime(Hours(Berlin, "00:00", "00:00")));
    }
}

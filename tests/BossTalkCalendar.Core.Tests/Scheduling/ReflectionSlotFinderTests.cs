using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Scheduling;
using static BossTalkCalendar.Core.Tests.Support.Zones;

namespace BossTalkCalendar.Core.Tests.Scheduling;

public partial class ReflectionSlotFinderTests
{
    // 2025-06-16 is a Monday; Berlin is on CEST (+02:00) all month.
    private static readonly WorkingHours BerlinOffice = Hours(Berlin, "09:00", "17:00");

    private static SlotResult FindBerlin(string meetingEnd, string now, params BusyInterval[] busy) =>
        ReflectionSlotFinder.Find(Local(Berlin, meetingEnd), Local(Berlin, now), BerlinOffice, busy, ReflectionPolicy.Default);

    private static void AssertSlot(SlotResult result, DateTimeOffset start, TimeSpan? duration = null)
    {
        Assert.True(result.Found, $"expected a slot, got {result.Reason}");
        Assert.Equal(NoSlotReason.None, result.Reason);
        Assert.Equal(start, result.Slot!.Value.Start);
        Assert.Equal(start + (duration ?? TimeSpan.FromMinutes(30)), result.Slot.Value.End);
    }

    [Fact]
    public void Find_StartsAfterCoolDown_WhenCalendarIsEmpty()
    {
        AssertSlot(FindBerlin("2025-06-16 10:00", "2025-06-16 10:00"), Local(Berlin, "2025-06-16 11:30"));
    }

    [Fact]
    public void Find_StartsAtNow_WhenNowIsAfterCoolDown()
    {
        AssertSlot(FindBerlin("2025-06-16 10:00", "2025-06-16 14:00"), Local(Berlin, "2025-06-16 14:00"));
    }

    [Fact]
    public void Find_RoundsUpToAlignment_WhenEarliestIsOffGrid()
    {
        AssertSlot(FindBerlin("2025-06-16 09:03", "2025-06-16 09:03"), Local(Berlin, "2025-06-16 10:35"));
    }

    [Fact]
    public void Find_SkipsLunchWindow_WhenBlockWouldOverlapIt()
    {
        AssertSlot(FindBerlin("2025-06-16 10:20", "2025-06-16 10:20"), Local(Berlin, "2025-06-16 13:00"));
    }

    [Fact]
    public void Find_UsesMorningSlot_WhenItEndsExactlyAtLunch()
    {
        AssertSlot(FindBerlin("2025-06-16 10:00", "2025-06-16 10:00"), Local(Berlin, "2025-06-16 11:30"));
    }

    [Fact]
    public void Find_KeepsBufferAfterBusyItem()
    {
        var result = FindBerlin("2025-06-16 13:00", "2025-06-16 13:00", Busy(Berlin, "2025-06-16 14:00", "2025-06-16 15:00"));
        AssertSlot(result, Local(Berlin, "2025-06-16 15:10"));
    }

    [Fact]
    public void Find_KeepsBufferBeforeBusyItem()
    {
        var result = FindBerlin("2025-06-16 13:00", "2025-06-16 13:00", Busy(Berlin, "2025-06-16 15:05", "2025-06-16 15:30"));
        AssertSlot(result, Local(Berlin, "2025-06-16 15:40"));
    }

    [Fact]
    public void Find_AllowsBufferToTouchBusyItem_BecauseIntervalsAreHalfOpen()
    {
        var result = FindBerlin("2025-06-16 13:00", "2025-06-16 13:00", Busy(Berlin, "2025-06-16 15:10", "2025-06-16 15:30"));
        AssertSlot(result, Local(Berlin, "2025-06-16 14:30"));
    }

    [Theory]
    [InlineData(ShowAs.Free)]
    [InlineData(ShowAs.WorkingElsewhere)]
    public void Find_IgnoresItem_WhenItDoesNotBlock(ShowAs status)
    {
        var result = FindBerlin("2025-06-16 13:00", "2025-06-16 13:00", Busy(Berlin, "2025-06-16 14:00", "2025-06-16 16:00", status));
        AssertSlot(result, Local(Berlin, "2025-06-16 14:30"));
    }

    [Theory]
    [InlineData(ShowAs.Busy)]
    [InlineData(ShowAs.Tentative)]
    [InlineData(ShowAs.Oof)]
    [InlineData(ShowAs.Unknown)]
    public void Find_AvoidsItem_WhenItBlocks(ShowAs status)
    {
        var result = FindBerlin("2025-06-16 13:00", "2025-06-16 13:00", Busy(Berlin, "2025-06-16 14:00", "2025-06-16 16:00", status));
        AssertSlot(result, Local(Berlin, "2025-06-16 16:10"));
    }

    [Fact]
    public void Find_IgnoresEmptyItems()
    {
        var result = FindBerlin("2025-06-16 13:00", "2025-06-16 13:00", Busy(Berlin, "2025-06-16 14:40", "2025-06-16 14:40"));
        AssertSlot(result, Local(Berlin, "2025-06-16 14:30"));
    }

    [Fact]
    public void Find_HandlesUnsortedOverlappingItems()
    {
        var result = FindBerlin(
            "2025-06-16 13:00",
            "2025-06-16 13:00",
            Busy(Berlin, "2025-06-16 15:00", "2025-06-16 15:45"),
            Busy(Berlin, "2025-06-16 14:00", "2025-06-16 14:50"),
            Busy(Berlin, "2025-06-16 14:30", "2025-06-16 15:10"),
            Busy(Berlin, "2025-06-16 16:25", "2025-06-16 17:00"),
            Busy(Berlin, "2025-06-16 14:10", "2025-06-16 14:20"));
        AssertSlot(result, Local(Berlin, "2025-06-17 09:00"));
    }

    [Fact]
    public void Find_UsesGapBetweenItems_WhenItFitsWithBuffers()
    {
        var result = FindBerlin(
            "2025-06-16 13:00",
            "2025-06-16 13:00",
            Busy(Berlin, "2025-06-16 16:00", "2025-06-16 17:00"),
            Busy(Berlin, "2025-06-16 14:00", "2025-06-16 15:00"));
        AssertSlot(result, Local(Berlin, "2025-06-16 15:10"));
    }

    [Fact]
    public void Find_MovesToNextWorkingDay_WhenCoolDownEndsAfterWork()
    {
        AssertSlot(FindBerlin("2025-06-16 16:00", "2025-06-16 16:00"), Local(Berlin, "2025-06-17 09:00"));
    }

    [Fact]
    public void Find_ReturnsCalendarFull_WhenBusyUntilHorizon()
    {
        var result = FindBerlin("2025-06-16 10:00", "2025-06-16 10:00", Busy(Berlin, "2025-06-16 08:00", "2025-06-17 18:00"));
        Assert.Equal(SlotResult.NotFound(NoSlotReason.CalendarFull), result);
    }

    [Fact]
    public void Find_StopsAtEndOfNextWorkingDay()
    {
        // Free on Wednesday, but the horizon for a Monday meeting ends on Tuesday evening.
        var result = FindBerlin("2025-06-16 10:00", "2025-06-16 10:00", Busy(Berlin, "2025-06-16 08:00", "2025-06-17 16:45"));
        Assert.Equal(NoSlotReason.CalendarFull, result.Reason);
    }

    [Fact]
    public void Find_UsesLastMinutesBeforeHorizon_WhenTheyFit()
    {
        var result = FindBerlin("2025-06-16 10:00", "2025-06-16 10:00", Busy(Berlin, "2025-06-16 08:00", "2025-06-17 16:20"));
        AssertSlot(result, Local(Berlin, "2025-06-17 16:30"));
    }

    [Fact]
    public void Find_ReturnsHorizonPassed_WhenNowIsAfterHorizon()
    {
        Assert.Equal(SlotResult.NotFound(NoSlotReason.HorizonPassed), FindBerlin("2025-06-16 10:00", "2025-06-18 08:00"));
    }

    [Fact]
    public void Find_ReturnsHorizonPassed_WhenNowIsExactlyHorizonEnd()
    {
        Assert.Equal(NoSlotReason.HorizonPassed, FindBerlin("2025-06-16 10:00", "2025-06-17 17:00").Reason);
    }

    [Fact]
    public void Find_ReturnsNoWorkingTime_WhenNoWorkingDays()
    {
        var hours = Hours(Berlin, "09:00", "17:00", []);
        var result = ReflectionSlotFinder.Find(Local(Berlin, "2025-06-16 10:00"), Local(Berlin, "2025-06-16 10:00"), hours, [], ReflectionPolicy.Default);
        Assert.Equal(SlotResult.NotFound(NoSlotReason.NoWorkingTimeInHorizon), result);
    }

    [Fact]
    public void Find_ReturnsNoWorkingTime_WhenWindowsAreShorterThanTheBlock()
    {
        var hours = Hours(Berlin, "09:00", "09:20");
        var result = ReflectionSlotFinder.Find(Local(Berlin, "2025-06-16 08:00"), Local(Berlin, "2025-06-16 08:00"), hours, [], ReflectionPolicy.Default);
        Assert.Equal(SlotResult.NotFound(NoSlotReason.NoWorkingTimeInHorizon), result);
    }

    [Fact]
    public void Find_ReturnsNoWorkingTime_WhenEndIsBeforeStart()
    {
        var hours = Hours(Berlin, "17:00", "09:00");
        var result = ReflectionSlotFinder.Find(Local(Berlin, "2025-06-16 08:00"), Local(Berlin, "2025-06-16 08:00"), hours, [], ReflectionPolicy.Default);
        Assert.Equal(NoSlotReason.NoWorkingTimeInHorizon, result.Reason);
    }

    [Fact]
    public void Find_PlacesMondayWithHorizonEndOfMonday_WhenMeetingEndsFridayEvening()
    {
        var meetingEnd = Local(Berlin, "2025-06-20 18:30");
        AssertSlot(ReflectionSlotFinder.Find(meetingEnd, meetingEnd, BerlinOffice, [], ReflectionPolicy.Default), Local(Berlin, "2025-06-23 09:00"));

        var mondayFull = Busy(Berlin, "2025-06-23 08:00", "2025-06-23 16:45");
        Assert.Equal(NoSlotReason.CalendarFull, ReflectionSlotFinder.Find(meetingEnd, meetingEnd, BerlinOffice, [mondayFull], ReflectionPolicy.Default).Reason);
    }

    [Fact]
    public void Find_UsesSundayToThursdayWeek()
    {
        var hours = Hours(Riyadh, "09:00", "17:00", SundayToThursday);
        var meetingEnd = Local(Riyadh, "2025-06-19 16:30"); // Thursday
        var result = ReflectionSlotFinder.Find(meetingEnd, meetingEnd, hours, [], ReflectionPolicy.Default);
        AssertSlot(result, Local(Riyadh, "2025-06-22 09:00")); // Sunday

        var sundayFull = Busy(Riyadh, "2025-06-22 08:00", "2025-06-22 18:00");
        Assert.Equal(NoSlotReason.CalendarFull, ReflectionSlotFinder.Find(meetingEnd, meetingEnd, hours, [sundayFull], ReflectionPolicy.Default).Reason);
    }

    [Fact]
    public void Find_TreatsFridayAsWeekend_InSundayToThursdayWeek()
    {
        var hours = Hours(Riyadh, "09:00", "17:00", SundayToThursday);
        var meetingEnd = Local(Riyadh, "2025-06-20 10:00"); // Friday, a day off
        AssertSlot(ReflectionSlotFinder.Find(meetingEnd, meetingEnd, hours, [], ReflectionPolicy.Default), Local(Riyadh, "2025-06-22 09:00"));
    }

    [Theory]
    [InlineData("W. Europe Standard Time", "Europe/Berlin")]
    [InlineData("Pacific Standard Time", "America/Los_Angeles")]
    public void Find_GivesSameSlot_ForWindowsAndIanaZoneNames(string windowsName, string ianaName)
    {
        var iana = TimeZones.FindByName(ianaName);
        var windows = Hours(TimeZones.FindByName(windowsName), "09:00", "17:00");
        var meetingEnd = Local(iana, "2025-06-16 10:00");
        var result = ReflectionSlotFinder.Find(meetingEnd, meetingEnd, windows, [], ReflectionPolicy.Default);
        AssertSlot(result, Local(iana, "2025-06-16 11:30"));
        Assert.Equal(iana.GetUtcOffset(result.Slot!.Value.Start), result.Slot.Value.Start.Offset);
    }

    [Fact]
    public void Find_UsesPacificTime_WhenZoneIsPacificStandardTime()
    {
        var hours = Hours(TimeZones.FindByName("Pacific Standard Time"), "08:00", "16:00");
        var meetingEnd = Utc("2025-06-16 22:00"); // 15:00 PDT
        var result = ReflectionSlotFinder.Find(meetingEnd, meetingEnd, hours, [], ReflectionPolicy.Default);
        AssertSlot(result, Utc("2025-06-17 15:00")); // Tuesday 08:00 PDT
    }

    [Fact]
    public void Find_UsesCustomZone_WithBiasAndDaylightOffsets()
    {
        var hours = Hours(TimeZones.Resolve(CentralEuropeSpec), "09:00", "17:00");
        var summer = ReflectionSlotFinder.Find(Utc("2025-06-16 08:00"), Utc("2025-06-16 08:00"), hours, [], ReflectionPolicy.Default);
        AssertSlot(summer, Utc("2025-06-16 09:30")); // 11:30 at +02:00
        var winter = ReflectionSlotFinder.Find(Utc("2025-01-13 09:00"), Utc("2025-01-13 09:00"), hours, [], ReflectionPolicy.Default);
        AssertSlot(winter, Utc("2025-01-13 10:30")); // 11:30 at +01:00
    }

    [Fact]
    public void Find_UsesIndiaStandardTime_AtPlusFiveThirty()
    {
        var hours = Hours(TimeZones.FindByName("India Standard Time"), "09:30", "18:00");
        var meetingEnd = Utc("2025-06-16 04:02"); // 09:32 IST
        var result = ReflectionSlotFinder.Find(meetingEnd, meetingEnd, hours, [], ReflectionPolicy.Default);
        AssertSlot(result, Utc("2025-06-16 05:35")); // 11:05 IST
        Assert.Equal(new TimeSpan(5, 30, 0), result.Slot!.Value.Start.Offset);
    }

    [Fact]
    public void Find_AlignsToLocalClock_WhenOffsetIsNotWholeHours()
    {
        var hours = Hours(Kathmandu, "09:00", "17:00");
        var meetingEnd = Utc("2025-06-16 03:46"); // 09:31 at +05:45
        var result = ReflectionSlotFinder.Find(meetingEnd, meetingEnd, hours, [], ReflectionPolicy.Default);
        AssertSlot(result, Utc("2025-06-16 05:20")); // 11:05 local, 05:20Z (not on a UTC :05 grid)
    }

    [Fact]
    public void Find_ExpressesSlotInWorkingHoursOffset()
    {
        var result = FindBerlin("2025-06-16 10:00", "2025-06-16 10:00");
        Assert.Equal(TimeSpan.FromHours(2), result.Slot!.Value.Start.Offset);
    }

    [Fact]
    public void Find_AcceptsNowWithAnyOffset()
    {
        var now = Local(Berlin, "2025-06-16 14:00").ToOffset(TimeSpan.FromHours(-7));
        var result = ReflectionSlotFinder.Find(Local(Berlin, "2025-06-16 10:00"), now, BerlinOffice, [], ReflectionPolicy.Default);
        AssertSlot(result, Local(Berlin, "2025-06-16 14:00"));
    }

    [Fact]
    public void Find_UsesPolicyDurationAndBuffer()
    {
        var policy = ReflectionPolicy.Default with { Duration = TimeSpan.FromMinutes(45), Buffer = TimeSpan.FromMinutes(20), CoolDown = TimeSpan.Zero };
        var busy = new[] { Busy(Berlin, "2025-06-16 14:00", "2025-06-16 14:30") };
        var result = ReflectionSlotFinder.Find(Local(Berlin, "2025-06-16 13:00"), Local(Berlin, "2025-06-16 13:00"), BerlinOffice, busy, policy);
        AssertSlot(result, Local(Berlin, "2025-06-16 14:50"), TimeSpan.FromMinutes(45));
    }

    [Fact]
    public void Find_Throws_WhenPolicyIsInvalid()
    {
        var policy = ReflectionPolicy.Default with { Duration = TimeSpan.FromHours(5) };
        Assert.Throws<ArgumentException>(() =>
            ReflectionSlotFinder.Find(Local(Berlin, "2025-06-16 10:00"), Local(Berlin, "2025-06-16 10:00"), BerlinOffice, [], policy));
    }

    [Fact]
    public void Find_MatchesOracle_WithTwoHundredShuffledItemsOverTwoWeeks()
    {
        // Items every 100 minutes for two weeks, 95 minutes long (5-minute gaps), plus one free hour on Tuesday.
        var random = new Random(7);
        var first = Local(Berlin, "2025-06-16 08:00");
        var hole = new Interval(Local(Berlin, "2025-06-17 14:00"), Local(Berlin, "2025-06-17 15:20"));
        var busy = Enumerable.Range(0, 200)
            .Select(i => Busy(first.AddMinutes(i * 100), first.AddMinutes((i * 100) + 95), i % 7 == 0 ? ShowAs.Tentative : ShowAs.Busy))
            .Where(item => !item.Interval.Overlaps(hole))
            .OrderBy(_ => random.Next())
            .ToArray();
        var meetingEnd = Local(Berlin, "2025-06-16 10:00");

        var result = ReflectionSlotFinder.Find(meetingEnd, meetingEnd, BerlinOffice, busy, ReflectionPolicy.Default);

        Assert.True(result.Found);
        Assert.True(hole.Contains(result.Slot!.Value));
        Assert.Equal(Support.ReflectionOracle.Find(meetingEnd, meetingEnd, BerlinOffice, busy, ReflectionPolicy.Default), result);
    }
}

using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Scheduling;
using static BossTalkCalendar.Core.Tests.Support.Zones;

namespace BossTalkCalendar.Core.Tests.Scheduling;

public partial class ReflectionSlotFinderTests
{
    // Europe/Berlin: 2025-03-30 02:00 CET → 03:00 CEST (01:00Z); 2025-10-26 03:00 CEST → 02:00 CET (01:00Z).
    // America/New_York: 2025-03-09 02:00 EST → 03:00 EDT (07:00Z); 2025-11-02 02:00 EDT → 01:00 EST (06:00Z).
    private static SlotResult FindEveryDay(TimeZoneInfo zone, string start, string end, DateTimeOffset meetingEnd, params BusyInterval[] busy) =>
        ReflectionSlotFinder.Find(meetingEnd, meetingEnd, Hours(zone, start, end, EveryDay), busy, ReflectionPolicy.Default);

    [Fact]
    public void Find_UsesSummerOffset_OnBerlinSpringForwardDay()
    {
        var result = FindEveryDay(Berlin, "09:00", "17:00", Utc("2025-03-29 15:00"));
        AssertSlot(result, Utc("2025-03-30 07:00"));
        Assert.Equal(TimeSpan.FromHours(2), result.Slot!.Value.Start.Offset);
    }

    [Fact]
    public void Find_StartsAfterGap_WhenBerlinWorkingDayStartsInsideIt()
    {
        AssertSlot(FindEveryDay(Berlin, "02:30", "10:00", Utc("2025-03-29 11:00")), Utc("2025-03-30 01:00"));
    }

    [Fact]
    public void Find_CountsRealMinutes_WhenBerlinDayIsShortened()
    {
        // 00:00–04:00 local on the spring-forward day is only three real hours (23:00Z–02:00Z).
        var meetingEnd = Utc("2025-03-29 19:00");
        AssertSlot(FindEveryDay(Berlin, "00:00", "04:00", meetingEnd, Busy(Utc("2025-03-29 23:00"), Utc("2025-03-30 01:10"))), Utc("2025-03-30 01:20"));
        Assert.Equal(NoSlotReason.CalendarFull, FindEveryDay(Berlin, "00:00", "04:00", meetingEnd, Busy(Utc("2025-03-29 23:00"), Utc("2025-03-30 01:21"))).Reason);
    }

    [Fact]
    public void Find_AppliesCoolDownInRealTime_AcrossSpringForward()
    {
        // Ends 01:30 CET; 90 real minutes later the wall clock reads 04:00 CEST.
        AssertSlot(FindEveryDay(Berlin, "00:00", "00:00", Utc("2025-03-30 00:30")), Utc("2025-03-30 02:00"));
    }

    [Fact]
    public void Find_UsesWinterOffset_OnBerlinFallBackDay()
    {
        var result = FindEveryDay(Berlin, "09:00", "17:00", Utc("2025-10-25 14:00"));
        AssertSlot(result, Utc("2025-10-26 08:00"));
        Assert.Equal(TimeSpan.FromHours(1), result.Slot!.Value.Start.Offset);
    }

    [Fact]
    public void Find_StartsAtEarlierInstant_WhenBerlinWorkingDayStartsInRepeatedHour()
    {
        AssertSlot(FindEveryDay(Berlin, "02:30", "06:00", Utc("2025-10-25 10:00")), Utc("2025-10-26 00:30"));
    }

    [Fact]
    public void Find_EndsAtLaterInstant_WhenBerlinWorkingDayEndsInRepeatedHour()
    {
        // The window 00:00–02:30 lasts until the second 02:30 (01:30Z); the last slot starts at 02:00 CET.
        var busy = Busy(Utc("2025-10-25 22:00"), Utc("2025-10-26 00:50"));
        var result = FindEveryDay(Berlin, "00:00", "02:30", Utc("2025-10-25 18:00"), busy);
        AssertSlot(result, Utc("2025-10-26 01:00"));
        Assert.Equal(TimeSpan.FromHours(1), result.Slot!.Value.Start.Offset);
    }

    [Fact]
    public void Find_PlacesMondayInWinterTime_WhenBerlinClocksChangeOverTheWeekend()
    {
        var result = ReflectionSlotFinder.Find(Utc("2025-10-24 14:00"), Utc("2025-10-24 14:00"), BerlinOffice, [], ReflectionPolicy.Default);
        AssertSlot(result, Utc("2025-10-27 08:00"));
    }

    [Fact]
    public void Find_UsesSummerOffset_OnNewYorkSpringForwardDay()
    {
        AssertSlot(FindEveryDay(NewYork, "09:00", "17:00", Utc("2025-03-08 21:00")), Utc("2025-03-09 13:00"));
    }

    [Fact]
    public void Find_StartsAfterGap_WhenNewYorkWorkingDayStartsInsideIt()
    {
        AssertSlot(FindEveryDay(NewYork, "02:15", "08:00", Utc("2025-03-08 15:00")), Utc("2025-03-09 07:00"));
    }

    [Fact]
    public void Find_UsesWinterOffset_OnNewYorkFallBackDay()
    {
        AssertSlot(FindEveryDay(NewYork, "09:00", "17:00", Utc("2025-11-01 20:00")), Utc("2025-11-02 14:00"));
    }

    [Fact]
    public void Find_StartsAtEarlierInstant_WhenNewYorkWorkingDayStartsInRepeatedHour()
    {
        AssertSlot(FindEveryDay(NewYork, "01:30", "08:00", Utc("2025-11-01 14:00")), Utc("2025-11-02 05:30"));
    }

    [Fact]
    public void Find_KeepsLocalAlignment_AcrossChathamDaylightChange()
    {
        // Pacific/Chatham moves from +12:45 to +13:45 at 02:45 local on 2025-09-28 (2025-09-27 14:00Z).
        var result = FindEveryDay(Chatham, "00:00", "00:00", Utc("2025-09-27 12:32"));
        AssertSlot(result, Utc("2025-09-27 14:05")); // 03:50 local, on the :05 grid at +13:45
    }
}

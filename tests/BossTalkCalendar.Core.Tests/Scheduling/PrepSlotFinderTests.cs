using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Scheduling;
using static BossTalkCalendar.Core.Tests.Support.Zones;

namespace BossTalkCalendar.Core.Tests.Scheduling;

public partial class PrepSlotFinderTests
{
    // 2025-06-16 is a Monday; Berlin is on CEST (+02:00) all month. Defaults: 15 min, ends 30 min before, 10 min buffer.
    private static readonly WorkingHours BerlinOffice = Hours(Berlin, "09:00", "17:00");
    private static readonly WorkingHours RiyadhOffice = Hours(Riyadh, "09:00", "17:00", SundayToThursday);

    private static SlotResult FindBerlin(string nextMeetingStart, string now, params BusyInterval[] busy) =>
        PrepSlotFinder.Find(Local(Berlin, nextMeetingStart), Local(Berlin, now), BerlinOffice, busy, PrepPolicy.Default);

    private static void AssertSlot(SlotResult result, DateTimeOffset start, TimeSpan? duration = null)
    {
        Assert.True(result.Found, $"expected a slot, got {result.Reason}");
        Assert.Equal(NoSlotReason.None, result.Reason);
        Assert.Equal(start, result.Slot!.Value.Start);
        Assert.Equal(start + (duration ?? TimeSpan.FromMinutes(15)), result.Slot.Value.End);
    }

    [Fact]
    public void Default_MatchesDesignDefaults_AndIsValid()
    {
        var policy = PrepPolicy.Default;
        Assert.Equal(TimeSpan.FromMinutes(15), policy.Duration);
        Assert.Equal(TimeSpan.FromMinutes(30), policy.MinLead);
        Assert.Equal(TimeSpan.FromMinutes(10), policy.Buffer);
        Assert.Equal(new TimeOnly(12, 0), policy.LunchStart);
        Assert.Equal(new TimeOnly(13, 0), policy.LunchEnd);
        Assert.Equal(TimeSpan.FromMinutes(5), policy.Alignment);
        Assert.Empty(policy.Validate());
    }

    [Theory]
    [InlineData(nameof(PrepPolicy.Duration), 4)]
    [InlineData(nameof(PrepPolicy.Duration), 61)]
    [InlineData(nameof(PrepPolicy.MinLead), -1)]
    [InlineData(nameof(PrepPolicy.MinLead), 241)]
    [InlineData(nameof(PrepPolicy.Buffer), -1)]
    [InlineData(nameof(PrepPolicy.Buffer), 241)]
    [InlineData(nameof(PrepPolicy.Alignment), 7)]
    [InlineData(nameof(PrepPolicy.LunchEnd), 0)]
    public void Validate_NamesTheProblem_WhenAValueIsOutOfRange(string property, int minutes)
    {
        var value = TimeSpan.FromMinutes(minutes);
        var policy = property switch
        {
            nameof(PrepPolicy.Duration) => PrepPolicy.Default with { Duration = value },
            nameof(PrepPolicy.MinLead) => PrepPolicy.Default with { MinLead = value },
            nameof(PrepPolicy.Buffer) => PrepPolicy.Default with { Buffer = value },
            nameof(PrepPolicy.Alignment) => PrepPolicy.Default with { Alignment = value },
            _ => PrepPolicy.Default with { LunchStart = new TimeOnly(13, 0), LunchEnd = new TimeOnly(12, 0) },
        };

        var error = Assert.Single(policy.Validate());
        Assert.Contains(property, error, StringComparison.Ordinal);
        var thrown = Assert.Throws<ArgumentException>(() => PrepSlotFinder.Find(Local(Berlin, "2025-06-16 10:00"), Local(Berlin, "2025-06-12 10:00"), BerlinOffice, [], policy));
        Assert.Contains(property, thrown.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5, 0, 0)]
    [InlineData(60, 240, 240)]
    public void Validate_AcceptsTheLimits(int duration, int minLead, int buffer)
    {
        var policy = PrepPolicy.Default with
        {
            Duration = TimeSpan.FromMinutes(duration),
            MinLead = TimeSpan.FromMinutes(minLead),
            Buffer = TimeSpan.FromMinutes(buffer),
        };
        Assert.Empty(policy.Validate());
    }

    [Fact]
    public void Find_TakesTheLatestSlot_OnTheMeetingMorning()
    {
        AssertSlot(FindBerlin("2025-06-16 10:00", "2025-06-12 10:00"), Local(Berlin, "2025-06-16 09:15"));
    }

    [Fact]
    public void Find_FallsBackToFriday_WhenMondayMorningIsBusy()
    {
        var result = FindBerlin("2025-06-16 10:00", "2025-06-12 10:00", Busy(Berlin, "2025-06-16 08:00", "2025-06-16 10:00"));
        AssertSlot(result, Local(Berlin, "2025-06-13 16:45"));
    }

    [Fact]
    public void Find_TakesFriday_WhenTheMondayMeetingIsAtTheStartOfTheDay()
    {
        // Ending 30 minutes before 09:00 is before Monday's window opens.
        AssertSlot(FindBerlin("2025-06-16 09:00", "2025-06-12 10:00"), Local(Berlin, "2025-06-13 16:45"));
    }

    [Fact]
    public void Find_NeverGoesBackBeyondThePreviousWorkingDay()
    {
        // Thursday is free, but a Monday meeting may only be prepared on Friday or Monday.
        var result = FindBerlin("2025-06-16 10:00", "2025-06-11 10:00", Busy(Berlin, "2025-06-13 08:00", "2025-06-16 10:00"));
        Assert.Equal(SlotResult.NotFound(NoSlotReason.CalendarFull), result);
        Assert.Equal(Local(Berlin, "2025-06-13 09:00"), PrepSlotFinder.WindowStart(Local(Berlin, "2025-06-16 10:00"), BerlinOffice));
    }

    [Fact]
    public void Find_UsesTheWholeFriday_DownToItsFirstMinute()
    {
        var result = FindBerlin("2025-06-16 10:00", "2025-06-11 10:00", Busy(Berlin, "2025-06-13 09:25", "2025-06-16 10:00"));
        AssertSlot(result, Local(Berlin, "2025-06-13 09:00"));
    }

    [Fact]
    public void Find_TakesFriday_WhenTheMeetingIsOnASaturday()
    {
        AssertSlot(FindBerlin("2025-06-21 10:00", "2025-06-18 10:00"), Local(Berlin, "2025-06-20 16:45"));
    }

    [Fact]
    public void Find_UsesSundayToThursdayWeek()
    {
        var meeting = Local(Riyadh, "2025-06-22 10:00"); // Sunday
        var now = Local(Riyadh, "2025-06-17 10:00");
        AssertSlot(PrepSlotFinder.Find(meeting, now, RiyadhOffice, [], PrepPolicy.Default), Local(Riyadh, "2025-06-22 09:15"));

        var sundayMorning = Busy(Riyadh, "2025-06-22 08:00", "2025-06-22 10:00");
        AssertSlot(PrepSlotFinder.Find(meeting, now, RiyadhOffice, [sundayMorning], PrepPolicy.Default), Local(Riyadh, "2025-06-19 16:45")); // Thursday

        // Friday and Saturday are the weekend, and Wednesday is too early.
        var thursdayToSunday = Busy(Riyadh, "2025-06-19 08:00", "2025-06-22 10:00");
        Assert.Equal(NoSlotReason.CalendarFull, PrepSlotFinder.Find(meeting, now, RiyadhOffice, [thursdayToSunday], PrepPolicy.Default).Reason);
        Assert.Equal(Local(Riyadh, "2025-06-19 09:00"), PrepSlotFinder.WindowStart(meeting, RiyadhOffice));
    }

    [Fact]
    public void Find_KeepsFridayOffset_WhenBerlinClocksSpringForwardOverTheWeekend()
    {
        // Friday 2025-03-28 is CET (+01:00), Monday 2025-03-31 is CEST (+02:00).
        var meeting = Local(Berlin, "2025-03-31 10:00");
        var busy = Busy(Berlin, "2025-03-31 08:00", "2025-03-31 10:00");
        var result = PrepSlotFinder.Find(meeting, Utc("2025-03-26 12:00"), BerlinOffice, [busy], PrepPolicy.Default);
        AssertSlot(result, Utc("2025-03-28 15:45"));
        Assert.Equal(TimeSpan.FromHours(1), result.Slot!.Value.Start.Offset);
        Assert.Equal(Utc("2025-03-28 08:00"), PrepSlotFinder.WindowStart(meeting, BerlinOffice));
        Assert.Equal(TimeSpan.FromHours(1), PrepSlotFinder.WindowStart(meeting, BerlinOffice)!.Value.Offset);
    }

    [Fact]
    public void Find_KeepsFridayOffset_WhenBerlinClocksFallBackOverTheWeekend()
    {
        // Friday 2025-10-24 is CEST (+02:00), Monday 2025-10-27 is CET (+01:00).
        var meeting = Local(Berlin, "2025-10-27 10:00");
        var busy = Busy(Berlin, "2025-10-27 08:00", "2025-10-27 10:00");
        var result = PrepSlotFinder.Find(meeting, Utc("2025-10-22 12:00"), BerlinOffice, [busy], PrepPolicy.Default);
        AssertSlot(result, Utc("2025-10-24 14:45"));
        Assert.Equal(TimeSpan.FromHours(2), result.Slot!.Value.Start.Offset);
        AssertSlot(PrepSlotFinder.Find(meeting, Utc("2025-10-22 12:00"), BerlinOffice, [], PrepPolicy.Default), Utc("2025-10-27 08:15"));
    }

    [Fact]
    public void Find_UsesNewYorkFriday_WhenMondayMeetingFollowsSpringForward()
    {
        var hours = Hours(NewYork, "09:00", "17:00");
        var result = PrepSlotFinder.Find(Utc("2025-03-10 13:00"), Utc("2025-03-05 12:00"), hours, [], PrepPolicy.Default); // Monday 09:00 EDT
        AssertSlot(result, Utc("2025-03-07 21:45")); // Friday 16:45 EST
        Assert.Equal(TimeSpan.FromHours(-5), result.Slot!.Value.Start.Offset);
    }

    [Fact]
    public void Find_UsesTheHourBeforeTheGap_OnBerlinSpringForwardDay()
    {
        // Every day 00:00–04:00; Monday is full, so Sunday 2025-03-30 (02:00 CET → 03:00 CEST at 01:00Z) is used.
        var hours = Hours(Berlin, "00:00", "04:00", EveryDay);
        var meeting = Local(Berlin, "2025-03-31 10:00");
        var monday = Busy(Utc("2025-03-30 21:00"), Utc("2025-03-31 03:00"));
        var now = Utc("2025-03-28 12:00");
        AssertSlot(PrepSlotFinder.Find(meeting, now, hours, [monday], PrepPolicy.Default), Utc("2025-03-30 01:45")); // 03:45 CEST

        var late = Busy(Utc("2025-03-30 00:50"), Utc("2025-03-30 02:00")); // 01:50 CET to 04:00 CEST
        var result = PrepSlotFinder.Find(meeting, now, hours, [monday, late], PrepPolicy.Default);
        AssertSlot(result, Utc("2025-03-30 00:25")); // 01:25 CET
        Assert.Equal(TimeSpan.FromHours(1), result.Slot!.Value.Start.Offset);
        Assert.Equal(Utc("2025-03-29 23:00"), PrepSlotFinder.WindowStart(meeting, hours));
    }

    [Fact]
    public void Find_UsesTheRepeatedHour_OnBerlinFallBackDay()
    {
        // Every day 00:00–02:30; on Sunday 2025-10-26 the window lasts until the second 02:30 (01:30Z).
        var hours = Hours(Berlin, "00:00", "02:30", EveryDay);
        var meeting = Local(Berlin, "2025-10-27 10:00");
        var monday = Busy(Utc("2025-10-26 22:00"), Utc("2025-10-27 03:00"));
        var result = PrepSlotFinder.Find(meeting, Utc("2025-10-24 12:00"), hours, [monday], PrepPolicy.Default);
        AssertSlot(result, Utc("2025-10-26 01:15")); // the second 02:15, in CET
        Assert.Equal(TimeSpan.FromHours(1), result.Slot!.Value.Start.Offset);
    }

    [Fact]
    public void Find_AlignsToTheOffsetBeforeAHalfHourChange_OnLordHoweFallBackDay()
    {
        // Australia/Lord_Howe: 2025-04-06 02:00 +11:00 → 01:30 +10:30 (2025-04-05 15:00Z). With whole-hour starts,
        // the grid before the change is xx:00Z and after it xx:30Z.
        var zone = TimeZones.FindByName("Australia/Lord_Howe");
        var hours = Hours(zone, "00:00", "04:00", EveryDay);
        var policy = PrepPolicy.Default with { Alignment = TimeSpan.FromHours(1), MinLead = TimeSpan.Zero, Buffer = TimeSpan.Zero };
        var meeting = Utc("2025-04-06 14:00"); // Monday 2025-04-07 00:30 local
        var busy = new[] { Busy(Utc("2025-04-05 14:50"), Utc("2025-04-06 14:00")) };
        var result = PrepSlotFinder.Find(meeting, Utc("2025-04-03 00:00"), hours, busy, policy);
        AssertSlot(result, Utc("2025-04-05 14:00")); // 01:00 at +11:00
        Assert.Equal(TimeSpan.FromHours(11), result.Slot!.Value.Start.Offset);

        // Without the busy item: Monday 00:00 at +10:30.
        AssertSlot(PrepSlotFinder.Find(meeting, Utc("2025-04-03 00:00"), hours, [], policy), Utc("2025-04-06 13:30"));
    }

    [Fact]
    public void Find_SkipsLunch()
    {
        AssertSlot(FindBerlin("2025-06-17 13:10", "2025-06-16 10:00"), Local(Berlin, "2025-06-17 11:45"));
        AssertSlot(FindBerlin("2025-06-17 13:45", "2025-06-16 10:00"), Local(Berlin, "2025-06-17 13:00"));
    }

    [Fact]
    public void Find_KeepsBufferAroundBusyItems()
    {
        AssertSlot(FindBerlin("2025-06-16 11:00", "2025-06-12 10:00", Busy(Berlin, "2025-06-16 10:20", "2025-06-16 10:40")), Local(Berlin, "2025-06-16 09:55"));
        AssertSlot(FindBerlin("2025-06-16 11:00", "2025-06-12 10:00", Busy(Berlin, "2025-06-16 09:00", "2025-06-16 10:05")), Local(Berlin, "2025-06-16 10:15"));
        AssertSlot(FindBerlin("2025-06-16 11:00", "2025-06-12 10:00", Busy(Berlin, "2025-06-16 09:00", "2025-06-16 10:06")), Local(Berlin, "2025-06-13 16:45"));
    }

    [Theory]
    [InlineData(ShowAs.Free)]
    [InlineData(ShowAs.WorkingElsewhere)]
    public void Find_IgnoresItem_WhenItDoesNotBlock(ShowAs status)
    {
        var result = FindBerlin("2025-06-16 11:00", "2025-06-12 10:00", Busy(Berlin, "2025-06-16 08:00", "2025-06-16 11:00", status));
        AssertSlot(result, Local(Berlin, "2025-06-16 10:15"));
    }

    [Fact]
    public void Find_StartsAtNow_WhenNowIsTheLatestPossibleStart()
    {
        AssertSlot(FindBerlin("2025-06-16 10:00", "2025-06-16 09:15"), Local(Berlin, "2025-06-16 09:15"));
    }

    [Fact]
    public void Find_ReturnsHorizonPassed_WhenNowIsTooLate()
    {
        Assert.Equal(SlotResult.NotFound(NoSlotReason.HorizonPassed), FindBerlin("2025-06-16 10:00", "2025-06-16 09:16"));
        Assert.Equal(SlotResult.NotFound(NoSlotReason.HorizonPassed), FindBerlin("2025-06-16 10:00", "2025-06-16 11:00"));
    }

    [Fact]
    public void Find_ReturnsCalendarFull_WhenNowIsAfterFridayAndMondayMorningIsBusy()
    {
        var result = FindBerlin("2025-06-16 10:00", "2025-06-13 17:00", Busy(Berlin, "2025-06-16 08:00", "2025-06-16 10:00"));
        Assert.Equal(SlotResult.NotFound(NoSlotReason.CalendarFull), result);
    }

    [Fact]
    public void Find_ReturnsCalendarFull_WhenEverythingIsBusy()
    {
        var result = FindBerlin("2025-06-16 10:00", "2025-06-12 10:00", Busy(Berlin, "2025-06-13 08:00", "2025-06-16 12:00", ShowAs.Tentative));
        Assert.Equal(SlotResult.NotFound(NoSlotReason.CalendarFull), result);
    }

    [Fact]
    public void Find_ReturnsNoWorkingTime_WhenTheHoursHaveNone()
    {
        var meeting = Local(Berlin, "2025-06-16 10:00");
        var now = Local(Berlin, "2025-06-12 10:00");
        Assert.Equal(NoSlotReason.NoWorkingTimeInHorizon, PrepSlotFinder.Find(meeting, now, Hours(Berlin, "09:00", "17:00", []), [], PrepPolicy.Default).Reason);
        Assert.Equal(NoSlotReason.NoWorkingTimeInHorizon, PrepSlotFinder.Find(meeting, now, Hours(Berlin, "17:00", "09:00"), [], PrepPolicy.Default).Reason);
        Assert.Null(PrepSlotFinder.WindowStart(meeting, Hours(Berlin, "09:00", "17:00", [])));

        // Windows shorter than the block: no slot whatever the calendar says, and the reason says so.
        Assert.Equal(NoSlotReason.NoWorkingTimeInHorizon, PrepSlotFinder.Find(meeting, now, Hours(Berlin, "09:00", "09:10"), [], PrepPolicy.Default).Reason);
    }

    [Fact]
    public void Find_ReturnsNoWorkingTime_WhenOnlyWorkingTimeLeftIsBeforeNow()
    {
        // Now is Monday 08:00: Friday is gone and Monday's window opens after the latest end.
        var result = FindBerlin("2025-06-16 09:20", "2025-06-16 08:00");
        Assert.Equal(SlotResult.NotFound(NoSlotReason.NoWorkingTimeInHorizon), result);
    }

    [Fact]
    public void Find_ExpressesSlotInWorkingHoursOffset_AndEndsBeforeTheLead()
    {
        var meeting = Local(Berlin, "2025-06-16 10:00").ToOffset(TimeSpan.FromHours(-7));
        var result = PrepSlotFinder.Find(meeting, Utc("2025-06-12 10:00"), BerlinOffice, [], PrepPolicy.Default);
        Assert.Equal(TimeSpan.FromHours(2), result.Slot!.Value.Start.Offset);
        Assert.True(result.Slot.Value.End <= meeting - PrepPolicy.Default.MinLead);
        Assert.Equal(Local(Berlin, "2025-06-16 09:30"), result.Slot.Value.End);
    }

    [Fact]
    public void Find_UsesPolicyDurationLeadAndAlignment()
    {
        var policy = PrepPolicy.Default with { Duration = TimeSpan.FromMinutes(40), MinLead = TimeSpan.Zero, Alignment = TimeSpan.FromMinutes(15), Buffer = TimeSpan.Zero };
        var result = PrepSlotFinder.Find(Local(Berlin, "2025-06-16 10:50"), Local(Berlin, "2025-06-12 10:00"), BerlinOffice, [], policy);
        AssertSlot(result, Local(Berlin, "2025-06-16 10:00"), TimeSpan.FromMinutes(40));
    }

    [Fact]
    public void Find_AlignsToLocalClock_WhenOffsetIsNotWholeHours()
    {
        var hours = Hours(Kathmandu, "09:00", "17:00");
        var meeting = Utc("2025-06-16 05:07"); // Monday 10:52 at +05:45
        var result = PrepSlotFinder.Find(meeting, Utc("2025-06-12 05:00"), hours, [], PrepPolicy.Default);
        AssertSlot(result, Utc("2025-06-16 04:20")); // 10:05 local, ends 10:20 local (latest end 10:22)
    }

    [Fact]
    public void Find_MatchesOracle_WithManyShuffledItems()
    {
        // Items every 50 minutes, 45 minutes long (too short a gap with buffers), with one free hour on Friday.
        var random = new Random(11);
        var first = Local(Berlin, "2025-06-12 08:00");
        var hole = new Interval(Local(Berlin, "2025-06-13 14:00"), Local(Berlin, "2025-06-13 15:30"));
        var busy = Enumerable.Range(0, 150)
            .Select(i => Busy(first.AddMinutes(i * 50), first.AddMinutes((i * 50) + 45), i % 5 == 0 ? ShowAs.Oof : ShowAs.Busy))
            .Where(item => !item.Interval.Overlaps(hole))
            .OrderBy(_ => random.Next())
            .ToArray();
        var meeting = Local(Berlin, "2025-06-16 10:00");
        var now = Local(Berlin, "2025-06-12 10:00");

        var result = PrepSlotFinder.Find(meeting, now, BerlinOffice, busy, PrepPolicy.Default);

        Assert.True(result.Found);
        Assert.True(hole.Contains(result.Slot!.Value));
        Assert.Equal(Support.PrepOracle.Find(meeting, now, BerlinOffice, busy, PrepPolicy.Default), result);
    }
}

using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Scheduling;
using static BossTalkCalendar.Core.Tests.Support.Zones;

namespace BossTalkCalendar.Core.Tests.Scheduling;

public partial class FollowUpSlotFinderTests
{
    // 2025-06-16 is a Monday. Unless a test says otherwise both people work 09:00–17:00 Monday–Friday in Berlin.
    private static readonly WorkingHours BerlinOffice = Hours(Berlin, "09:00", "17:00");
    private static readonly TimeSpan Casual = FollowUpPolicy.Default.CasualDuration;
    private static readonly TimeSpan Formal = FollowUpPolicy.Default.FormalDuration;

    private static SlotResult FindBerlin(
        string meetingEnd,
        BusyInterval[]? userBusy = null,
        BusyInterval[]? managerBusy = null,
        FollowUpPolicy? policy = null,
        TimeSpan? duration = null,
        WorkingHours? user = null,
        string? now = null) =>
        FollowUpSlotFinder.Find(
            Local(Berlin, meetingEnd),
            Local(Berlin, now ?? meetingEnd),
            duration ?? Casual,
            user ?? BerlinOffice,
            userBusy ?? [],
            BerlinOffice,
            managerBusy ?? [],
            policy ?? FollowUpPolicy.Default);

    private static void AssertSlot(SlotResult result, DateTimeOffset start, TimeSpan duration)
    {
        Assert.True(result.Found, $"expected a slot, got {result.Reason}");
        Assert.Equal(new Interval(start, start + duration), result.Slot);
    }

    /// <summary>Meetings every hour at :00–:50 on the given Berlin dates, leaving only 10-minute gaps.</summary>
    private static IEnumerable<BusyInterval> TenMinuteGaps(string date, int fromHour = 9, int toHour = 17)
    {
        for (var hour = fromHour; hour < toHour; hour++)
        {
            yield return Busy(Berlin, $"{date} {hour:00}:00", $"{date} {hour:00}:50");
        }
    }

    [Fact]
    public void DurationFor_GivesTenAndTwentyMinutes_ForCasualAndFormal()
    {
        Assert.Equal(TimeSpan.FromMinutes(10), FollowUpPolicy.Default.DurationFor(FollowUpTone.Casual));
        Assert.Equal(TimeSpan.FromMinutes(20), FollowUpPolicy.Default.DurationFor(FollowUpTone.Formal));
        Assert.Throws<ArgumentOutOfRangeException>(() => FollowUpPolicy.Default.DurationFor(FollowUpTone.Skip));
    }

    [Fact]
    public void Find_UsesShortOverlap_WhenUserIsInBerlinAndManagerInLosAngeles()
    {
        // User 09:00–18:00 Berlin (07:00Z–16:00Z), manager 07:00–16:00 Los Angeles (14:00Z–23:00Z): two common hours,
        // of which the manager's first half hour is off limits. An hour after the manager's day starts scores best.
        var user = Hours(Berlin, "09:00", "18:00");
        var manager = Hours(LosAngeles, "07:00", "16:00");
        var meetingEnd = Utc("2025-06-16 17:00");
        var result = FollowUpSlotFinder.Find(meetingEnd, meetingEnd, Casual, user, [], manager, [], FollowUpPolicy.Default);
        AssertSlot(result, Utc("2025-06-17 15:00"), Casual);
        Assert.Equal(TimeSpan.FromHours(2), result.Slot!.Value.Start.Offset);
    }

    [Fact]
    public void Find_UsesLateEndOfShortOverlap_WhenEarlierPartIsBusy()
    {
        var user = Hours(Berlin, "09:00", "18:00");
        var manager = Hours(LosAngeles, "07:00", "16:00");
        var meetingEnd = Utc("2025-06-16 17:00");
        var managerBusy = new[] { Busy(Utc("2025-06-17 14:00"), Utc("2025-06-17 15:20")) };
        var result = FollowUpSlotFinder.Find(meetingEnd, meetingEnd, Formal, user, [], manager, managerBusy, FollowUpPolicy.Default);
        // Free from 15:20Z; starts 15:35Z and 15:40Z fit before the user's day ends, the later one has more room before it.
        AssertSlot(result, Utc("2025-06-17 15:40"), Formal);
    }

    [Fact]
    public void Find_ReturnsNoCommonWorkingTime_WhenHoursNeverOverlap()
    {
        var manager = Hours(LosAngeles, "09:00", "17:00");
        var meetingEnd = Utc("2025-06-16 17:00");
        var result = FollowUpSlotFinder.Find(meetingEnd, meetingEnd, Casual, BerlinOffice, [], manager, [], FollowUpPolicy.Default);
        Assert.Equal(SlotResult.NotFound(NoSlotReason.NoCommonWorkingTime), result);
    }

    [Fact]
    public void Find_SkipsManagersOutOfOfficeDays()
    {
        var oof = new[]
        {
            Busy(Berlin, "2025-06-17 00:00", "2025-06-18 00:00", ShowAs.Oof),
            Busy(Berlin, "2025-06-18 00:00", "2025-06-19 00:00", ShowAs.Oof),
            Busy(Berlin, "2025-06-19 00:00", "2025-06-20 00:00", ShowAs.Oof),
        };
        AssertSlot(FindBerlin("2025-06-16 10:00", managerBusy: oof), Local(Berlin, "2025-06-20 10:00"), Casual);
    }

    [Fact]
    public void Find_BlocksWholeDay_WhenManagerIsOutOfOfficeForPartOfIt()
    {
        var oof = new[] { Busy(Berlin, "2025-06-17 15:00", "2025-06-17 16:00", ShowAs.Oof) };
        AssertSlot(FindBerlin("2025-06-16 10:00", managerBusy: oof), Local(Berlin, "2025-06-18 10:00"), Casual);
    }

    [Fact]
    public void Find_DoesNotBlockWholeDay_WhenUserIsOutOfOfficeForPartOfIt()
    {
        var oof = new[] { Busy(Berlin, "2025-06-17 15:00", "2025-06-17 16:00", ShowAs.Oof) };
        AssertSlot(FindBerlin("2025-06-16 10:00", userBusy: oof), Local(Berlin, "2025-06-17 10:00"), Casual);
    }

    [Fact]
    public void Find_ReturnsManagerOutOfOffice_WhenAwayForWholeHorizon()
    {
        var oof = new[] { Busy(Berlin, "2025-06-16 00:00", "2025-06-30 00:00", ShowAs.Oof) };
        Assert.Equal(SlotResult.NotFound(NoSlotReason.ManagerOutOfOffice), FindBerlin("2025-06-16 10:00", managerBusy: oof));
    }

    [Fact]
    public void Find_NeverUsesTenMinuteGaps_BecauseOfManagerBuffer()
    {
        var dates = new[] { "2025-06-17", "2025-06-18", "2025-06-19", "2025-06-20", "2025-06-23" };
        var busy = dates.SelectMany(date => TenMinuteGaps(date)).ToArray();
        Assert.Equal(SlotResult.NotFound(NoSlotReason.CalendarFull), FindBerlin("2025-06-16 10:00", managerBusy: busy));
    }

    [Fact]
    public void Find_UsesFirstRealGap_WhenOtherwiseBookedWithTenMinuteGaps()
    {
        var busy = TenMinuteGaps("2025-06-17").Concat(TenMinuteGaps("2025-06-18", toHour: 14)).ToArray();
        // Wednesday is free from 13:50: an hour of room before the slot scores best.
        AssertSlot(FindBerlin("2025-06-16 10:00", managerBusy: busy), Local(Berlin, "2025-06-18 14:50"), Casual);
    }

    [Fact]
    public void Find_PrefersSlotWithMoreFreeTimeAround_OverEarliestFeasible()
    {
        var busy = new[]
        {
            Busy(Berlin, "2025-06-17 09:00", "2025-06-17 10:00"),
            Busy(Berlin, "2025-06-17 10:45", "2025-06-17 12:00"),
            Busy(Berlin, "2025-06-17 13:00", "2025-06-17 14:00"),
        };
        AssertSlot(FindBerlin("2025-06-16 10:00", managerBusy: busy), Local(Berlin, "2025-06-17 15:00"), Casual);
    }

    [Fact]
    public void Find_TakesEarliestOfEqualScores()
    {
        // Only the 45-minute gap 10:00–10:45 exists on Tuesday: 10:15 and 10:20 both leave 15 minutes on one side.
        var busy = new[]
        {
            Busy(Berlin, "2025-06-17 09:00", "2025-06-17 10:00"),
            Busy(Berlin, "2025-06-17 10:45", "2025-06-17 17:00"),
        };
        AssertSlot(FindBerlin("2025-06-16 10:00", managerBusy: busy), Local(Berlin, "2025-06-17 10:15"), Casual);
    }

    [Fact]
    public void Find_StaysOnFirstFeasibleDay_EvenWhenLaterDaysScoreBetter()
    {
        var busy = new[] { Busy(Berlin, "2025-06-17 09:00", "2025-06-17 16:00") };
        // Tuesday only has starts 16:15 and 16:20 (the last half hour is off limits); 16:20 leaves 20 minutes
        // before it. Wednesday would score 60 but comes later.
        AssertSlot(FindBerlin("2025-06-16 10:00", managerBusy: busy), Local(Berlin, "2025-06-17 16:20"), Casual);
    }

    [Fact]
    public void Find_AvoidsManagersFirstHalfHour()
    {
        var policy = FollowUpPolicy.Default with { FreeTimeScoreCap = TimeSpan.Zero };
        AssertSlot(FindBerlin("2025-06-16 10:00", policy: policy, now: "2025-06-16 10:00"), Local(Berlin, "2025-06-17 09:30"), Casual);
    }

    [Fact]
    public void Find_AvoidsManagersLastHalfHour()
    {
        var user = Hours(Berlin, "16:20", "20:00");
        AssertSlot(FindBerlin("2025-06-16 10:00", user: user), Local(Berlin, "2025-06-17 16:20"), Casual);
        Assert.Equal(NoSlotReason.NoCommonWorkingTime, FindBerlin("2025-06-16 10:00", user: user, duration: Formal).Reason);
    }

    [Fact]
    public void Find_AvoidsManagersLunch()
    {
        var user = Hours(Berlin, "11:50", "13:30");
        var policy = FollowUpPolicy.Default with { FreeTimeScoreCap = TimeSpan.Zero };
        AssertSlot(FindBerlin("2025-06-16 10:00", user: user, policy: policy), Local(Berlin, "2025-06-17 11:50"), Casual);
        AssertSlot(FindBerlin("2025-06-16 10:00", user: user, policy: policy, duration: Formal), Local(Berlin, "2025-06-17 13:00"), Formal);
    }

    [Fact]
    public void Find_AvoidsUsersBusyTime_WithoutBufferOnUserSide()
    {
        var userBusy = new[] { Busy(Berlin, "2025-06-17 09:00", "2025-06-17 13:20") };
        AssertSlot(FindBerlin("2025-06-16 10:00", userBusy: userBusy), Local(Berlin, "2025-06-17 13:20"), Casual);
    }

    [Fact]
    public void Find_NeverPlacesOnMeetingDay_EvenWithoutMinimumDelay()
    {
        var policy = FollowUpPolicy.Default with { MinimumDelay = TimeSpan.Zero, FreeTimeScoreCap = TimeSpan.Zero };
        AssertSlot(FindBerlin("2025-06-16 08:00", policy: policy), Local(Berlin, "2025-06-17 09:30"), Casual);
    }

    [Fact]
    public void Find_WaitsEighteenHours_AfterLateMeeting()
    {
        AssertSlot(FindBerlin("2025-06-16 16:50"), Local(Berlin, "2025-06-17 10:50"), Casual);
    }

    [Fact]
    public void Find_StartsAtNow_WhenAskedDaysLater()
    {
        AssertSlot(FindBerlin("2025-06-16 10:00", now: "2025-06-19 14:02"), Local(Berlin, "2025-06-19 14:05"), Casual);
    }

    [Fact]
    public void Find_UsesManagersNextWorkingDay_WhenMeetingEndsOnFriday()
    {
        AssertSlot(FindBerlin("2025-06-20 15:00"), Local(Berlin, "2025-06-23 10:00"), Casual);
    }

    [Fact]
    public void Find_KeepsLocalTime_WhenBerlinClocksChangeBetweenMeetingAndSlot()
    {
        var result = FindBerlin("2025-10-24 15:00");
        AssertSlot(result, Utc("2025-10-27 09:00"), Casual); // Monday 10:00 CET
        Assert.Equal(TimeSpan.FromHours(1), result.Slot!.Value.Start.Offset);
    }

    [Fact]
    public void Find_UsesCurrentOffsets_WhenOnlyOneOfTheZonesHasChanged()
    {
        // In the week after 2025-10-26 Berlin is on winter time but New York is not yet: five hours apart, not six.
        var manager = Hours(NewYork, "09:00", "17:00");
        var meetingEnd = Utc("2025-10-24 14:00");
        var result = FollowUpSlotFinder.Find(meetingEnd, meetingEnd, Casual, BerlinOffice, [], manager, [], FollowUpPolicy.Default);
        AssertSlot(result, Utc("2025-10-27 14:00"), Casual); // 10:00 EDT, 15:00 CET
    }

    [Fact]
    public void Find_ReturnsHorizonPassed_WhenRequestComesAfterHorizon()
    {
        var policy = FollowUpPolicy.Default with { HorizonWorkingDays = 1, MinimumDelay = TimeSpan.FromHours(30) };
        // Earliest is Tuesday 16:50, yet Tuesday's window ends 17:00: a 10-minute slot would end in the last half hour.
        Assert.Equal(NoSlotReason.NoCommonWorkingTime, FindBerlin("2025-06-16 10:50", policy: policy).Reason);
        var late = FollowUpPolicy.Default with { HorizonWorkingDays = 1, MinimumDelay = TimeSpan.FromHours(31) };
        Assert.Equal(SlotResult.NotFound(NoSlotReason.HorizonPassed), FindBerlin("2025-06-16 10:00", policy: late));
    }

    [Fact]
    public void Find_ReturnsNoWorkingTime_WhenManagerHasNoWorkingDays()
    {
        var manager = Hours(Berlin, "09:00", "17:00", []);
        var meetingEnd = Local(Berlin, "2025-06-16 10:00");
        var result = FollowUpSlotFinder.Find(meetingEnd, meetingEnd, Casual, BerlinOffice, [], manager, [], FollowUpPolicy.Default);
        Assert.Equal(SlotResult.NotFound(NoSlotReason.NoWorkingTimeInHorizon), result);
    }

    [Fact]
    public void Find_Throws_WhenDurationIsNotPositive()
    {
        var meetingEnd = Local(Berlin, "2025-06-16 10:00");
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            FollowUpSlotFinder.Find(meetingEnd, meetingEnd, TimeSpan.Zero, BerlinOffice, [], BerlinOffice, [], FollowUpPolicy.Default));
    }

    [Fact]
    public void Find_Throws_WhenPolicyIsInvalid()
    {
        var meetingEnd = Local(Berlin, "2025-06-16 10:00");
        var policy = FollowUpPolicy.Default with { HorizonWorkingDays = 0 };
        Assert.Throws<ArgumentException>(() =>
            FollowUpSlotFinder.Find(meetingEnd, meetingEnd, Casual, BerlinOffice, [], BerlinOffice, [], policy));
    }
}

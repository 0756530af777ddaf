using BossTalkCalendar.Core.Calendar;
using static BossTalkCalendar.Core.Tests.Support.Zones;

namespace BossTalkCalendar.Core.Tests.Calendar;

public class TimeZonesTests
{
    [Theory]
    [InlineData("W. Europe Standard Time", "Europe/Berlin")]
    [InlineData("Pacific Standard Time", "America/Los_Angeles")]
    [InlineData("India Standard Time", "Asia/Kolkata")]
    [InlineData("Eastern Standard Time", "America/New_York")]
    public void FindByName_GivesSameOffsets_ForWindowsAndIanaNames(string windowsName, string ianaName)
    {
        var windows = TimeZones.FindByName(windowsName);
        var iana = TimeZones.FindByName(ianaName);
        foreach (var instant in new[] { Utc("2025-01-15 12:00"), Utc("2025-07-15 12:00"), Utc("2025-03-30 01:00"), Utc("2025-11-02 06:00") })
        {
            Assert.Equal(iana.GetUtcOffset(instant), windows.GetUtcOffset(instant));
        }
    }

    [Fact]
    public void FindByName_ResolvesPacificStandardTime_WithDaylightSaving()
    {
        var zone = TimeZones.FindByName("Pacific Standard Time");
        Assert.Equal(TimeSpan.FromHours(-8), zone.GetUtcOffset(Utc("2025-01-15 12:00")));
        Assert.Equal(TimeSpan.FromHours(-7), zone.GetUtcOffset(Utc("2025-07-15 12:00")));
    }

    [Fact]
    public void FindByName_ResolvesGraphUtcName()
    {
        Assert.Equal(TimeSpan.Zero, TimeZones.FindByName("tzone://Microsoft/Utc").GetUtcOffset(Utc("2025-07-15 12:00")));
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("")]
    [InlineData("   ")]
    public void FindByName_Throws_WhenNameIsUnknownOrEmpty(string name)
    {
        Assert.Throws<ArgumentException>(() => TimeZones.FindByName(name));
        Assert.False(TimeZones.TryFindByName(name, out _));
    }

    [Fact]
    public void Resolve_UsesName_ForNamedZone()
    {
        var zone = TimeZones.Resolve(new NamedTimeZone("Asia/Kolkata"));
        Assert.Equal(new TimeSpan(5, 30, 0), zone.GetUtcOffset(Utc("2025-07-15 12:00")));
    }

    [Fact]
    public void Resolve_FollowsWindowsBiasSemantics_ForCustomZoneWithDaylightSaving()
    {
        // As Graph returns a US Central custom zone: bias 360, daylight bias -60,
        // daylight from the 2nd Sunday of March 02:00, standard from the 1st Sunday of November 02:00.
        var spec = new CustomTimeZone(
            360,
            new ZoneTransition(new TimeOnly(2, 0), 11, 1, DayOfWeek.Sunday, 0, 0),
            new ZoneTransition(new TimeOnly(2, 0), 3, 2, DayOfWeek.Sunday, 0, -60));
        var zone = TimeZones.Resolve(spec);

        Assert.Equal(TimeSpan.FromHours(-6), zone.GetUtcOffset(Utc("2025-01-15 12:00")));
        Assert.Equal(TimeSpan.FromHours(-5), zone.GetUtcOffset(Utc("2025-07-15 12:00")));
        Assert.Equal(TimeSpan.FromHours(-6), zone.GetUtcOffset(Utc("2025-03-09 07:59")));
        Assert.Equal(TimeSpan.FromHours(-5), zone.GetUtcOffset(Utc("2025-03-09 08:00")));
        Assert.Equal(TimeSpan.FromHours(-5), zone.GetUtcOffset(Utc("2025-11-02 06:59")));
        Assert.Equal(TimeSpan.FromHours(-6), zone.GetUtcOffset(Utc("2025-11-02 07:00")));
    }

    [Fact]
    public void Resolve_MatchesBerlin_ForCentralEuropeanCustomZone()
    {
        for (var instant = Utc("2025-01-01 00:00"); instant < Utc("2026-01-01 00:00"); instant = instant.AddHours(1))
        {
            Assert.Equal(Berlin.GetUtcOffset(instant), CustomCentralEurope.GetUtcOffset(instant));
        }
    }

    [Fact]
    public void Resolve_HandlesSouthernHemisphereCustomZone()
    {
        // Sydney-like: bias -600; daylight from the 1st Sunday of October 02:00, standard from the 1st Sunday of April 03:00.
        var spec = new CustomTimeZone(
            -600,
            new ZoneTransition(new TimeOnly(3, 0), 4, 1, DayOfWeek.Sunday, 0, 0),
            new ZoneTransition(new TimeOnly(2, 0), 10, 1, DayOfWeek.Sunday, 0, -60));
        var zone = TimeZones.Resolve(spec);
        Assert.Equal(TimeSpan.FromHours(11), zone.GetUtcOffset(Utc("2025-01-15 12:00")));
        Assert.Equal(TimeSpan.FromHours(10), zone.GetUtcOffset(Utc("2025-07-15 12:00")));
        Assert.Equal(Sydney.GetUtcOffset(Utc("2025-10-04 16:00")), zone.GetUtcOffset(Utc("2025-10-04 16:00")));
    }

    [Fact]
    public void Resolve_GivesFixedOffset_ForCustomZoneWithoutTransitions()
    {
        var zone = TimeZones.Resolve(new CustomTimeZone(-330, null, null));
        Assert.Equal(new TimeSpan(5, 30, 0), zone.GetUtcOffset(Utc("2025-01-15 12:00")));
        Assert.Equal(new TimeSpan(5, 30, 0), zone.GetUtcOffset(Utc("2025-07-15 12:00")));
    }

    [Fact]
    public void Resolve_IgnoresTransitions_WhenMonthIsZero()
    {
        var none = new ZoneTransition(TimeOnly.MinValue, 0, 0, DayOfWeek.Sunday, 0, 0);
        var zone = TimeZones.Resolve(new CustomTimeZone(-60, none, none with { ExtraBiasMinutes = -60 }));
        Assert.Equal(TimeSpan.FromHours(1), zone.GetUtcOffset(Utc("2025-07-15 12:00")));
    }

    [Fact]
    public void Resolve_Throws_WhenCustomZoneIsOutOfRange()
    {
        Assert.Throws<ArgumentException>(() => TimeZones.Resolve(new CustomTimeZone(-20 * 60, null, null)));
    }

    [Fact]
    public void ToInstant_MapsGapTime_ToFirstInstantAfterGap()
    {
        Assert.Equal(Utc("2025-03-30 01:00"), TimeZones.ToInstant(Berlin, new DateTime(2025, 3, 30, 2, 30, 0), AmbiguousTime.Earlier));
        Assert.Equal(Utc("2025-03-30 01:00"), TimeZones.ToInstant(Berlin, new DateTime(2025, 3, 30, 2, 30, 0), AmbiguousTime.Later));
        Assert.Equal(Utc("2025-03-09 07:00"), TimeZones.ToInstant(NewYork, new DateTime(2025, 3, 9, 2, 30, 0), AmbiguousTime.Earlier));
    }

    [Fact]
    public void ToInstant_MapsAmbiguousTime_AsAsked()
    {
        Assert.Equal(Utc("2025-10-26 00:30"), TimeZones.ToInstant(Berlin, new DateTime(2025, 10, 26, 2, 30, 0), AmbiguousTime.Earlier));
        Assert.Equal(Utc("2025-10-26 01:30"), TimeZones.ToInstant(Berlin, new DateTime(2025, 10, 26, 2, 30, 0), AmbiguousTime.Later));
        Assert.Equal(Utc("2025-11-02 05:30"), TimeZones.ToInstant(NewYork, new DateTime(2025, 11, 2, 1, 30, 0), AmbiguousTime.Earlier));
        Assert.Equal(Utc("2025-11-02 06:30"), TimeZones.ToInstant(NewYork, new DateTime(2025, 11, 2, 1, 30, 0), AmbiguousTime.Later));
    }

    [Fact]
    public void ToInstant_ExpressesResultInZoneOffset()
    {
        var instant = TimeZones.ToInstant(Kolkata, new DateTime(2025, 6, 16, 9, 0, 0), AmbiguousTime.Earlier);
        Assert.Equal(new TimeSpan(5, 30, 0), instant.Offset);
        Assert.Equal(Utc("2025-06-16 03:30"), instant);
    }
}

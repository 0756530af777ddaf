using BossTalkCalendar.Api.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace BossTalkCalendar.Api.Tests.Startup;

/// <summary>The zone database check that start-up and the preflight check share (issue 21).</summary>
[Collection(AppCollection.Name)]
public sealed class ZoneDatabaseCheckTests
{
    [Fact]
    public void OnThisMachineEveryWindowsAndIanaProbeResolvesWithItsOffset()
    {
        Assert.Empty(ZoneDatabaseCheck.System.Problems());
        Assert.Contains(ZoneDatabaseCheck.Probes, p => p.Name == "W. Europe Standard Time");
        Assert.Contains(ZoneDatabaseCheck.Probes, p => p.Name == "Australia/Sydney");
    }

    [Fact]
    public void WithoutAnyZoneEveryProbeIsAProblemNamingItsZone()
    {
        var problems = new ZoneDatabaseCheck(_ => null).Problems();

        Assert.Equal(ZoneDatabaseCheck.Probes.Count, problems.Count);
        Assert.Contains("'W. Europe Standard Time' is not a known time zone here (expected UTC+01:00 at 2024-01-15 12:00Z).", problems);
    }

    [Fact]
    public void AResolverThatFallsBackToUtcIsCaughtInEveryZone()
    {
        // What the service did on a machine without tzdata: every mailbox in UTC.
        var problems = new ZoneDatabaseCheck(_ => TimeZoneInfo.Utc).Problems();

        Assert.Equal(ZoneDatabaseCheck.Probes.Count, problems.Count);
        Assert.Contains("'Australia/Sydney' is UTC+00:00 at 2024-07-15 12:00Z, not UTC+10:00.", problems);
    }

    [Fact]
    public void ATzdataFromBefore2019IsCaughtBySaoPaulosEndOfDaylightTime()
    {
        // Sao Paulo as old tzdata had it: UTC-3 with summer time (UTC-2) from November to February.
        var oldSaoPaulo = TimeZoneInfo.CreateCustomTimeZone("America/Sao_Paulo", TimeSpan.FromHours(-3), "old", "old", "old summer",
        [
            TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(
                DateTime.MinValue.Date,
                DateTime.MaxValue.Date,
                TimeSpan.FromHours(1),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 0, 0, 0, DateTimeKind.Unspecified), 11, 1, DayOfWeek.Sunday),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 0, 0, 0, DateTimeKind.Unspecified), 2, 3, DayOfWeek.Sunday)),
        ]);
        var check = new ZoneDatabaseCheck(name => name == "America/Sao_Paulo"
            ? oldSaoPaulo
            : BossTalkCalendar.Core.Calendar.TimeZones.FindByName(name));

        Assert.Equal(["'America/Sao_Paulo' is UTC-02:00 at 2024-01-15 12:00Z, not UTC-03:00."], check.Problems());
    }

    [Fact]
    public void StartUpRefusesWithABrokenZoneDatabaseNamingTzdataAndIcu()
    {
        using var data = new TempDirectory();
        using var app = new BossTalkCalendarApplication(
            data.Path,
            new FakeTimeProvider(new DateTimeOffset(2026, 3, 4, 15, 2, 0, TimeSpan.Zero)),
            new Uri("http://127.0.0.1:9/v1.0"),
            new Dictionary<string, string?> { ["Jobs:RunServer"] = "false" },
            services: services => services.Replace(ServiceDescriptor.Singleton(new ZoneDatabaseCheck(_ => TimeZoneInfo.Utc))));

        var error = Record.Exception(() => app.Services.GetRequiredService<TimeProvider>());

        Assert.NotNull(error);
        var message = error.GetBaseException().Message;
        Assert.Contains("time-zone database is missing or incomplete", message, StringComparison.Ordinal);
        Assert.Contains("tzdata", message, StringComparison.Ordinal);
        Assert.Contains("ICU", message, StringComparison.Ordinal);
        Assert.Contains("'W. Europe Standard Time' is UTC+00:00", message, StringComparison.Ordinal);
    }
}

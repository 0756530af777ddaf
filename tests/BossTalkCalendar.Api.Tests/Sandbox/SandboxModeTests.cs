using System.Net;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Sandbox;
using BossTalkCalendar.Api.Tests.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BossTalkCalendar.Api.Tests.Sandbox;

[Collection(AppCollection.Name)]
public sealed class SandboxModeTests
{
    [Fact]
    public async Task SandboxModeSeedsADemoTeamThatWaitsForItsManagerAndOnceApprovedASweepPlacesOneReflectionPerDueMemberAndARestartAddsNone()
    {
        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 4, 15, 2, 0, TimeSpan.Zero));
        var settings = new Dictionary<string, string?>
        {
            ["Sandbox:Enabled"] = null,
            ["Graph:TenantId"] = "",
            ["Sandbox:GraphPort"] = "0",
            ["Jobs:SweepOnStartup"] = null,
        };

        await using (var app = new BossTalkCalendarApplication(data.Path, clock, graphBaseUrl: null, settings))
        {
            var sandbox = app.Services.GetRequiredService<SandboxGraph>();
            var graph = sandbox.Host!;
            Assert.True(graph.BaseAddress.IsLoopback);

            // The demo team starts not enabled: the start-up sweep runs and finds nobody.
            await Eventually.TrueAsync(
                () => Task.FromResult(app.Services.GetRequiredService<JobStorage>().GetMonitoringApi().SucceededListCount() >= 1),
                TimeSpan.FromSeconds(60),
                "the start-up sweep");
            await using (var before = await app.CreateDbContextAsync())
            {
                Assert.Empty(await before.EnrolledUsers.ToListAsync());
            }

            Assert.All(DemoTenant.Reports, member => Assert.Empty(CalendarAssert.ReflectionsOf(graph, member.Id)));

            // The demo manager approves their team, as from the preview page; then the first real sweep.
            using (var manager = app.CreateClientFor(DemoTenant.Manager.Id, DemoTenant.TenantId))
            using (var approved = await manager.PostAsync("/api/v1/teams/mine/approve", null))
            {
                Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
            }

            await app.RunSweepAsync();
            foreach (var member in DemoTenant.Due)
            {
                CalendarAssert.SingleReflectionInWorkingTime(graph, member.Id, member.IanaZone, member.WorkingDays, member.Start, member.End, clock.GetUtcNow());
            }

            Assert.Empty(CalendarAssert.ReflectionsOf(graph, DemoTenant.Tom.Id));
            Assert.Empty(CalendarAssert.ReflectionsOf(graph, DemoTenant.Ana.Id));
            Assert.Empty(CalendarAssert.ReflectionsOf(graph, DemoTenant.Manager.Id));

            await using var db = await app.CreateDbContextAsync();
            Assert.Equal(DemoTenant.Reports.Select(r => r.Id).Order(), (await db.EnrolledUsers.Select(u => u.UserId).ToListAsync()).Order());
            Assert.Equal(DemoTenant.Due.Count, await db.Nudges.CountAsync(n => n.State == NudgeState.Placed));
        }

        clock.Advance(TimeSpan.FromMinutes(1));
        await using (var restarted = new BossTalkCalendarApplication(data.Path, clock, graphBaseUrl: null, settings))
        {
            var sandbox = restarted.Services.GetRequiredService<SandboxGraph>();
            await WaitForStartupSweepAsync(restarted, clock.GetUtcNow());

            foreach (var member in DemoTenant.Due)
            {
                Assert.Single(CalendarAssert.ReflectionsOf(sandbox.Host!, member.Id));
            }

            Assert.Equal(DemoTenant.Due.Count, (await restarted.NudgesAsync()).Count);
        }
    }

    private static Task WaitForStartupSweepAsync(BossTalkCalendarApplication app, DateTimeOffset since) =>
        Eventually.TrueAsync(
            async () =>
            {
                await using var db = await app.CreateDbContextAsync();
                var scans = await db.EnrolledUsers.Select(u => u.LastScanAt).ToListAsync();
                var planned = await db.Nudges.CountAsync(n => n.State == NudgeState.Planned);
                return scans.Count == DemoTenant.Reports.Count && scans.All(s => s >= since) && planned == 0;
            },
            TimeSpan.FromSeconds(60),
            "the start-up sweep of the demo team");
}

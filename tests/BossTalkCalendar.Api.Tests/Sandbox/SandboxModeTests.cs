using System.Net;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BossTalkCalendar.Api.Tests.Sandbox;

[Collection(AppCollection.Name)]
public sealed class SandboxModeTests
{
    [Fact]
    public async Task SandboxModeSeedsAnApprovedTeamWhoseReflectionsTheStartUpSweepPlacesAndATeamThatWaitsForItsManagerAndARestartAddsNone()
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

            // Noor's team was approved at seed time (with its audit entry): the start-up sweep places its reflections
            // with no manual step. Mara's team waits for her.
            await WaitForStartupSweepAsync(app, clock.GetUtcNow(), DemoTenant.ApprovedReports.Count);
            foreach (var member in DemoTenant.ApprovedReports)
            {
                CalendarAssert.SingleReflectionInWorkingTime(graph, member.Id, member.IanaZone, member.WorkingDays, member.Start, member.End, clock.GetUtcNow());
            }

            Assert.Contains(await app.AuditAsync(), e => e.Action == AuditActions.TeamApproved && e.ActorId == DemoTenant.ApprovedManager.Id && e.SubjectId == DemoTenant.ApprovedManager.Id);
            await using (var before = await app.CreateDbContextAsync())
            {
                Assert.Equal(DemoTenant.ApprovedReports.Select(r => r.Id).Order(), (await before.EnrolledUsers.Select(u => u.UserId).ToListAsync()).Order());
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
            Assert.Equal(DemoTenant.Reports.Concat(DemoTenant.ApprovedReports).Select(r => r.Id).Order(), (await db.EnrolledUsers.Select(u => u.UserId).ToListAsync()).Order());
            Assert.Equal(DemoTenant.Due.Count + DemoTenant.ApprovedReports.Count, await db.Nudges.CountAsync(n => n.State == NudgeState.Placed));
        }

        clock.Advance(TimeSpan.FromMinutes(1));
        await using (var restarted = new BossTalkCalendarApplication(data.Path, clock, graphBaseUrl: null, settings))
        {
            var sandbox = restarted.Services.GetRequiredService<SandboxGraph>();
            await WaitForStartupSweepAsync(restarted, clock.GetUtcNow(), DemoTenant.Reports.Count + DemoTenant.ApprovedReports.Count);

            foreach (var member in DemoTenant.Due.Concat(DemoTenant.ApprovedReports))
            {
                Assert.Single(CalendarAssert.ReflectionsOf(sandbox.Host!, member.Id));
            }

            // Plus, planned ahead, one for the one-on-one still running; nothing else.
            var all = await restarted.NudgesAsync();
            Assert.Equal(DemoTenant.Due.Count + DemoTenant.ApprovedReports.Count, all.Count(n => n.State == NudgeState.Placed));
            Assert.All(all.Where(n => n.State != NudgeState.Placed), n => Assert.True(n.State == NudgeState.Planned && n.MeetingEnd > clock.GetUtcNow()));
        }
    }

    private static Task WaitForStartupSweepAsync(BossTalkCalendarApplication app, DateTimeOffset since, int enrolled) =>
        Eventually.TrueAsync(
            async () =>
            {
                await using var db = await app.CreateDbContextAsync();
                var scans = await db.EnrolledUsers.Select(u => u.LastScanAt).ToListAsync();
                // A one-on-one still to come is planned ahead; its job waits for the meeting's end.
                var now = app.Clock.GetUtcNow();
                var planned = (await db.Nudges.Where(n => n.State == NudgeState.Planned).Select(n => n.MeetingEnd).ToListAsync()).Count(end => end <= now);
                return scans.Count == enrolled && scans.All(s => s >= since) && planned == 0;
            },
            TimeSpan.FromSeconds(60),
            "the start-up sweep of the demo team");
}

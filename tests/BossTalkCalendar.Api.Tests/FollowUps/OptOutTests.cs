using System.Net;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Tests.Endpoints;
using BossTalkCalendar.GraphSimulator;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BossTalkCalendar.Api.Tests.FollowUps;

[Collection(AppCollection.Name)]
public sealed class OptOutTests
{
    [Fact]
    public async Task OptingOutCancelsAPendingReflectionAtOnceSoNoEventAppearsAndOptingInPlacesItAfterAll()
    {
        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(FollowUpTeam.Now);
        await using var graph = await GraphSimulatorHost.StartAsync(FollowUpTeam.Build(), new SimulatorOptions { Port = 0, TimeProvider = clock });
        var user = FollowUpTeam.BerlinB;
        var colleague = FollowUpTeam.BerlinD;

        // An instance that serves HTTP only: the scan queues a placement that nobody runs yet.
        Guid pendingId;
        await using (var scanner = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, new Dictionary<string, string?> { ["Jobs:RunServer"] = "false", ["Graph:TenantId"] = FollowUpTeam.TenantId }))
        {
            await scanner.ApproveTeamAsync(FollowUpTeam.TenantId, FollowUpTeam.Manager, [user, colleague]);
            await using (var scope = scanner.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<ScanUsersJob>().RunAsync(FollowUpTeam.TenantId, [user.Id], 0, CancellationToken.None);
            }

            var pending = Assert.Single(await scanner.NudgesAsync());
            Assert.Equal(NudgeState.Planned, pending.State);
            pendingId = pending.Id;
            using var client = scanner.CreateClientFor(user.Id, FollowUpTeam.TenantId);

            using var optOut = await client.PostAsync(new Uri("/api/v1/me/opt-out", UriKind.Relative), null);

            var answer = await ApiAssert.JsonAsync(optOut, HttpStatusCode.OK);
            Assert.True(answer.GetProperty("optedOut").GetBoolean());
            Assert.Equal(1, answer.GetProperty("cancelledNudges").GetInt32());
            var cancelled = Assert.Single(await scanner.NudgesAsync());
            Assert.Equal((NudgeState.Cancelled, "opted-out"), (cancelled.State, cancelled.Reason));
            using (var connection = scanner.Services.GetRequiredService<JobStorage>().GetConnection())
            {
                Assert.Equal(DeletedState.StateName, connection.GetJobData(pending.HangfireJobId!)?.State);
            }

            using var reflection = await client.PostAsync(new Uri($"/api/v1/meetings/{FollowUpTeam.OneOnOneId(user)}/reflection", UriKind.Relative), null);
            await ApiAssert.ProblemAsync(reflection, HttpStatusCode.Conflict);
        }

        await using var worker = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, new Dictionary<string, string?> { ["Graph:TenantId"] = FollowUpTeam.TenantId });

        // The worker sweeps and serves the colleague, but leaves the user who opted out alone.
        await worker.RunSweepAsync();
        Assert.Single(CalendarAssert.ReflectionsOf(graph, colleague.Id));
        Assert.Empty(CalendarAssert.ReflectionsOf(graph, user.Id));
        Assert.Equal(NudgeState.Cancelled, (await worker.NudgesAsync()).Single(n => n.Id == pendingId).State);

        using var again = worker.CreateClientFor(user.Id, FollowUpTeam.TenantId);
        using var optIn = await again.PostAsync(new Uri("/api/v1/me/opt-in", UriKind.Relative), null);

        Assert.False((await ApiAssert.JsonAsync(optIn, HttpStatusCode.OK)).GetProperty("optedOut").GetBoolean());
        await Eventually.TrueAsync(
            async () => (await worker.NudgesAsync()).Single(n => n.Id == pendingId).State == NudgeState.Placed,
            TimeSpan.FromSeconds(60),
            "the resumed reflection to be placed");
        var resumed = CalendarAssert.SingleReflectionInWorkingTime(graph, user.Id, user.Zone, user.Days, user.Start, user.End, FollowUpTeam.OneOnOneEnd(user) + TimeSpan.FromMinutes(90));
        Assert.Equal(resumed.Id, (await worker.NudgesAsync()).Single(n => n.Id == pendingId).CreatedEventId);
    }
}

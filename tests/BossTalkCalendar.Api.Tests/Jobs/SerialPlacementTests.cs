using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Rollout;
using BossTalkCalendar.Api.Tests.Postgres;
using BossTalkCalendar.GraphSimulator;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace BossTalkCalendar.Api.Tests.Jobs;

/// <summary>
/// Several due one-on-ones of one user placed at once — in one batch, or by two instances sharing a PostgreSQL
/// database — must never give that user two blocks in the same slot: each block has to see the others as busy.
/// Calendars are random (a seed per run); the judge is the simulator's calendars.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SerialPlacementTests(ITestOutputHelper output)
{
    private static readonly string[] Zones = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Brisbane"];
    private static readonly string[] AllDays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    private static readonly string[] ShowAs = ["busy", "tentative", "oof", "free"];

    [Theory]
    [InlineData(11)]
    [InlineData(23)]
    [InlineData(37)]
    [InlineData(41)]
    [InlineData(59)]
    public async Task AUsersDueOneOnOnesPlacedInOneBatchNeverOverlapEachOtherOrAnythingBusy(int seed)
    {
        using var data = new TempDirectory();
        await using var storage = await TestStorage.CreateAsync(StorageOptions.SqliteProvider);
        var clock = new FakeTimeProvider(TestTeam.Now);
        var tenant = RandomTenant.Build(new Random(seed), TestTeam.Now, memberCount: 12);
        await using var graph = await GraphSimulatorHost.StartAsync(tenant.Seed, new SimulatorOptions { Port = 0, TimeProvider = clock });
        await using var app = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, storage.With(Fast));
        await ApproveAsync(app, tenant);

        await app.RunSweepAsync(TimeSpan.FromSeconds(60));

        AssertNoOverlaps(graph, tenant);
    }

    [Fact]
    public async Task TwoInstancesOnOnePostgreSqlDatabaseNeverGiveAUserOverlappingBlocks()
    {
        using var firstData = new TempDirectory();
        using var secondData = new TempDirectory();
        await using var storage = await TestStorage.CreateAsync(StorageOptions.PostgreSqlProvider);
        var clock = new FakeTimeProvider(TestTeam.Now);
        var tenant = RandomTenant.Build(new Random(7), TestTeam.Now, memberCount: 40);
        await using var graph = await GraphSimulatorHost.StartAsync(tenant.Seed, new SimulatorOptions { Port = 0, TimeProvider = clock });
        // Small batches, so that the two instances' scans interleave and a user's nudges land in different jobs.
        var settings = storage.With(new Dictionary<string, string?>(Fast) { ["Jobs:BatchSize"] = "5" });
        await using var first = new BossTalkCalendarApplication(firstData.Path, clock, graph.GraphBaseUrl, settings);
        await using var second = new BossTalkCalendarApplication(secondData.Path, clock, graph.GraphBaseUrl, settings);
        _ = second.Services;
        await ApproveAsync(first, tenant);

        await Task.WhenAll(first.RunSweepAsync(TimeSpan.FromSeconds(90)), second.RunSweepAsync(TimeSpan.FromSeconds(90)));
        var monitoring = first.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        await Eventually.TrueAsync(
            () => Task.FromResult(monitoring.EnqueuedCount("default") == 0 && monitoring.ProcessingCount() == 0 && monitoring.ScheduledCount() == 0),
            TimeSpan.FromSeconds(60),
            "the queues of both instances to drain");

        AssertNoOverlaps(graph, tenant);
    }

    private static readonly Dictionary<string, string?> Fast = new()
    {
        ["Jobs:WorkerCount"] = "4",
        ["Jobs:PollInterval"] = "00:00:00.25",
    };

    private static async Task ApproveAsync(BossTalkCalendarApplication app, RandomTenant tenant) =>
        await app.Services.GetRequiredService<TeamRollout>()
            .ApproveAsync(TestTeam.TenantId, tenant.ManagerId, tenant.ManagerId, [.. tenant.Members.Select(m => m.Member.Id)], CancellationToken.None);

    private void AssertNoOverlaps(GraphSimulatorHost graph, RandomTenant tenant)
    {
        var blocks = 0;
        foreach (var (member, due) in tenant.Members)
        {
            var calendar = graph.Tenant.EventsOf(member.Id).Where(e => !e.IsCancelled).ToList();
            var reflections = CalendarAssert.ReflectionsOf(graph, member.Id);
            blocks += reflections.Count;
            Assert.Equal(due, reflections.Count);
            Assert.Equal(due, reflections.Select(r => r.TransactionId).Distinct(StringComparer.Ordinal).Count());
            foreach (var reflection in reflections)
            {
                foreach (var other in calendar.Where(e => e.Id != reflection.Id && !string.Equals(e.ShowAs, "free", StringComparison.OrdinalIgnoreCase)))
                {
                    Assert.False(
                        reflection.Start < other.End && other.Start < reflection.End,
                        $"User {member.Id}: the block {reflection.Start:O}–{reflection.End:O} overlaps {(other.Categories.Contains(CalendarAssert.Category) ? "another BossTalk block" : "an item shown as " + other.ShowAs)} at {other.Start:O}–{other.End:O}.");
                }
            }
        }

        output.WriteLine($"{tenant.Members.Count} users, {blocks} blocks placed, none overlapping.");
    }

    /// <summary>One manager in Berlin; members in four zones, each with two to four one-on-ones that ended in the last hours and random items ahead.</summary>
    private sealed record RandomTenant(TenantSeed Seed, string ManagerId, IReadOnlyList<(Member Member, int Due)> Members)
    {
        public static RandomTenant Build(Random random, DateTimeOffset now, int memberCount)
        {
            var manager = new Member("5e41a100-0000-4000-8001-000000000000", "manager@serial.test", "Europe/Berlin", AllDays, "00:00:00", "23:59:00");
            var managerSeed = manager.ToSeed(null);
            var users = new List<SeedUser> { managerSeed };
            var members = new List<(Member, int)>();
            for (var i = 0; i < memberCount; i++)
            {
                var member = new Member($"5e41a100-0000-4000-8002-{i:D12}", $"member{i}@serial.test", Zones[random.Next(Zones.Length)], AllDays, "00:00:00", "23:59:00");
                var seed = member.ToSeed(manager.Id);
                users.Add(seed);

                // Two to four one-on-ones, back to back or nearly, the last one ended 10–50 minutes ago.
                var due = random.Next(2, 5);
                var end = now - TimeSpan.FromMinutes(10 + (5 * random.Next(9)));
                for (var j = 0; j < due; j++)
                {
                    managerSeed.Events.Add(new SeedEvent
                    {
                        Subject = $"1:1 {TestTeam.Secret}",
                        Start = end - TimeSpan.FromMinutes(30),
                        End = end,
                        OrganizerMail = manager.Mail,
                        Attendees = [new SeedAttendee { Mail = member.Mail, Response = "accepted" }],
                    });
                    end -= TimeSpan.FromMinutes(30 + (5 * random.Next(7)));
                }

                // Random items in the next day and a half, on a five-minute grid.
                for (var k = random.Next(3, 10); k > 0; k--)
                {
                    var start = now + TimeSpan.FromMinutes(5 * random.Next(0, 36 * 12));
                    LargeTenant.Busy(seed, member, start, TimeSpan.FromMinutes(5 * random.Next(3, 24)), ShowAs[random.Next(ShowAs.Length)]);
                }

                members.Add((member, due));
            }

            return new RandomTenant(new TenantSeed { TenantId = TestTeam.TenantId, Users = users }, manager.Id, members);
        }
    }
}

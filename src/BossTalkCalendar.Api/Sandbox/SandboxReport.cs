using System.Globalization;
using System.Text;
using BossTalkCalendar.Api.Hosting;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Graph;
using BossTalkCalendar.Core.Nudges;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Sandbox;

/// <summary>
/// At a sandbox start, tells on the console what the first sweep scheduled for whom (ids, addresses and local times;
/// never subjects), how to approve the demo team that is still waiting, and where to look.
/// </summary>
internal sealed class SandboxReport(
    SandboxGraph sandbox,
    IDbContextFactory<BossTalkDbContext> contexts,
    IServiceScopeFactory scopes,
    IOptions<JobsOptions> jobs,
    IOptions<ServiceOptions> service,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<SandboxReport> logger) : BackgroundService
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await WhenStartedAsync(stoppingToken);
            var startedAt = time.GetUtcNow();
            var sweep = jobs.Value.SweepOnStartup ?? true;
            var lines = new StringBuilder();
            if (sweep)
            {
                var settled = await WaitForFirstSweepAsync(startedAt, stoppingToken);
                lines.AppendLine(settled ? "First sweep done. Reflections for the enrolled demo users:" : "First sweep still running after two minutes; so far:");
                await DescribeTeamAsync(lines, stoppingToken);
            }
            else
            {
                lines.AppendLine("Jobs:SweepOnStartup is off: the first sweep runs on Jobs:SweepCron.");
            }

            if (!await TeamApprovedAsync(DemoTenant.Manager.Id, stoppingToken))
            {
                DescribeHowToApprove(lines);
            }

            DescribeWhereToLook(lines);
            logger.Report(Environment.NewLine, lines.ToString());
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down before the first sweep finished: nothing to tell.
        }
    }

    private Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(stoppingToken);
    }

    /// <summary>Settled when every demo user was scanned since start-up and none of their nudges waits for placement.</summary>
    private async Task<bool> WaitForFirstSweepAsync(DateTimeOffset startedAt, CancellationToken stoppingToken)
    {
        // Real elapsed time, not the injected clock: this is about how long a person waits at the console.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < Patience)
        {
            await using var db = await contexts.CreateDbContextAsync(stoppingToken);
            var users = await db.EnrolledUsers.AsNoTracking()
                .Where(u => u.TenantId == DemoTenant.TenantId && u.Enrolled && !u.OptedOut && !u.Paused)
                .Select(u => u.LastScanAt)
                .ToListAsync(stoppingToken);
            var planned = await db.Nudges.AsNoTracking()
                .CountAsync(n => n.TenantId == DemoTenant.TenantId && n.State == NudgeState.Planned, stoppingToken);
            if (users.Count > 0 && users.All(scanned => scanned >= startedAt) && planned == 0)
            {
                return true;
            }

            await Task.Delay(PollEvery, stoppingToken);
        }

        return false;
    }

    private async Task DescribeTeamAsync(StringBuilder lines, CancellationToken stoppingToken)
    {
        await using var db = await contexts.CreateDbContextAsync(stoppingToken);
        var nudges = await db.Nudges.AsNoTracking().Where(n => n.TenantId == DemoTenant.TenantId).ToListAsync(stoppingToken);
        var users = await db.EnrolledUsers.AsNoTracking().Where(u => u.TenantId == DemoTenant.TenantId).ToListAsync(stoppingToken);

        await using var scope = scopes.CreateAsyncScope();
        var graph = scope.ServiceProvider.GetRequiredService<ICalendarGateway>();
        foreach (var user in users.OrderBy(u => u.UserId, StringComparer.Ordinal))
        {
            var who = await graph.GetUserAsync(user.UserId, stoppingToken);
            var zone = (await graph.GetMailboxProfileAsync(user.UserId, stoppingToken)).TimeZone;
            var theirs = nudges.Where(n => n.UserId == user.UserId).OrderBy(n => n.OccurrenceStart).ToList();
            lines.Append(CultureInfo.InvariantCulture, $"  {user.UserId}  {who.Email,-36} ");
            if (theirs.Count == 0)
            {
                lines.AppendLine(user.LastScanFailure is { } failure
                    ? $"scan failed: {failure}"
                    : "nothing due (no one-on-one with their manager ended in the lookback window)");
                continue;
            }

            lines.AppendLine(string.Join("; ", theirs.Select(n => Describe(n, zone))));
        }
    }

    private static string Describe(Nudge nudge, TimeZoneInfo zone)
    {
        if (nudge is { State: NudgeState.Placed, SlotStart: { } start, SlotEnd: { } end })
        {
            var localStart = TimeZoneInfo.ConvertTime(start, zone);
            var localEnd = TimeZoneInfo.ConvertTime(end, zone);
            return string.Create(CultureInfo.InvariantCulture, $"{NudgeKeys.KindName(nudge.Kind)} {localStart:ddd yyyy-MM-dd HH:mm}–{localEnd:HH:mm} ({zone.Id})");
        }

        return nudge.Reason is null ? nudge.State.ToString() : $"{nudge.State}: {nudge.Reason}";
    }

    private async Task<bool> TeamApprovedAsync(string managerId, CancellationToken stoppingToken)
    {
        await using var db = await contexts.CreateDbContextAsync(stoppingToken);
        return await db.Teams.AsNoTracking().AnyAsync(
            t => t.TenantId == DemoTenant.TenantId && t.ManagerId == managerId && t.State == TeamState.Approved,
            stoppingToken);
    }

    private void DescribeHowToApprove(StringBuilder lines)
    {
        var site = service.Value.PublicBaseUrl.TrimEnd('/');
        lines.AppendLine("The second demo team waits for its manager: nobody in it gets nudges until she approves it. To try the rollout:");
        lines.AppendLine(CultureInfo.InvariantCulture, $"  1. Open the preview page {site}/taskpane.html and sign in as the demo manager ({DemoTenant.Manager.Id}).");
        lines.AppendLine("  2. Approve the team on its card.");
        lines.AppendLine(CultureInfo.InvariantCulture, $"  3. Run a sweep: POST {site}/api/v1/admin/sweep with an admin token (or wait for Jobs:SweepCron).");
    }

    private void DescribeWhereToLook(StringBuilder lines)
    {
        var site = service.Value.PublicBaseUrl.TrimEnd('/');
        lines.AppendLine("Where to look:");
        lines.AppendLine(CultureInfo.InvariantCulture, $"  Simulated Graph     {sandbox.Host?.GraphBaseUrl}/users/{{id}}/events   (manager: {DemoTenant.Manager.Id})");
        lines.AppendLine(CultureInfo.InvariantCulture, $"  Hangfire dashboard  {site}/hangfire");
        lines.AppendLine(CultureInfo.InvariantCulture, $"  Health              {site}/healthz");
        lines.AppendLine(CultureInfo.InvariantCulture, $"  API reference       {site}/scalar/v1   (OpenAPI: {site}/openapi/v1.json)");
        lines.AppendLine(CultureInfo.InvariantCulture, $"  Data                {sandbox.StateFile} and the SQLite files beside it");
    }
}

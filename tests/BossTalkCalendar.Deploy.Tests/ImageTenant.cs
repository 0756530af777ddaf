using BossTalkCalendar.Api.Rollout;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace BossTalkCalendar.Deploy.Tests;

/// <summary>
/// The image in tenant mode against the Graph simulator on the host, configured as the crash tests configure the
/// service's child process (Reliability/CrashSafetyTests): a loopback <c>Graph:BaseUrl</c> takes no credential, an
/// https <c>Service:PublicBaseUrl</c> turns change notifications on, and the simulator posts them to the container.
/// </summary>
public static class ImageTenant
{
    public static Dictionary<string, string?> Settings(Uri graphBaseUrl, TestStorage storage, bool sweepOnStartup = true) => storage.With(new Dictionary<string, string?>
    {
        ["Graph:TenantId"] = TestTeam.TenantId,
        ["Graph:BaseUrl"] = graphBaseUrl.ToString(),
        // Required at start-up; no request in these tests carries a token, so the authority is never contacted.
        ["Auth:Authority"] = $"https://login.microsoftonline.com/{TestTeam.TenantId}/v2.0",
        ["Auth:Audience"] = "api://bosstalkcalendar-image",
        ["Service:PublicBaseUrl"] = "https://bosstalk.test",
        ["Notifications:Debounce"] = "00:00:01",
        // Every change read at once, our own blocks too, as the crash tests do.
        ["Notifications:FoldWindow"] = "00:00:00",
        ["Notifications:SafetyNetCron"] = ServiceSettings.Never,
        // A short poll: a placement queued by a scan starts at once instead of after a worker's sleep.
        ["Jobs:PollInterval"] = "00:00:00.25",
        ["Jobs:SweepOnStartup"] = sweepOnStartup ? "true" : "false",
        ["Jobs:SweepCron"] = ServiceSettings.Never,
        ["Rollout:RefreshCron"] = ServiceSettings.Never,
        ["Rollout:RetentionCron"] = ServiceSettings.Never,
    });

    /// <summary>
    /// Managers approve their teams through the real <see cref="TeamRollout"/> of an in-process instance on the same
    /// storage that runs no job server, as in the crash tests: the container cannot trust the tests' token issuer, and
    /// approval lives in the database anyway. On SQLite the instance is gone before this returns, and the folder
    /// belongs to the image's user.
    /// </summary>
    public static async Task ApproveAsync(
        TimeProvider clock, string dataDirectory, Uri graphBaseUrl, IReadOnlyDictionary<string, string?> settings, IEnumerable<(string ManagerId, IReadOnlyCollection<string> Members)> teams)
    {
        await using (var instance = new BossTalkCalendarApplication(
            dataDirectory,
            clock,
            graphBaseUrl,
            new Dictionary<string, string?>(settings) { ["Jobs:RunServer"] = "false", ["Jobs:SweepOnStartup"] = "false" }))
        {
            var rollout = instance.Services.GetRequiredService<TeamRollout>();
            foreach (var (managerId, members) in teams)
            {
                await rollout.ApproveAsync(TestTeam.TenantId, managerId, managerId, members, CancellationToken.None);
            }
        }

        SqliteConnection.ClearAllPools();
        await ImageContainer.HandToAppUserAsync(dataDirectory);
    }
}

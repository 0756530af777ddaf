using System.Net;
using System.Net.Http.Json;
using System.Text;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Sandbox;
using BossTalkCalendar.Core.Texts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BossTalkCalendar.Api.Tests.Rollout;

/// <summary>
/// The privacy promise, checked on the stored bytes: after a full sandbox sweep (one demo team approved at seed time,
/// the other through the API by its manager), a member's "it was rough" with its prep block and a send-time check, neither the SQLite files (app and Hangfire) nor any log line hold a subject, a body, a display
/// name, the text the service writes into events or an address the send-time check was given.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SandboxPrivacyTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 15, 2, 0, TimeSpan.Zero);

    /// <summary>An address only the send-time check ever sees.</summary>
    private const string PrivateRecipient = "someone.private@elsewhere.example";

    [Fact]
    public async Task AfterAFullSandboxSweepNoSubjectBodyOrNameIsInTheDatabasesOrTheLogs()
    {
        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(Now);
        var logs = new InMemoryLogs();
        var settings = new Dictionary<string, string?>
        {
            ["Sandbox:Enabled"] = null,
            ["Graph:TenantId"] = "",
            ["Sandbox:GraphPort"] = "0",
            ["Jobs:SweepOnStartup"] = null,
            // Everything, at every level, from every component.
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",
            ["Logging:LogLevel:Hangfire"] = "Trace",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
        };

        await using (var host = new BossTalkCalendarApplication(data.Path, clock, graphBaseUrl: null, settings, logs))
        {
            var graph = host.Services.GetRequiredService<SandboxGraph>().Host!;
            // Noor's team is approved at seed time; the start-up sweep places its reflections. Then Mara approves hers.
            await Eventually.TrueAsync(
                async () => (await host.NudgesAsync()).Count(n => n.State == NudgeState.Placed) == DemoTenant.ApprovedReports.Count,
                TimeSpan.FromSeconds(60),
                "the start-up sweep to place the approved team's reflections");

            using var manager = host.UserClient(DemoTenant.TenantId, DemoTenant.Manager.Id);
            var approved = await TeamRolloutTests.ReadJsonAsync(await manager.PostAsync("/api/v1/teams/mine/approve", null), HttpStatusCode.OK);
            Assert.Equal(DemoTenant.Reports.Count, TeamRolloutTests.Count(approved, "enrolled"));

            await host.SweepAsync();
            foreach (var member in DemoTenant.Due)
            {
                CalendarAssert.SingleReflectionInWorkingTime(graph, member.Id, member.IanaZone, member.WorkingDays, member.Start, member.End, Now);
            }

            // Jonas says it was rough and picks his relationship: the answer, the preferences and the prep block before
            // next week's one-on-one are stored and written too, and must leak nothing either.
            using var jonas = host.UserClient(DemoTenant.TenantId, DemoTenant.Jonas.Id);
            using (var preferences = await jonas.PutAsync("/api/v1/me/preferences", JsonContent.Create(new { relationship = "friendly" })))
            {
                Assert.Equal(HttpStatusCode.OK, preferences.StatusCode);
            }

            var oneOnOne = Assert.Single(graph.Tenant.EventsOf(DemoTenant.Jonas.Id), e => !e.IsOrganizer && e.Attendees.Count == 1 && e.End < Now);
            using (var rough = await jonas.PutAsync($"/api/v1/meetings/{Uri.EscapeDataString(oneOnOne.Id)}/outcome", JsonContent.Create(new { outcome = "rough" })))
            {
                Assert.Equal(HttpStatusCode.OK, rough.StatusCode);
            }

            await Eventually.TrueAsync(
                () => Task.FromResult(graph.Tenant.EventsOf(DemoTenant.Jonas.Id).Any(e => e.Subject == PrepText.Subject)),
                TimeSpan.FromSeconds(60),
                "Jonas's prep block");

            await using (var db = await host.CreateDbContextAsync())
            {
                Assert.Equal(DemoTenant.Due.Count + DemoTenant.ApprovedReports.Count + 1, await db.Nudges.CountAsync(n => n.State == NudgeState.Placed));
            }

            // Jonas then writes a meeting request to his manager and someone else: the send-time check suggests waiting
            // and keeps neither address.
            var check = JsonContent.Create(new { kind = "appointment", recipients = new[] { PrivateRecipient, DemoTenant.Manager.Mail } });
            using (var sendCheck = await jonas.PostAsync("/api/v1/send-check", check))
            {
                var answer = await TeamRolloutTests.ReadJsonAsync(sendCheck, HttpStatusCode.OK);
                Assert.Equal("suggestWaiting", answer["verdict"]!.GetValue<string>());
            }
        }

        var secrets = SeededSecrets();
        Assert.Contains("Mara Keller", secrets);
        Assert.Contains("Roadmap check-in", secrets);

        // Write-ahead logs first: SQLite may fold one into its database (and delete it) as the last connection closes.
        var files = Directory.GetFiles(data.Path, "*.db*").OrderBy(f => f.EndsWith(".db", StringComparison.Ordinal)).ToList();
        Assert.Contains(files, f => f.EndsWith("bosstalk.db", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("hangfire.db", StringComparison.Ordinal));
        var stored = new StringBuilder();
        foreach (var file in files)
        {
            try
            {
                var bytes = await File.ReadAllBytesAsync(file);
                stored.AppendLine(Encoding.UTF8.GetString(bytes)).AppendLine(Encoding.Unicode.GetString(bytes));
            }
            catch (FileNotFoundException) when (!file.EndsWith(".db", StringComparison.Ordinal))
            {
            }
        }

        var storedText = stored.ToString();
        // Not a vacuous scan: what the service should store (ids) is readable in these bytes.
        Assert.Contains(DemoTenant.Jonas.Id, storedText, StringComparison.Ordinal);
        Assert.Contains(AuditActions.TeamApproved, storedText, StringComparison.Ordinal);
        var logText = string.Join('\n', logs.Lines);
        Assert.Contains(DemoTenant.Jonas.Id, logText, StringComparison.Ordinal);

        foreach (var secret in secrets)
        {
            Assert.False(storedText.Contains(secret, StringComparison.OrdinalIgnoreCase), $"The databases hold '{secret}'.");
            var line = logs.Lines.FirstOrDefault(l => l.Contains(secret, StringComparison.OrdinalIgnoreCase));
            Assert.True(line is null, $"A log line holds '{secret}': {line}");
        }
    }

    /// <summary>Every subject, body and display name of the demo tenant's seed, and the reflection and prep subjects the service writes, in every language.</summary>
    private static HashSet<string> SeededSecrets()
    {
        var seed = DemoTenant.Build(Now);
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var user in seed.Users)
        {
            secrets.Add(user.DisplayName);
            foreach (var ev in user.Events)
            {
                secrets.Add(ev.Subject);
                if (!string.IsNullOrWhiteSpace(ev.Body))
                {
                    secrets.Add(ev.Body);
                }
            }
        }

        secrets.Add(PrivateRecipient);
        // In every language: the demo tenant has German and Japanese mailboxes.
        foreach (var catalog in Catalogs.SupportedLanguages.Select(Catalogs.For))
        {
            secrets.Add(ReflectionText.SubjectIn(catalog));
            secrets.Add(PrepText.SubjectIn(catalog));
        }

        secrets.RemoveWhere(string.IsNullOrWhiteSpace);
        return secrets;
    }
}

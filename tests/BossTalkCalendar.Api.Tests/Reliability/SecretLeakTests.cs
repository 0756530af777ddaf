using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using BossTalkCalendar.Api.Rollout;
using BossTalkCalendar.Api.Tests.Manifest;
using BossTalkCalendar.Api.Tests.Rollout;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace BossTalkCalendar.Api.Tests.Reliability;

/// <summary>
/// No secret leaves the service: with a Graph client secret, a certificate password and a database password configured,
/// every /api/v1 endpoint is called by every kind of caller, on success and error paths, with every log line captured
/// at Trace; no secret (and no bearer token) may appear in a log line, a response body or a response header. The
/// repository itself must hold no real-looking secret either.
/// </summary>
[Collection(AppCollection.Name)]
public sealed partial class SecretLeakTests(ITestOutputHelper output)
{
    private const string TestSecretPrefix = "sekrit-";

    [Fact]
    public async Task NoConfiguredSecretOrBearerTokenAppearsInAnyLogLineOrResponse()
    {
        var graphSecret = $"{TestSecretPrefix}graph-{Guid.NewGuid():N}";
        var certificatePassword = $"{TestSecretPrefix}pfx-{Guid.NewGuid():N}";
        var databasePassword = $"{TestSecretPrefix}db-{Guid.NewGuid():N}";
        string[] secrets = [graphSecret, certificatePassword, databasePassword];

        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(TestTeam.Now);
        var logs = new InMemoryLogs();
        await using var graph = await RolloutTenant.StartGraphAsync(clock);
        var settings = RolloutTenant.Settings(
            ("Graph:ClientId", "66666666-7777-8888-9999-000000000000"),
            ("Graph:Credential", "ClientSecret"),
            ("Graph:ClientSecret", graphSecret),
            ("Graph:CertificatePassword", certificatePassword),
            ("ConnectionStrings:BossTalk", $"Host=localhost;Database=bosstalk;Username=bosstalk;Password={databasePassword}"),
            ("Api:RateLimitPerMinute", "40"),
            ("Api:MaxRequestBodyBytes", "2048"),
            ("Logging:LogLevel:Default", "Trace"),
            ("Logging:LogLevel:Microsoft", "Trace"),
            ("Logging:LogLevel:Microsoft.AspNetCore", "Trace"),
            ("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Trace"),
            ("Logging:LogLevel:Hangfire", "Trace"),
            ("Logging:LogLevel:System.Net.Http.HttpClient", "Trace"));
        await using var host = new BossTalkCalendarApplication(data.Path, clock, graph.GraphBaseUrl, settings, logs);

        var rollout = host.Services.GetRequiredService<TeamRollout>();
        await rollout.ApproveAsync(RolloutTenant.TenantId, TestTeam.Manager.Id, TestTeam.Manager.Id, TestTeam.Reports.Select(r => r.Id).ToList(), CancellationToken.None);
        await rollout.ApproveAsync(RolloutTenant.TenantId, RolloutTenant.OtherManager.Id, RolloutTenant.OtherManager.Id, [RolloutTenant.OtherMember.Id], CancellationToken.None);
        // A real sweep through Hangfire and the Graph client: the code paths that hold the credentials.
        await host.SweepAsync();
        var nudge = (await host.NudgesAsync()).First(n => n.UserId == TestTeam.Berlin.Id);
        var eventId = graph.Tenant.EventsOf(TestTeam.Berlin.Id).Single(e => e.Subject == TestTeam.OneOnOneSubject(TestTeam.Berlin)).Id;

        var tokens = new List<string>();
        string Token(string token)
        {
            tokens.Add(token);
            return token;
        }

        var callers = new (string Name, HttpClient Client)[]
        {
            ("anonymous", host.Client(null)),
            ("member", host.Client(Token(host.Issuer.Mint(TestTeam.Berlin.Id, RolloutTenant.TenantId)))),
            ("other member", host.Client(Token(host.Issuer.Mint(RolloutTenant.OtherMember.Id, RolloutTenant.TenantId)))),
            ("manager", host.Client(Token(host.Issuer.Mint(TestTeam.Manager.Id, RolloutTenant.TenantId)))),
            ("admin", host.Client(Token(host.Issuer.MintAdmin(RolloutTenant.Admin.Id, RolloutTenant.TenantId)))),
            ("foreign admin", host.Client(Token(host.Issuer.MintAdmin(RolloutTenant.ForeignAdminId, TestIssuer.TenantB)))),
            ("expired", host.Client(Token(host.Issuer.MintExpired(TestTeam.Berlin.Id, RolloutTenant.TenantId)))),
            ("forged", host.Client(Token(host.Issuer.MintWithForeignKey(TestTeam.Berlin.Id, RolloutTenant.TenantId)))),
        };

        var statuses = new SortedSet<int>();
        var responses = new StringBuilder();
        async Task SendAsync(HttpClient client, HttpRequestMessage request)
        {
            using (request)
            using (var response = await client.SendAsync(request))
            {
                statuses.Add((int)response.StatusCode);
                responses.AppendLine(CultureInfo.InvariantCulture, $"{request.Method} {request.RequestUri} {(int)response.StatusCode}");
                foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
                {
                    responses.AppendLine(CultureInfo.InvariantCulture, $"{name}: {string.Join(", ", values)}");
                }

                responses.AppendLine(await response.Content.ReadAsStringAsync());
            }
        }

        var routes = ApiRoutes(host);
        foreach (var (name, client) in callers)
        {
            foreach (var (method, route) in routes)
            {
                var path = route.Replace("{eventId}", eventId, StringComparison.Ordinal)
                    .Replace("{id}", nudge.Id.ToString(), StringComparison.Ordinal)
                    .Replace("{managerId}", TestTeam.Manager.Id, StringComparison.Ordinal);
                path += route switch
                {
                    "/api/v1/meetings" => "?days=7",
                    "/api/v1/admin/audit" => "?page=1&pageSize=20",
                    _ => "",
                };
                var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
                if (route.EndsWith("/preferences", StringComparison.Ordinal))
                {
                    request.Content = JsonContent.Create(new { coolDownMinutes = 90 });
                }
                else if (route.EndsWith("/follow-up", StringComparison.Ordinal))
                {
                    request.Content = JsonContent.Create(new { tone = "casual", invite = false });
                }

                await SendAsync(client, request);
            }

            // Error paths: unknown ids, malformed JSON, a type the API does not read, an oversized body.
            await SendAsync(client, new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/v1/nudges/{Guid.NewGuid()}", UriKind.Relative)));
            await SendAsync(client, new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/meetings/no-such-event", UriKind.Relative)));
            await SendAsync(client, new HttpRequestMessage(HttpMethod.Put, new Uri("/api/v1/me/preferences", UriKind.Relative)) { Content = new StringContent("{\"coolDownMinutes\":", Encoding.UTF8, "application/json") });
            await SendAsync(client, new HttpRequestMessage(HttpMethod.Put, new Uri("/api/v1/me/preferences", UriKind.Relative)) { Content = new StringContent("{\"coolDownMinutes\":-5}", Encoding.UTF8, "application/json") });
            await SendAsync(client, new HttpRequestMessage(HttpMethod.Put, new Uri("/api/v1/me/preferences", UriKind.Relative)) { Content = new StringContent("coolDownMinutes=90", Encoding.UTF8, "text/plain") });
            await SendAsync(client, new HttpRequestMessage(HttpMethod.Put, new Uri("/api/v1/me/preferences", UriKind.Relative)) { Content = new StringContent(new string('x', 5000), Encoding.UTF8, "application/json") });
            await SendAsync(client, new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/admin/audit?page=abc", UriKind.Relative)));
        }

        // One user past the rate limit.
        var hammer = callers.Single(c => c.Name == "other member").Client;
        for (var i = 0; i < 45; i++)
        {
            await SendAsync(hammer, new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/me", UriKind.Relative)));
        }

        foreach (var (_, client) in callers)
        {
            client.Dispose();
        }

        output.WriteLine($"Statuses seen: {string.Join(", ", statuses)}; {logs.Lines.Count} log lines.");
        // The run must have reached the paths that matter, or the scan proves little.
        foreach (var expected in new[] { 200, 202, 400, 401, 403, 404, 413, 415, 429 })
        {
            Assert.Contains(expected, statuses);
        }

        Assert.True(logs.Lines.Count > 100, $"Only {logs.Lines.Count} log lines were captured.");
        var logText = string.Join("\n", logs.Lines);
        var responseText = responses.ToString();
        foreach (var secret in secrets)
        {
            Assert.False(logText.Contains(secret, StringComparison.Ordinal), $"A configured secret ({secret[..12]}…) is in the logs.");
            Assert.False(responseText.Contains(secret, StringComparison.Ordinal), $"A configured secret ({secret[..12]}…) is in a response.");
        }

        foreach (var token in tokens)
        {
            // The signature alone is enough to replay a token, so it must not appear either.
            var signature = token[(token.LastIndexOf('.') + 1)..];
            Assert.False(logText.Contains(token, StringComparison.Ordinal), "A bearer token is in the logs.");
            Assert.False(signature.Length > 0 && logText.Contains(signature, StringComparison.Ordinal), "A bearer token's signature is in the logs.");
            Assert.False(responseText.Contains(signature, StringComparison.Ordinal), "A bearer token's signature is in a response.");
        }
    }

    [Fact]
    public void TheRepositoryAndTheSampleSettingsHoldNoRealLookingSecret()
    {
        var files = TrackedFiles();
        Assert.Contains("appsettings.sample.json", files);

        // The sample leaves every secret empty: an operator fills it in outside the repository.
        var sample = File.ReadAllText(Path.Combine(RepoPaths.Root, "appsettings.sample.json"));
        Assert.Matches(SampleNullSecret("ClientSecret"), sample);
        Assert.Matches(SampleNullSecret("CertificatePassword"), sample);
        Assert.DoesNotMatch(PasswordInConnectionString(), sample);

        var findings = new List<string>();
        foreach (var file in files)
        {
            var full = Path.Combine(RepoPaths.Root, file);
            if (!File.Exists(full) || new FileInfo(full).Length > 2_000_000)
            {
                continue;
            }

            var text = File.ReadAllText(full);
            if (text.Contains(TestSecretPrefix + "graph-", StringComparison.Ordinal) && !file.EndsWith("SecretLeakTests.cs", StringComparison.Ordinal))
            {
                findings.Add($"{file}: a value of the secret leak test");
            }

            if (PrivateKey().IsMatch(text))
            {
                findings.Add($"{file}: a private key");
            }

            if (EntraClientSecret().IsMatch(text))
            {
                findings.Add($"{file}: something shaped like an Entra client secret");
            }

            // Tests need made-up secrets to check they are not leaked; everything else ships.
            if (!file.StartsWith("tests/", StringComparison.Ordinal))
            {
                foreach (Match match in JsonSecret().Matches(text))
                {
                    findings.Add($"{file}: {match.Groups["key"].Value} has a value");
                }

                if (PasswordInConnectionString().IsMatch(text))
                {
                    findings.Add($"{file}: a connection string with a password");
                }
            }
        }

        Assert.True(findings.Count == 0, string.Join(Environment.NewLine, findings));
    }

    private static List<(string Method, string Route)> ApiRoutes(BossTalkCalendarApplication host)
    {
        var routes = new List<(string, string)>();
        foreach (var endpoint in host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var route = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
            if (route.StartsWith("/api/v1/", StringComparison.Ordinal))
            {
                routes.AddRange((endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, route)));
            }
        }

        Assert.True(routes.Count >= 16, $"Only {routes.Count} endpoints under /api/v1 were found.");
        // Revoking last, so the other calls still find the teams approved.
        return [.. routes.OrderBy(r => r.Item2.EndsWith("/revoke", StringComparison.Ordinal) || r.Item2.EndsWith("/opt-out", StringComparison.Ordinal))];
    }

    private static List<string> TrackedFiles()
    {
        var git = new System.Diagnostics.ProcessStartInfo("git", "ls-files -z")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = System.Diagnostics.Process.Start(git)!;
        var listing = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        var files = listing.Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList();
        Assert.True(files.Count > 50, $"git ls-files listed only {files.Count} files.");
        return files;
    }

    private static Regex SampleNullSecret(string key) => new($"\"{key}\"\\s*:\\s*null");

    [GeneratedRegex("\"(?<key>[A-Za-z]*(?:Secret|Password|ApiKey|AccessKey))\"\\s*:\\s*\"(?!<)[^\"]{8,}\"", RegexOptions.IgnoreCase)]
    private static partial Regex JsonSecret();

    // A template's interpolation (Password=${postgresAdminPassword} in deploy/azure/main.bicep) is not a literal.
    [GeneratedRegex("(?:Password|Pwd)\\s*=\\s*(?!\\$\\{)[^;\"\\s<.][^;\"\\s]{3,}", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordInConnectionString();

    [GeneratedRegex("-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----")]
    private static partial Regex PrivateKey();

    [GeneratedRegex("(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}8Q~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])")]
    private static partial Regex EntraClientSecret();
}

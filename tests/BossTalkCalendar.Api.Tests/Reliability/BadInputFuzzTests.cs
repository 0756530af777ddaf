using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Rollout;
using BossTalkCalendar.Api.Tests.Rollout;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace BossTalkCalendar.Api.Tests.Reliability;

/// <summary>
/// Bad input to every /api/v1 endpoint the service maps, from a caller who may use it: random and malformed bodies,
/// oversized bodies, unexpected content types, invalid ids, absurd numbers. Each answer must be a 4xx problem with a
/// title, and the database must be byte-for-byte what it was (the audit log included).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class BadInputFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261125;
    private const int CasesPerEndpoint = 25;
    private const int MaxBody = 4096;

    private static readonly JsonSerializerOptions SnapshotJson = new() { ReferenceHandler = ReferenceHandler.IgnoreCycles };

    private enum Who
    {
        Member,
        Manager,
        Admin,
    }

    /// <summary>How an endpoint takes input, which decides what bad input it can be sent.</summary>
    private enum Input
    {
        None,
        JsonBody,
        RouteId,
        Query,
    }

    private sealed record Target(string Method, string Route, Who Who, Input Input, Func<string, string> PathWith);

    // A decoded NUL in a path is refused by the test host's client before it is sent (Kestrel answers it with 400 before
    // any app code runs), so ids carry "%00" as text, and the query cases below send a real NUL.
    private static readonly string[] InvalidIds =
    [
        "..%2F..%2Fadmin%2Fsweep", "%2500", "abc%2500def", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%E2%80%AE%F0%9F%92%A5", "' OR 1=1 --",
        "00000000-0000-0000-0000-000000000000", "not-a-guid", "%FF%FE", "%20", "AAMk" + new string('A', 3000), "%5C..%5C..%5Cwindows",
    ];

    private static readonly string[] AbsurdNumbers = ["-1", "-2147483649", "1000000000000", "1e999", "\"NaN\"", "\"Infinity\"", "null", "\"90\"", "0.5", "[]", "{}", "true"];

    private static readonly string[] AbsurdQueryNumbers = ["-1", "0", "1000000000000", "NaN", "Infinity", "1e3", "%00", "abc", "2147483648", "-0", "%E2%88%9E", "7.5"];

    [Fact]
    public async Task EveryApiEndpointAnswersBadInputWithA4xxProblemAndChangesNothing()
    {
        using var data = new TempDirectory();
        var clock = new FakeTimeProvider(TestTeam.Now);
        await using var graph = await RolloutTenant.StartGraphAsync(clock);
        await using var host = new BossTalkCalendarApplication(
            data.Path,
            clock,
            graph.GraphBaseUrl,
            RolloutTenant.Settings(("Jobs:RunServer", "false"), ("Api:RateLimitPerMinute", "100000"), ("Api:MaxRequestBodyBytes", MaxBody.ToString(System.Globalization.CultureInfo.InvariantCulture))));

        var rollout = host.Services.GetRequiredService<TeamRollout>();
        await rollout.ApproveAsync(RolloutTenant.TenantId, TestTeam.Manager.Id, TestTeam.Manager.Id, TestTeam.Reports.Select(r => r.Id).ToList(), CancellationToken.None);
        await host.RunAsync<ScanUsersJob>(job => job.RunAsync(RolloutTenant.TenantId, new[] { TestTeam.Berlin.Id }, 0, CancellationToken.None));
        Assert.Single(await host.NudgesAsync());

        var targets = Targets(host);
        var before = await SnapshotAsync(host);
        var random = new Random(Seed);
        var failures = new List<string>();
        var sent = 0;
        var statuses = new SortedDictionary<int, int>();
        foreach (var target in targets)
        {
            using var client = target.Who switch
            {
                Who.Admin => host.AdminClient(RolloutTenant.TenantId, RolloutTenant.Admin.Id),
                Who.Manager => host.UserClient(RolloutTenant.TenantId, TestTeam.Manager.Id),
                _ => host.UserClient(RolloutTenant.TenantId, TestTeam.Berlin.Id),
            };
            for (var i = 0; i < CasesPerEndpoint; i++)
            {
                using var request = BadRequest(target, random, i, out var description);
                using var response = await client.SendAsync(request);
                sent++;
                var status = (int)response.StatusCode;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                var body = await response.Content.ReadAsStringAsync();
                var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json" && HasTitle(body);
                if (status is < 400 or >= 500 || !problem)
                {
                    failures.Add($"{target.Method} {target.Route} as {target.Who} with {description}: {status} {response.Content.Headers.ContentType} {Shorten(body)}");
                }
            }
        }

        var after = await SnapshotAsync(host);
        output.WriteLine($"Seed {Seed}: {sent} requests to {targets.Count} endpoints; statuses {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}.");
        Assert.True(failures.Count == 0, $"Seed {Seed}: {failures.Count} of {sent} bad requests were not a 4xx problem:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
        Assert.Equal(before, after);
    }

    /// <summary>Every mapped /api/v1 endpoint with the caller who may use it and the input it takes; an unknown one fails the test.</summary>
    private static List<Target> Targets(BossTalkCalendarApplication host)
    {
        var targets = new List<Target>();
        foreach (var endpoint in host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var route = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
            if (!route.StartsWith("/api/v1/", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])
            {
                var who = route.StartsWith("/api/v1/admin/", StringComparison.Ordinal) ? Who.Admin
                    : route.StartsWith("/api/v1/teams/mine", StringComparison.Ordinal) ? Who.Manager
                    : Who.Member;
                var input = route switch
                {
                    "/api/v1/me/preferences" when method == "PUT" => Input.JsonBody,
                    "/api/v1/meetings/{eventId}/follow-up" => Input.JsonBody,
                    "/api/v1/send-check" => Input.JsonBody,
                    "/api/v1/meetings" or "/api/v1/admin/audit" => Input.Query,
                    _ when route.Contains('{', StringComparison.Ordinal) => Input.RouteId,
                    _ => Input.None,
                };
                targets.Add(new Target(method, route, who, input, value => route.Contains('{', StringComparison.Ordinal)
                    ? route[..route.IndexOf('{', StringComparison.Ordinal)] + value + route[(route.IndexOf('}', StringComparison.Ordinal) + 1)..]
                    : route));
            }
        }

        Assert.True(targets.Count >= 16, $"Only {targets.Count} endpoints under /api/v1 were found.");
        return targets;
    }

    private static HttpRequestMessage BadRequest(Target target, Random random, int i, out string description)
    {
        // A valid id for the follow-up's own route, so its body is what is wrong.
        var path = target.PathWith("AAMkAGI2TG93AAA=");
        HttpContent? content = null;

        // Every endpoint gets some oversized bodies; the rest depends on what it takes.
        var oversized = target.Input == Input.None || i % 5 == 0;
        if (oversized)
        {
            var size = MaxBody + 1 + random.Next(0, 3 * MaxBody);
            var bytes = new byte[size];
            random.NextBytes(bytes);
            content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue(Pick(random, ["application/json", "text/plain", "application/octet-stream"]));
            description = $"an oversized body of {size} bytes ({content.Headers.ContentType})";
        }
        else if (target.Input == Input.RouteId)
        {
            var id = InvalidIds[(i + random.Next(InvalidIds.Length)) % InvalidIds.Length];
            path = target.PathWith(id);
            description = $"id '{Shorten(id)}'";
        }
        else if (target.Input == Input.Query)
        {
            var value = Pick(random, AbsurdQueryNumbers);
            var name = target.Route.EndsWith("audit", StringComparison.Ordinal) ? Pick(random, ["page", "pageSize"]) : "days";
            path = $"{path}?{name}={value}";
            description = $"query {name}={value}";
        }
        else
        {
            content = BadJsonBody(target, random, i, out description);
        }

        return new HttpRequestMessage(new HttpMethod(target.Method), new Uri(path, UriKind.Relative)) { Content = content };
    }

    private static ByteArrayContent BadJsonBody(Target target, Random random, int i, out string description)
    {
        string body;
        var contentType = "application/json";
        var preferences = target.Route.EndsWith("preferences", StringComparison.Ordinal);
        switch (i % 4)
        {
            case 0:
                string[] fragments = ["{", "}", "[", "]", "\"tone\"", ":", ",", "null", "\"casual\"", "1e999", "\"\\u0000\"", "\"coolDownMinutes\"", "\"\\ud800\"", "'", "NaN"];
                do
                {
                    body = string.Concat(Enumerable.Range(0, random.Next(1, 10)).Select(_ => Pick(random, fragments)));
                }
                while (IsJsonObject(body));
                description = "malformed JSON";
                break;
            case 1:
                var bytes = new byte[random.Next(1, 200)];
                random.NextBytes(bytes);
                body = Encoding.Latin1.GetString(bytes);
                description = "random bytes";
                break;
            case 2:
                // A well-formed, valid-looking body in a type the API does not read.
                body = preferences ? "{\"coolDownMinutes\":90}" : "{\"tone\":\"casual\",\"invite\":false}";
                contentType = Pick(random, ["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded"]);
                description = $"a valid body as {contentType}";
                break;
            default:
                var value = Pick(random, AbsurdNumbers);
                body = preferences
                    ? $"{{\"{Pick(random, ["coolDownMinutes", "reflectionMinutes"])}\":{value}}}"
                    : $"{{\"tone\":{Pick(random, ["\"shouty\"", "\"Europe/Atlantis\"", "42", "null", "\"\""])},\"invite\":{Pick(random, ["\"yes\"", "1", "false"])}}}";
                description = "absurd values";
                break;
        }

        var content = new ByteArrayContent(Encoding.Latin1.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        description += $" {Shorten(body)}";
        return content;
    }

    /// <summary>Row counts and a hash of every row of the app's tables.</summary>
    private static async Task<string> SnapshotAsync(BossTalkCalendarApplication host)
    {
        await using var db = await host.CreateDbContextAsync();
        var nudges = await db.Nudges.AsNoTracking().OrderBy(n => n.Id).ToListAsync();
        var users = await db.EnrolledUsers.AsNoTracking().ToListAsync();
        var teams = await db.Teams.AsNoTracking().ToListAsync();
        var audit = await db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
        var text = string.Join(
            "\n",
            JsonSerializer.Serialize(nudges, SnapshotJson),
            string.Join("\n", users.Select(u => JsonSerializer.Serialize(u, SnapshotJson)).Order(StringComparer.Ordinal)),
            string.Join("\n", teams.Select(t => JsonSerializer.Serialize(t, SnapshotJson)).Order(StringComparer.Ordinal)),
            JsonSerializer.Serialize(audit, SnapshotJson));
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        return $"nudges={nudges.Count} users={users.Count} teams={teams.Count} audit={audit.Count} sha256={hash}";
    }

    private static bool HasTitle(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("title", out var title) && !string.IsNullOrWhiteSpace(title.GetString());
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsJsonObject(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "…";
}

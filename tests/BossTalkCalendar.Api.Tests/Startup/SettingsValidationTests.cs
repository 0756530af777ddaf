using Microsoft.Extensions.DependencyInjection;

namespace BossTalkCalendar.Api.Tests.Startup;

[Collection(AppCollection.Name)]
public sealed class SettingsValidationTests
{
    [Theory]
    [InlineData("Jobs:SweepCron", "banana")]
    [InlineData("Jobs:PollInterval", "00:00:00")]
    [InlineData("Jobs:MaxAttempts", "0")]
    [InlineData("Policy:Reflection:CoolDownMinutes", "-5")]
    [InlineData("Policy:Reflection:LunchStart", "25:00")]
    [InlineData("Storage:Provider", "Oracle")]
    [InlineData("Service:PublicBaseUrl", "not a url")]
    public void StartUpFailsWithAMessageNamingTheSettingWhenAValueIsWrong(string setting, string value)
    {
        using var data = new TempDirectory();
        using var app = new BossTalkCalendarApplication(
            data.Path,
            TimeProvider.System,
            new Uri("http://127.0.0.1:9/v1.0"),
            new Dictionary<string, string?> { [setting] = value });

        var error = Record.Exception(() => app.Services.GetRequiredService<TimeProvider>());

        Assert.NotNull(error);
        Assert.Contains(setting, Messages(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHealthyServiceAnswersHealthzAndKeepsTheJobsDashboardFromRemoteCallers()
    {
        using var data = new TempDirectory();
        await using var app = new BossTalkCalendarApplication(data.Path, TimeProvider.System, new Uri("http://127.0.0.1:9/v1.0"));
        using var client = app.CreateClient();

        var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());

        // The test server's caller has no loopback address, like any caller from another machine.
        var dashboard = await client.GetAsync(new Uri("/hangfire", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, dashboard.StatusCode);
    }

    private static string Messages(Exception error)
    {
        var messages = new List<string>();
        for (var e = error; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
            if (e is AggregateException aggregate)
            {
                messages.AddRange(aggregate.InnerExceptions.Select(inner => inner.Message));
            }
        }

        return string.Join(Environment.NewLine, messages);
    }
}

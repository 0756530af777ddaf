using System.Net;
using System.Text.Json;

namespace BossTalkCalendar.Api.Tests.Simulator;

internal static class GraphErrors
{
    /// <summary>Asserts Graph's error body and returns its code.</summary>
    public static string AssertGraphError(JsonElement json)
    {
        var error = json.GetProperty("error");
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        var inner = error.GetProperty("innerError");
        Assert.True(DateTime.TryParse(inner.GetProperty("date").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.True(Guid.TryParse(inner.GetProperty("request-id").GetString(), out _));
        Assert.False(string.IsNullOrEmpty(inner.GetProperty("client-request-id").GetString()));
        return error.GetProperty("code").GetString()!;
    }

    public static void AssertRetryAfter(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        var seconds = Assert.Single(response.Headers.GetValues("Retry-After"));
        Assert.True(int.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture) >= 1, $"Retry-After '{seconds}' is not a whole number of seconds >= 1");
    }
}

using Cronos;

namespace BossTalkCalendar.Api.Hosting;

/// <summary>The cron expressions of every folder's recurring work (the <c>*Cron</c> settings), checked one way.</summary>
public static class Cron
{
    /// <summary>
    /// Whether Hangfire will accept <paramref name="expression"/>. Hangfire reads cron with Cronos too: five fields, or
    /// six when the first one is seconds.
    /// </summary>
    public static bool IsValid(string? expression)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            return false;
        }

        var format = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        return CronExpression.TryParse(expression, format, out _);
    }
}

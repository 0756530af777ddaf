namespace BossTalkCalendar.Api.Sandbox;

internal static partial class SandboxLog
{
    [LoggerMessage(LogLevel.Information, "Sandbox Graph simulator on {BaseUrl} ({Tenant})")]
    public static partial void SimulatorStarted(this ILogger logger, Uri baseUrl, string tenant);

    [LoggerMessage(LogLevel.Information, "BossTalkCalendar sandbox{NewLine}{Report}")]
    public static partial void Report(this ILogger logger, string newLine, string report);
}

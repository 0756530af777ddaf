namespace BossTalkCalendar.Api.Tests.Reliability;

/// <summary>
/// The reliability tests run a fast variant in the test command; <c>BOSSTALK_LONG=1</c> raises their counts
/// (users, kills) to the sizes the promises name.
/// </summary>
public static class LongRun
{
    public const string Variable = "BOSSTALK_LONG";

    public static bool IsOn => Environment.GetEnvironmentVariable(Variable) == "1";

    public static int Pick(int fast, int full) => IsOn ? full : fast;
}

namespace BossTalkCalendar.Api.Tests;

/// <summary>
/// Tests that start the whole service run one after another: each runs Hangfire workers, and on two cores
/// several at once only make each other slow.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AppCollection
{
    public const string Name = "Service host";
}

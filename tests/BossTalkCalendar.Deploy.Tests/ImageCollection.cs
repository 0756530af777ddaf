namespace BossTalkCalendar.Deploy.Tests;

/// <summary>Containers of the image run one test at a time: each runs the whole service, and the machine has two cores.</summary>
[CollectionDefinition(Name)]
public sealed class ImageCollection
{
    public const string Name = "Image";
}

namespace BossTalkCalendar.Browser.Tests;

internal static class RepoPaths
{
    public static string Root => RepositoryRoot.Path;

    public static string WebRoot => Path.Combine(Root, "src", "BossTalkCalendar.Api", "wwwroot");

    /// <summary>Where test artifacts (screenshots) go; artifacts/ is ignored by git.</summary>
    public static string Artifacts
    {
        get
        {
            var folder = Path.Combine(Root, "artifacts", "browser");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

}

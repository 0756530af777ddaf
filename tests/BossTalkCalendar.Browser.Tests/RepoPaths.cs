namespace BossTalkCalendar.Browser.Tests;

internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

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

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "BossTalkCalendar.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("BossTalkCalendar.sln not found above " + AppContext.BaseDirectory);
    }
}

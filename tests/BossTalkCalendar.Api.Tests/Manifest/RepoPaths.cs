namespace BossTalkCalendar.Api.Tests.Manifest;

/// <summary>Finds the repository's files the manifest tests read.</summary>
internal static class RepoPaths
{
    public static string Root => RepositoryRoot.Path;

    public static string ManifestDirectory => Path.Combine(Root, "manifest");

    public static string UnifiedManifest => Path.Combine(ManifestDirectory, "manifest.json");

    public static string XmlManifest => Path.Combine(ManifestDirectory, "manifest.xml");

    public static string ApiProject => Path.Combine(Root, "src", "BossTalkCalendar.Api");

    public static string Assets => Path.Combine(ApiProject, "wwwroot", "assets");

    public static string ManifestTools => Path.Combine(Root, "tests", "manifest-tools");
}

using System.Runtime.CompilerServices;

namespace BossTalkCalendar.Api.Tests.Manifest;

/// <summary>Finds the repository's files the manifest tests read.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string ManifestDirectory => Path.Combine(Root, "manifest");

    public static string UnifiedManifest => Path.Combine(ManifestDirectory, "manifest.json");

    public static string XmlManifest => Path.Combine(ManifestDirectory, "manifest.xml");

    public static string ApiProject => Path.Combine(Root, "src", "BossTalkCalendar.Api");

    public static string Assets => Path.Combine(ApiProject, "wwwroot", "assets");

    public static string ManifestTools => Path.Combine(Root, "tests", "manifest-tools");

    private static string FindRoot([CallerFilePath] string sourceFile = "")
    {
        // The test binaries normally sit under the repository; the compile-time source path is the fallback.
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "" })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "BossTalkCalendar.sln")) && Directory.Exists(Path.Combine(dir.FullName, "manifest")))
                    return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Cannot find the repository root (BossTalkCalendar.sln next to manifest/) above {AppContext.BaseDirectory}.");
    }
}

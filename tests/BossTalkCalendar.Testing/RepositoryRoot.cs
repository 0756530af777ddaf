using System.Runtime.CompilerServices;

namespace BossTalkCalendar.Testing;

/// <summary>The repository's folder (the one holding BossTalkCalendar.sln), for tests that read its files.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    /// <summary>A path under the repository, e.g. <c>RepositoryRoot.Combine("src", "BossTalkCalendar.Api")</c>.</summary>
    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find([CallerFilePath] string sourceFile = "")
    {
        // The test binaries normally sit under the repository; this file's compile-time path is the fallback.
        foreach (var start in new[] { AppContext.BaseDirectory, System.IO.Path.GetDirectoryName(sourceFile) ?? "" })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(folder.FullName, "BossTalkCalendar.sln")))
                {
                    return folder.FullName;
                }
            }
        }

        throw new InvalidOperationException("BossTalkCalendar.sln not found above " + AppContext.BaseDirectory);
    }
}

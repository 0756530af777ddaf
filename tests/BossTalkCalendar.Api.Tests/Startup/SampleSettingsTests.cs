using System.Reflection;
using System.Text.Json;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Graph;

namespace BossTalkCalendar.Api.Tests.Startup;

/// <summary>appsettings.sample.json is the operator's reference: it must name every setting the code binds.</summary>
public sealed class SampleSettingsTests
{
    [Fact]
    public void EverySettingOfEveryOptionsClassIsDocumentedInTheSample()
    {
        using var sample = JsonDocument.Parse(
            File.ReadAllText(RepositoryRoot.Combine("appsettings.sample.json")),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });

        var optionsTypes = new[] { typeof(JobsOptions).Assembly, typeof(GraphOptions).Assembly }
            .SelectMany(assembly => assembly.GetTypes())
            .Where(type => type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true })
            .ToList();
        Assert.True(optionsTypes.Count >= 10, $"Found only {optionsTypes.Count} options classes; the scan is broken.");

        var missing = new List<string>();
        foreach (var type in optionsTypes)
        {
            var section = (string)type.GetField("SectionName")!.GetRawConstantValue()!;
            Collect(type, [section], sample.RootElement, missing);
        }

        Assert.True(missing.Count == 0, "Not in appsettings.sample.json: " + string.Join(", ", missing));
    }

    private static void Collect(Type type, List<string> path, JsonElement root, List<string> missing)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true })
            {
                continue;
            }

            var childPath = new List<string>(path) { property.Name };
            var propertyType = property.PropertyType;
            var isNestedOptions = propertyType.IsClass && propertyType != typeof(string)
                && !typeof(System.Collections.IEnumerable).IsAssignableFrom(propertyType);
            if (isNestedOptions)
            {
                Collect(propertyType, childPath, root, missing);
            }
            else if (!Exists(root, childPath))
            {
                missing.Add(string.Join(':', childPath));
            }
        }
    }

    private static bool Exists(JsonElement element, IEnumerable<string> path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            var match = element.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (match.Value.ValueKind == JsonValueKind.Undefined)
            {
                return false;
            }

            element = match.Value;
        }

        return true;
    }
}

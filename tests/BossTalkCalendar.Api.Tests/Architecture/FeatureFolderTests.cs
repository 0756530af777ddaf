using System.Text;
using System.Text.RegularExpressions;
using ArchUnitNET.Loader;
using BossTalkCalendar.Api.Tests.Manifest;
using Xunit.Abstractions;

namespace BossTalkCalendar.Api.Tests.Architecture;

/// <summary>
/// The Api project's feature folders, read from the compiled assembly (every type, the compiler's own included, with
/// the dependencies of its signatures, bodies and attributes), against the table "Feature folders of the Api
/// project, and what each may use" in docs/architecture.md, parsed from the markdown: no cycle between folders, every
/// dependency allowed by the table and every allowed one used, and third-party frameworks only where the table says.
/// </summary>
public sealed partial class FeatureFolderTests(ITestOutputHelper output)
{
    private const string RootNamespace = "BossTalkCalendar.Api";
    private const string TableHeading = "Feature folders of the Api project, and what each may use";

    /// <summary>Third-party frameworks the table's last column places, by the root namespace of their types.</summary>
    private static readonly IReadOnlyDictionary<string, string> Frameworks = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Hangfire"] = "Hangfire",
    };

    private static readonly Lazy<FolderGraph> Code = new(FolderGraph.Load);
    private static readonly Lazy<DocTable> Doc = new(DocTable.Load);

    [Fact]
    public void NoFolderDependsOnItselfThroughOthers()
    {
        var graph = Code.Value;
        output.WriteLine($"{graph.Edges.Count} folder edges among {graph.Folders.Count} folders");
        foreach (var edge in graph.Edges.Keys.OrderBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal))
        {
            output.WriteLine($"  {edge.From} -> {edge.To}");
        }

        var cycles = StronglyConnected(graph.Folders, graph.Edges.Keys).Where(c => c.Count > 1).ToList();
        var twoWay = graph.Edges.Keys.Where(e => string.CompareOrdinal(e.From, e.To) < 0 && graph.Edges.ContainsKey((e.To, e.From))).ToList();
        output.WriteLine($"{cycles.Count} cycles (strongly connected components), {twoWay.Count} two-way pairs");
        if (cycles.Count == 0)
        {
            return;
        }

        var message = new StringBuilder("Feature folders depend on each other in a cycle:\n");
        foreach (var component in cycles)
        {
            var cycle = OneCycle(component, graph.Edges.Keys);
            message.Append("  ").AppendJoin(" -> ", cycle).Append('\n');
            for (var i = 0; i < cycle.Count - 1; i++)
            {
                message.Append("    ").Append(cycle[i]).Append(" -> ").Append(cycle[i + 1]).Append(": ")
                    .AppendJoin(", ", graph.Edges[(cycle[i], cycle[i + 1])].Take(6)).Append('\n');
            }
        }

        Assert.Fail(message.ToString());
    }

    [Fact]
    public void TheCodeUsesExactlyWhatTheArchitectureTableAllows()
    {
        var graph = Code.Value;
        var table = Doc.Value;
        var problems = new List<string>();

        var undocumented = graph.Folders.Except(table.Uses.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var missing = table.Uses.Keys.Except(graph.Folders, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        problems.AddRange(undocumented.Select(f => $"{f}/ holds types but has no row in the table"));
        problems.AddRange(missing.Select(f => $"{f}/ has a row in the table but no types in the assembly"));

        foreach (var ((from, to), causes) in graph.Edges.OrderBy(e => e.Key.From, StringComparer.Ordinal).ThenBy(e => e.Key.To, StringComparer.Ordinal))
        {
            if (table.Uses.TryGetValue(from, out var allowed) && !allowed.Contains(to))
            {
                problems.Add($"{from}/ uses {to}/, which the table does not allow: {string.Join(", ", causes.Take(8))}");
            }
        }

        foreach (var (from, allowed) in table.Uses)
        {
            foreach (var to in allowed.Where(to => !graph.Edges.ContainsKey((from, to))).Order(StringComparer.Ordinal))
            {
                problems.Add($"the table lets {from}/ use {to}/, but no type of {from}/ does: correct the table");
            }
        }

        Assert.True(problems.Count == 0, "docs/architecture.md and the code disagree:\n  " + string.Join("\n  ", problems));
    }

    [Fact]
    public void ThirdPartyFrameworksAreUsedOnlyWhereTheTableSays()
    {
        var graph = Code.Value;
        var table = Doc.Value;
        var problems = new List<string>();
        foreach (var framework in Frameworks.Keys)
        {
            var users = graph.FrameworkUsers.GetValueOrDefault(framework) ?? [];
            var allowed = table.Frameworks.Where(f => f.Value.Contains(framework)).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var (folder, types) in users.Where(u => !allowed.Contains(u.Key)).OrderBy(u => u.Key, StringComparer.Ordinal))
            {
                problems.Add($"{framework} is used in {folder}/, which the table does not allow: {string.Join(", ", types.Take(8))}");
            }

            problems.AddRange(allowed.Where(f => !users.ContainsKey(f)).Order(StringComparer.Ordinal)
                .Select(f => $"the table places {framework} in {f}/, but no type there uses it: correct the table"));
            output.WriteLine($"{framework}: used in {string.Join(", ", users.Keys.Order(StringComparer.Ordinal))} ({users.Values.Sum(t => t.Count)} types)");
        }

        Assert.True(problems.Count == 0, "docs/architecture.md and the code disagree:\n  " + string.Join("\n  ", problems));
    }

    [Fact]
    public void TheTableIsReadFromTheDocument()
    {
        // Guards the parser: a table it could not read would make the other tests pass or fail for the wrong reason.
        var table = Doc.Value;
        Assert.Contains("Persistence", table.Uses.Keys);
        Assert.Contains("Sandbox", table.Uses.Keys);
        Assert.True(table.Uses.Values.Sum(u => u.Count) > 10, "the table allows almost nothing: was it parsed?");
        Assert.Contains(table.Frameworks, f => f.Value.Contains("Hangfire"));
    }

    /// <summary>Tarjan's algorithm: the strongly connected components of the folder graph.</summary>
    private static List<List<string>> StronglyConnected(IReadOnlyCollection<string> nodes, IEnumerable<(string From, string To)> edges)
    {
        var next = nodes.ToDictionary(n => n, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var (from, to) in edges)
        {
            next[from].Add(to);
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var components = new List<List<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var to in next[node])
            {
                if (index.TryGetValue(to, out var seen))
                {
                    if (onStack.Contains(to))
                    {
                        low[node] = Math.Min(low[node], seen);
                    }
                }
                else
                {
                    Visit(to);
                    low[node] = Math.Min(low[node], low[to]);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                components.Add(component);
            }
        }

        foreach (var node in nodes.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return components;
    }

    /// <summary>A shortest cycle through the component's first folder (breadth-first inside the component).</summary>
    private static List<string> OneCycle(List<string> component, IEnumerable<(string From, string To)> edges)
    {
        var inside = component.ToHashSet(StringComparer.Ordinal);
        var next = edges.Where(e => inside.Contains(e.From) && inside.Contains(e.To)).ToLookup(e => e.From, e => e.To, StringComparer.Ordinal);
        var start = component.Order(StringComparer.Ordinal).First();
        var parent = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var to in next[node].Order(StringComparer.Ordinal))
            {
                if (to == start)
                {
                    var path = new List<string> { start };
                    for (var at = node; at != start; at = parent[at])
                    {
                        path.Insert(1, at);
                    }

                    path.Add(start);
                    return path;
                }

                if (parent.TryAdd(to, node))
                {
                    queue.Enqueue(to);
                }
            }
        }

        return [start, start];
    }

    /// <summary>The folder of a namespace of ours (<c>BossTalkCalendar.Api.X</c> or below → X), or null.</summary>
    private static string? FolderOf(string? ns)
    {
        if (ns is null || !ns.StartsWith(RootNamespace + ".", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = ns[(RootNamespace.Length + 1)..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }

    /// <summary>Folder-to-folder edges of the Api assembly, each with the types that cause it.</summary>
    private sealed class FolderGraph
    {
        public required SortedSet<string> Folders { get; init; }

        public required Dictionary<(string From, string To), SortedSet<string>> Edges { get; init; }

        /// <summary>Framework → folder → our types that use it.</summary>
        public required Dictionary<string, Dictionary<string, SortedSet<string>>> FrameworkUsers { get; init; }

        public static FolderGraph Load()
        {
            var assembly = typeof(BossTalkCalendar.Api.Persistence.BossTalkDbContext).Assembly;
            var architecture = new ArchLoader().LoadAssemblies(assembly).Build();
            var folders = new SortedSet<string>(StringComparer.Ordinal);
            var edges = new Dictionary<(string, string), SortedSet<string>>();
            var frameworkUsers = new Dictionary<string, Dictionary<string, SortedSet<string>>>(StringComparer.Ordinal);
            foreach (var type in architecture.Types)
            {
                if (FolderOf(type.Namespace?.FullName) is not { } from)
                {
                    continue;
                }

                folders.Add(from);
                foreach (var dependency in type.Dependencies)
                {
                    var targetNamespace = dependency.Target.Namespace?.FullName ?? "";
                    var cause = $"{type.FullName} → {dependency.Target.FullName}";
                    if (FolderOf(targetNamespace) is { } to && to != from)
                    {
                        Add(edges, (from, to), cause);
                    }

                    foreach (var (name, prefix) in Frameworks)
                    {
                        if (targetNamespace == prefix || targetNamespace.StartsWith(prefix + ".", StringComparison.Ordinal))
                        {
                            var byFolder = frameworkUsers.TryGetValue(name, out var known) ? known : frameworkUsers[name] = new(StringComparer.Ordinal);
                            Add(byFolder, from, type.FullName);
                        }
                    }
                }
            }

            return new FolderGraph { Folders = folders, Edges = edges, FrameworkUsers = frameworkUsers };
        }

        private static void Add<TKey>(Dictionary<TKey, SortedSet<string>> map, TKey key, string value)
            where TKey : notnull
        {
            if (!map.TryGetValue(key, out var set))
            {
                map[key] = set = new SortedSet<string>(StringComparer.Ordinal);
            }

            set.Add(value);
        }
    }

    /// <summary>The table of docs/architecture.md: folder → folders it may use, and → frameworks it may use.</summary>
    private sealed partial class DocTable
    {
        public required Dictionary<string, HashSet<string>> Uses { get; init; }

        public required Dictionary<string, HashSet<string>> Frameworks { get; init; }

        public static DocTable Load()
        {
            var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "docs", "architecture.md"));
            var start = Array.FindIndex(lines, l => l.Contains(TableHeading, StringComparison.Ordinal));
            Assert.True(start >= 0, $"docs/architecture.md has no line \"{TableHeading}\"");
            var rows = lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).ToList();
            Assert.True(rows.Count > 2, "the table after \"" + TableHeading + "\" is missing");

            var header = Cells(rows[0]);
            var usesColumn = header.FindIndex(h => h.Equals("Uses", StringComparison.Ordinal));
            var frameworksColumn = header.FindIndex(h => h.Equals("Frameworks", StringComparison.Ordinal));
            Assert.True(usesColumn > 0 && frameworksColumn > 0, "the table needs the columns Folder, …, Uses, Frameworks; it has: " + string.Join(" | ", header));

            var uses = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            var frameworks = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var row in rows.Skip(2))
            {
                var cells = Cells(row);
                var allowed = FolderNames(cells[usesColumn]).ToHashSet(StringComparer.Ordinal);
                var named = FeatureFolderTests.Frameworks.Keys.Where(f => Regex.IsMatch(cells[frameworksColumn], $@"\b{Regex.Escape(f)}\b")).ToHashSet(StringComparer.Ordinal);
                foreach (var folder in FolderNames(cells[0]))
                {
                    Assert.True(uses.TryAdd(folder, allowed), $"{folder}/ has two rows in the table");
                    frameworks[folder] = named;
                }
            }

            return new DocTable { Uses = uses, Frameworks = frameworks };
        }

        private static List<string> Cells(string row) =>
            row.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToList();

        /// <summary>The folders a cell names, written as <c>`Name/`</c>.</summary>
        private static IEnumerable<string> FolderNames(string cell) =>
            FolderName().Matches(cell).Select(m => m.Groups[1].Value);

        [GeneratedRegex(@"`([A-Za-z]+)/`")]
        private static partial Regex FolderName();
    }
}

using System.Reflection;
using System.Text.RegularExpressions;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Tests.Manifest;
using Microsoft.EntityFrameworkCore;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Xunit.Abstractions;

namespace BossTalkCalendar.Api.Tests.Architecture;

/// <summary>
/// Who writes which rows, read from the Api assembly's IL (every method body, the compiler's own types mapped back to
/// the source type that declares them) against the table "Who writes which rows" in docs/architecture.md: the writers
/// of each entity are exactly its owners, raw SQL is only in the types the table names, and no write goes to an entity
/// the IL does not name. The document describes what counts as a write.
/// </summary>
public sealed partial class RowOwnerTests(ITestOutputHelper output)
{
    private const string RootNamespace = "BossTalkCalendar.Api";
    private const string TableHeading = "## Who writes which rows";

    /// <summary>What a row's writer may not be told apart from: the IL does not say which entity.</summary>
    private const string UnknownEntity = "(an entity the IL does not name)";

    /// <summary>Methods of <c>DbSet&lt;T&gt;</c> and <c>DbContext</c> that add, attach, update or remove rows.</summary>
    private static readonly HashSet<string> TrackingWrites = new(StringComparer.Ordinal)
    {
        "Add", "AddAsync", "AddRange", "AddRangeAsync", "Attach", "AttachRange", "Update", "UpdateRange", "Remove", "RemoveRange",
    };

    /// <summary>EF's set-based statements; their generic argument is the entity.</summary>
    private static readonly HashSet<string> BulkWrites = new(StringComparer.Ordinal)
    {
        "ExecuteUpdate", "ExecuteUpdateAsync", "ExecuteDelete", "ExecuteDeleteAsync",
    };

    private static readonly Lazy<Writes> Found = new(Writes.Load);
    private static readonly Lazy<OwnerTable> Doc = new(OwnerTable.Load);

    [Fact]
    public void EachEntityIsWrittenExactlyByItsOwners()
    {
        var code = Found.Value;
        var table = Doc.Value;
        var problems = new List<string>();

        foreach (var entity in code.Entities.Where(e => !table.Owners.ContainsKey(e)))
        {
            problems.Add($"{entity} is an entity of {nameof(BossTalkDbContext)} but has no row in the table: name its owner");
        }

        foreach (var entity in table.Owners.Keys.Where(e => !code.Entities.Contains(e)))
        {
            problems.Add($"the table names {entity}, which is no entity of {nameof(BossTalkDbContext)}");
        }

        foreach (var entity in code.Entities.Append(UnknownEntity))
        {
            var writers = code.Writers.GetValueOrDefault(entity) ?? [];
            var owners = table.Owners.GetValueOrDefault(entity) ?? [];
            output.WriteLine($"{entity} (owners: {(owners.Count == 0 ? "none" : string.Join(", ", owners))})");
            foreach (var (writer, how) in writers)
            {
                output.WriteLine($"  {writer}: {string.Join(", ", how)}");
            }

            foreach (var (writer, how) in writers.Where(w => !owners.Contains(w.Key)))
            {
                problems.Add(entity == UnknownEntity
                    ? $"{writer} writes rows of {entity} ({string.Join(", ", how.Take(6))}): write through the entity's DbSet, in its owner"
                    : $"{writer} writes {entity} ({string.Join(", ", how.Take(6))}), which only {string.Join(", ", owners)} may: move the write into the owner");
            }

            problems.AddRange(owners.Where(o => !writers.ContainsKey(o))
                .Select(o => $"the table makes {o} the owner of {entity}, but it writes none: correct the table"));
        }

        Assert.True(problems.Count == 0, "Rows are written outside their owners (docs/architecture.md, \"Who writes which rows\"):\n  " + string.Join("\n  ", problems));
    }

    [Fact]
    public void RawSqlIsOnlyInTheTypesTheTableNames()
    {
        var code = Found.Value;
        var allowed = Doc.Value.Named;
        output.WriteLine("Raw SQL:");
        foreach (var (user, how) in code.RawSql)
        {
            output.WriteLine($"  {user}: {string.Join(", ", how)}");
        }

        var problems = code.RawSql.Where(u => !allowed.Contains(u.Key))
            .Select(u => $"{u.Key} runs raw SQL ({string.Join(", ", u.Value.Take(6))}), but the table names no such type: move it into the owner of the rows it reads or writes")
            .ToList();
        Assert.True(problems.Count == 0, "Raw SQL outside the types of docs/architecture.md, \"Who writes which rows\":\n  " + string.Join("\n  ", problems));
    }

    [Fact]
    public void TheTableAndTheScanFindWhatTheyShould()
    {
        // Guards the parser and the scan: an empty table or a scan that sees no writes would make the other tests pass
        // for the wrong reason. The store writes nudges in each of the three ways the scan tells apart.
        var table = Doc.Value;
        Assert.Equal("Nudges/NudgeStore", Assert.Single(table.Owners["Nudge"]));
        Assert.Equal("Enrolment/EnrolledUsers", Assert.Single(table.Owners["EnrolledUser"]));
        var found = Found.Value;
        var store = found.Writers["Nudge"]["Nudges/NudgeStore"];
        Assert.Contains("DbSet.Add", store);
        Assert.Contains("ExecuteUpdateAsync", store);
        Assert.Contains("ExecuteDeleteAsync", store);
        Assert.Contains("Nudges/UserLeases", found.RawSql.Keys);
        Assert.Contains("raw SQL INSERT INTO \"UserLeases\"", found.Writers["UserLease"]["Nudges/UserLeases"]);
        Assert.Contains("set_State", found.Writers["Team"]["Rollout/TeamRollout"]);
    }

    /// <summary>
    /// <c>Folder/Type</c> of the source type behind a type of the Api assembly: compiler-generated types (lambdas'
    /// closures, async and iterator state machines) and nested types count as their outermost declaring type.
    /// </summary>
    private static string SourceTypeOf(TypeDefinition type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        name = tick < 0 ? name : name[..tick];
        var ns = type.Namespace;
        if (!ns.StartsWith(RootNamespace + ".", StringComparison.Ordinal))
        {
            return name;
        }

        var rest = ns[(RootNamespace.Length + 1)..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return (dot < 0 ? rest : rest[..dot]) + "/" + name;
    }

    /// <summary>Every write of a row and every raw SQL call in the Api assembly, by source type.</summary>
    private sealed partial class Writes
    {
        /// <summary>Entity name → source type → how it writes.</summary>
        public required SortedDictionary<string, SortedDictionary<string, SortedSet<string>>> Writers { get; init; }

        /// <summary>Source type → the raw SQL calls it makes.</summary>
        public required SortedDictionary<string, SortedSet<string>> RawSql { get; init; }

        /// <summary>The entities of the context (its <c>DbSet</c>s), by type name.</summary>
        public required SortedSet<string> Entities { get; init; }

        public static Writes Load()
        {
            // The entities, and their tables by the convention the model keeps (a table is named as its DbSet).
            var sets = typeof(BossTalkDbContext).GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(DbSet<>))
                .ToList();
            var entityTypes = sets.Select(p => p.PropertyType.GetGenericArguments()[0]).ToList();
            var entities = new SortedSet<string>(entityTypes.Select(t => t.Name), StringComparer.Ordinal);
            var tables = sets.ToDictionary(p => p.Name, p => p.PropertyType.GetGenericArguments()[0].Name, StringComparer.Ordinal);
            var entityFullNames = entityTypes.ToDictionary(t => t.FullName!, t => t.Name, StringComparer.Ordinal);

            var writes = new Writes
            {
                Writers = new(StringComparer.Ordinal),
                RawSql = new(StringComparer.Ordinal),
                Entities = entities,
            };

            using var assembly = AssemblyDefinition.ReadAssembly(typeof(BossTalkDbContext).Assembly.Location);
            foreach (var type in assembly.MainModule.GetTypes())
            {
                var source = SourceTypeOf(type);
                foreach (var method in type.Methods.Where(m => m.HasBody))
                {
                    writes.Scan(source, method, entityFullNames, tables);
                }
            }

            return writes;
        }

        private void Scan(string source, MethodDefinition method, Dictionary<string, string> entityFullNames, Dictionary<string, string> tables)
        {
            string EntityOf(TypeReference type) =>
                type is GenericParameter ? UnknownEntity : entityFullNames.GetValueOrDefault(type.FullName) ?? "";

            var entries = new List<string>();
            var stateSet = false;
            var rawSql = false;
            foreach (var instruction in method.Body.Instructions)
            {
                // Calls, and method groups made into delegates (ldftn): `items.ForEach(db.Nudges.Add)` writes too.
                if (instruction.OpCode.Code is not (Code.Call or Code.Callvirt or Code.Newobj or Code.Ldftn or Code.Ldvirtftn)
                    || instruction.Operand is not MethodReference called)
                {
                    continue;
                }

                var declaring = called.DeclaringType;
                var declaringName = declaring is GenericInstanceType g ? g.ElementType.FullName : declaring.FullName;
                var name = called.Name;

                if (declaringName == "Microsoft.EntityFrameworkCore.DbSet`1" && declaring is GenericInstanceType set)
                {
                    if (TrackingWrites.Contains(name))
                    {
                        Add(EntityOf(set.GenericArguments[0]), source, "DbSet." + name);
                    }
                    else if (name == "Entry")
                    {
                        entries.Add(EntityOf(set.GenericArguments[0]));
                    }
                }
                else if (IsContext(declaringName) && (TrackingWrites.Contains(name) || name == "Entry"))
                {
                    var entity = called is GenericInstanceMethod generic ? EntityOf(generic.GenericArguments[0]) : UnknownEntity;
                    if (name == "Entry")
                    {
                        entries.Add(entity);
                    }
                    else
                    {
                        Add(entity, source, "DbContext." + name);
                    }
                }
                else if (BulkWrites.Contains(name) && declaring.Namespace.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal))
                {
                    Add(called is GenericInstanceMethod generic ? EntityOf(generic.GenericArguments[0]) : UnknownEntity, source, name);
                }
                else if (name == "set_State" && declaringName.StartsWith("Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry", StringComparison.Ordinal))
                {
                    stateSet = true;
                }
                else if (name.StartsWith("set_", StringComparison.Ordinal) && entityFullNames.TryGetValue(declaringName, out var written) && !IsInitOnly(called))
                {
                    Add(written, source, name);
                }

                if (IsRawSql(declaring, declaringName, called))
                {
                    rawSql = true;
                    Add(RawSql, source, name == ".ctor" ? "new " + declaring.Name : name);
                }
            }

            if (stateSet)
            {
                // EntityEntry<T>.State is set through the non-generic base, so the entity is the one this method asked
                // for an entry of.
                foreach (var entity in entries.DefaultIfEmpty(UnknownEntity))
                {
                    Add(entity, source, "Entry(...).State");
                }
            }

            if (rawSql)
            {
                // What the SQL writes, from the literals of the same method (an interpolated statement's format, a
                // constant's value inlined by the compiler).
                foreach (var text in method.Body.Instructions.Where(i => i.OpCode.Code == Code.Ldstr).Select(i => (string)i.Operand))
                {
                    foreach (Match statement in SqlWrite().Matches(text))
                    {
                        if (tables.TryGetValue(statement.Groups["table"].Value, out var entity))
                        {
                            Add(entity, source, "raw SQL " + string.Join(' ', statement.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
                        }
                    }
                }
            }
        }

        private static bool IsContext(string typeName) =>
            typeName is "Microsoft.EntityFrameworkCore.DbContext"
                or "BossTalkCalendar.Api.Persistence.BossTalkDbContext"
                or "BossTalkCalendar.Api.Persistence.PostgreSqlBossTalkDbContext";

        /// <summary>EF's raw SQL (on the database facade or a query), or an ADO.NET command's text.</summary>
        private static bool IsRawSql(TypeReference declaring, string declaringName, MethodReference called)
        {
            var name = called.Name;
            if (declaring.Namespace.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal)
                && (name.StartsWith("ExecuteSql", StringComparison.Ordinal) || name.StartsWith("FromSql", StringComparison.Ordinal) || name.StartsWith("SqlQuery", StringComparison.Ordinal)))
            {
                return true;
            }

            if (name == "set_CommandText")
            {
                return true;
            }

            // new NpgsqlCommand("…", connection), new SqliteCommand("…"): a command made with its text.
            return name == ".ctor"
                && declaringName.EndsWith("Command", StringComparison.Ordinal)
                && (declaring.Namespace.StartsWith("Npgsql", StringComparison.Ordinal) || declaring.Namespace.StartsWith("Microsoft.Data.Sqlite", StringComparison.Ordinal) || declaring.Namespace.StartsWith("System.Data", StringComparison.Ordinal))
                && called.Parameters.Any(p => p.ParameterType.FullName == "System.String");
        }

        /// <summary>An <c>init</c> accessor: its return type carries the IsExternalInit modifier.</summary>
        private static bool IsInitOnly(MethodReference setter) =>
            setter.ReturnType is RequiredModifierType { ModifierType.FullName: "System.Runtime.CompilerServices.IsExternalInit" };

        private void Add(string entity, string source, string how)
        {
            if (entity.Length == 0)
            {
                return;
            }

            if (!Writers.TryGetValue(entity, out var bySource))
            {
                Writers[entity] = bySource = new(StringComparer.Ordinal);
            }

            Add(bySource, source, how);
        }

        private static void Add(SortedDictionary<string, SortedSet<string>> map, string key, string value)
        {
            if (!map.TryGetValue(key, out var set))
            {
                map[key] = set = new SortedSet<string>(StringComparer.Ordinal);
            }

            set.Add(value);
        }

        [GeneratedRegex("""\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO|TRUNCATE(?:\s+TABLE)?)\s+"?(?<table>[A-Za-z_]+)"?""", RegexOptions.IgnoreCase)]
        private static partial Regex SqlWrite();
    }

    /// <summary>The table "Who writes which rows" of docs/architecture.md: entity → owner types, and every type it names.</summary>
    private sealed partial class OwnerTable
    {
        /// <summary>Entity name → its owners, as <c>Folder/Type</c>.</summary>
        public required Dictionary<string, SortedSet<string>> Owners { get; init; }

        /// <summary>Every type the table names, owners or not (raw SQL is allowed in these).</summary>
        public required HashSet<string> Named { get; init; }

        public static OwnerTable Load()
        {
            var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "docs", "architecture.md"));
            var start = Array.FindIndex(lines, l => l.Trim() == TableHeading);
            Assert.True(start >= 0, $"docs/architecture.md has no heading \"{TableHeading}\"");
            var rows = lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).ToList();
            Assert.True(rows.Count > 2, "the table after \"" + TableHeading + "\" is missing");

            var owners = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
            var named = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in rows.Skip(2))
            {
                var cells = row.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToList();
                Assert.True(cells.Count >= 2, $"a row of the table has fewer than two cells: {row}");
                var types = new SortedSet<string>(TypeName().Matches(cells[1]).Select(m => m.Groups[1].Value), StringComparer.Ordinal);
                Assert.True(types.Count > 0, $"a row of the table names no type as `Folder/Type`: {row}");
                named.UnionWith(types);
                foreach (var entity in EntityName().Matches(cells[0]).Select(m => m.Groups[1].Value))
                {
                    Assert.True(owners.TryAdd(entity, types), $"{entity} has two rows in the table");
                }
            }

            return new OwnerTable { Owners = owners, Named = named };
        }

        [GeneratedRegex(@"`([A-Za-z]+/[A-Za-z]+)`")]
        private static partial Regex TypeName();

        [GeneratedRegex(@"`([A-Za-z]+)`")]
        private static partial Regex EntityName();
    }
}

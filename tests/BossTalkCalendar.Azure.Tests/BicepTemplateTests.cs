using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BossTalkCalendar.Azure.Tests;

/// <summary>
/// deploy/azure/main.bicep, built and linted offline by the Bicep CLI from NuGet (Azure.Bicep.CommandLine.linux-x64):
/// any error or warning fails, and the compiled template is checked for what the README promises.
/// </summary>
public sealed partial class BicepTemplateTests
{
    private static readonly string Folder = RepositoryRoot.Combine("deploy", "azure");
    private static readonly string Template = Path.Combine(Folder, "main.bicep");

    [Fact]
    public async Task TheTemplateBuildsWithoutAnyDiagnostic()
    {
        var result = await BicepAsync("build", Template, "--stdout");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Empty(Diagnostics(result.Error));
        using var json = JsonDocument.Parse(result.Output);
        Assert.NotEmpty(Resources(json.RootElement));
    }

    [Fact]
    public async Task TheTemplateLintsWithoutAWarning()
    {
        var result = await BicepAsync("lint", Template);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Empty(Diagnostics(result.Output + "\n" + result.Error));
    }

    [Fact]
    public async Task TheLintSeesAWarningInABrokenCopy()
    {
        // The same template and linter settings with an unused parameter and a hard-coded location: the lint that
        // passes above must be able to fail.
        var folder = Directory.CreateTempSubdirectory("bosstalk-bicep-").FullName;
        try
        {
            File.Copy(Path.Combine(Folder, "bicepconfig.json"), Path.Combine(folder, "bicepconfig.json"));
            var text = await File.ReadAllTextAsync(Template);
            text = text.Replace("  name: '${namePrefix}-identity'\n  location: location", "  name: '${namePrefix}-identity'\n  location: 'westeurope'", StringComparison.Ordinal)
                + "\nparam neverUsed string = 'x'\n";
            var broken = Path.Combine(folder, "main.bicep");
            await File.WriteAllTextAsync(broken, text);

            var result = await BicepAsync("lint", broken);

            var diagnostics = Diagnostics(result.Output + "\n" + result.Error);
            Assert.Contains(diagnostics, d => d.Contains("no-unused-params", StringComparison.Ordinal));
            Assert.Contains(diagnostics, d => d.Contains("no-hardcoded-location", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void NoLinterRuleIsSwitchedOff()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "bicepconfig.json")), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var core = config.RootElement.GetProperty("analyzers").GetProperty("core");

        Assert.True(core.GetProperty("enabled").GetBoolean());
        foreach (var rule in core.GetProperty("rules").EnumerateObject())
        {
            var level = rule.Value.GetProperty("level").GetString();
            Assert.True(level is "warning" or "error", $"{rule.Name} is '{level}'");
        }
    }

    [Fact]
    public async Task TheCompiledTemplateRunsTwoReplicasOnPort8080WithHealthProbesAndAManagedIdentityForGraph()
    {
        var result = await BicepAsync("build", Template, "--stdout");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;

        var minReplicas = root.GetProperty("parameters").GetProperty("minReplicas");
        Assert.True(minReplicas.GetProperty("minValue").GetInt32() >= 2);
        Assert.True(minReplicas.GetProperty("defaultValue").GetInt32() >= 2);

        var app = Resources(root).Single(r => r.GetProperty("type").GetString() == "Microsoft.App/containerApps");
        var properties = app.GetProperty("properties");
        Assert.Equal("[parameters('minReplicas')]", properties.GetProperty("template").GetProperty("scale").GetProperty("minReplicas").GetString());
        Assert.Equal("UserAssigned", app.GetProperty("identity").GetProperty("type").GetString());
        var ingress = properties.GetProperty("configuration").GetProperty("ingress");
        Assert.False(ingress.GetProperty("allowInsecure").GetBoolean());

        var container = properties.GetProperty("template").GetProperty("containers").EnumerateArray().Single();
        var env = container.GetProperty("env").EnumerateArray()
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.TryGetProperty("value", out var v) ? v.ToString() : "secretRef:" + e.GetProperty("secretRef").GetString());
        Assert.Equal("ManagedIdentity", env["Graph__Credential"]);
        Assert.Equal("PostgreSql", env["Storage__Provider"]);
        Assert.StartsWith("secretRef:", env["ConnectionStrings__BossTalk"], StringComparison.Ordinal);
        Assert.Contains("identity", env["Graph__ManagedIdentityClientId"], StringComparison.Ordinal);

        var probes = container.GetProperty("probes").EnumerateArray()
            .ToDictionary(p => p.GetProperty("type").GetString()!, p => p.GetProperty("httpGet").GetProperty("path").GetString());
        Assert.Equal("/healthz", probes["Liveness"]);
        Assert.Equal("/readyz", probes["Readiness"]);

        // Port 8080 everywhere it is named: the listener, the ingress and the probes (the template's httpPort variable).
        Assert.Equal(8080, root.GetProperty("variables").GetProperty("httpPort").GetInt32());
        Assert.Equal("[variables('httpPort')]", ingress.GetProperty("targetPort").GetString());
        Assert.Equal("[string(variables('httpPort'))]", env["ASPNETCORE_HTTP_PORTS"]);
    }

    [Fact]
    public async Task NoSecretIsWrittenIntoTheTemplate()
    {
        var result = await BicepAsync("build", Template, "--stdout");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);

        foreach (var parameter in json.RootElement.GetProperty("parameters").EnumerateObject())
        {
            var secure = parameter.Value.GetProperty("type").GetString() is "securestring" or "secureObject";
            // A Key Vault secret's URI is an address, not a secret.
            var named = parameter.Name.Contains("password", StringComparison.OrdinalIgnoreCase)
                || (parameter.Name.Contains("secret", StringComparison.OrdinalIgnoreCase) && !parameter.Name.EndsWith("Uri", StringComparison.Ordinal));
            if (named)
            {
                Assert.True(secure, $"{parameter.Name} must be @secure()");
            }

            if (secure)
            {
                Assert.False(parameter.Value.TryGetProperty("defaultValue", out _), $"{parameter.Name} must have no default");
            }
        }

        Assert.False(PasswordLiteral().IsMatch(await File.ReadAllTextAsync(Template)), "a password literal in main.bicep");
    }

    private static List<JsonElement> Resources(JsonElement root)
    {
        var resources = root.GetProperty("resources");
        return resources.ValueKind == JsonValueKind.Array
            ? resources.EnumerateArray().ToList()
            : resources.EnumerateObject().Select(p => p.Value).ToList();
    }

    /// <summary>Bicep's diagnostic lines: "file(line,col) : Warning rule: text" or "... : Error BCP...".</summary>
    private static List<string> Diagnostics(string output) =>
        output.Split('\n').Where(l => DiagnosticLine().IsMatch(l)).ToList();

    [GeneratedRegex(@"\(\d+,\d+\) : (Warning|Error|Info)\b")]
    private static partial Regex DiagnosticLine();

    /// <summary>A password written as a literal (Password= followed by anything but an interpolation).</summary>
    [GeneratedRegex(@"Password=(?!\$\{)")]
    private static partial Regex PasswordLiteral();

    private sealed record Run(int ExitCode, string Output, string Error);

    private static async Task<Run> BicepAsync(params string[] arguments)
    {
        var bicep = typeof(BicepTemplateTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!.Replace('\\', '/');
        Assert.True(File.Exists(bicep), $"Bicep CLI not found at {bicep} (restored from NuGet with this project)");
        var start = new ProcessStartInfo(bicep) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Folder };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Offline and quiet: no telemetry, no update check.
        start.Environment["BICEP_TRACING_ENABLED"] = "false";
        start.Environment["AZURE_BICEP_USAGE_STATISTICS_ENABLED"] = "false";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Run(process.ExitCode, await output, await error);
    }
}

using BossTalkCalendar.Api.AddIn;
using BossTalkCalendar.Api.Auth;
using BossTalkCalendar.Api.Hosting;
using BossTalkCalendar.Api.Notifications;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Graph;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Operator;

/// <summary>
/// The operator commands that run instead of the service: <c>check</c> (the preflight check) and <c>setup</c> (the Entra
/// app registration). They read the service's configuration exactly as the service does (appsettings, environment,
/// user secrets in Development, command line) and register only what they need: no web server, no Hangfire, no jobs.
/// </summary>
public static class OperatorCommands
{
    /// <summary>Short options, mapped onto configuration keys (the long forms, <c>--Check:SampleUser</c>, work too).</summary>
    private static readonly Dictionary<string, string> Switches = new(StringComparer.OrdinalIgnoreCase)
    {
        ["--sample-user"] = $"{PreflightOptions.SectionName}:{nameof(PreflightOptions.SampleUser)}",
        ["--out-of-scope-user"] = $"{PreflightOptions.SectionName}:{nameof(PreflightOptions.OutOfScopeUser)}",
        ["--mailbox-group"] = $"{SetupOptions.SectionName}:{nameof(SetupOptions.MailboxGroup)}",
    };

    /// <summary>True when the first argument names a command.</summary>
    public static bool IsCommand(string[] args) => args is ["check" or "setup", ..];

    /// <returns>The process exit code: 0 on success, 1 when a check or the setup failed, 2 on a usage error.</returns>
    public static async Task<int> RunAsync(string[] args, TimeProvider time, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        output ??= Console.Out;
        var rest = args[1..];
        using var app = Build(rest, time);
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        if (args[0] == "check")
        {
            // Every item reports a wrong setting as its own FAIL line.
            return await new PreflightCheck(app.Services, output).RunAsync(cancel.Token);
        }

        if (args[0] != "setup")
        {
            return 2;
        }

        AppRegistrationSetup setup;
        try
        {
            setup = AppRegistrationSetup.FromServices(app.Services, output);
        }
        catch (OptionsValidationException ex)
        {
            // A setting the service itself would refuse (an http public origin, say): a usage error, named.
            await output.WriteLineAsync($"setup: {string.Join(" ", ex.Failures)}");
            return 2;
        }

        return await setup.RunAsync(cancel.Token);
    }

    /// <summary>The service's configuration and the registrations the commands use; built, never started.</summary>
    public static WebApplication Build(string[] args, TimeProvider time)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddCommandLine(args, Switches);
        // The commands print their own lines; framework and Graph logging would bury them.
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(time);
        builder.AddPersistence();
        builder.Services.AddGraphGateway();
        builder.Services.AddAddInManifests();
        builder.Services.AddServiceOptions();
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName);
        builder.Services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>();
        builder.Services.AddOptions<PreflightOptions>().BindConfiguration(PreflightOptions.SectionName);
        builder.Services.AddOptions<SetupOptions>().BindConfiguration(SetupOptions.SectionName);
        return builder.Build();
    }
}

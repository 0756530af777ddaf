using BossTalkCalendar.Api.AddIn;
using BossTalkCalendar.Api.Api;
using BossTalkCalendar.Api.Auth;
using BossTalkCalendar.Api.Enrolment;
using BossTalkCalendar.Api.Health;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Me;
using BossTalkCalendar.Api.Meetings;
using BossTalkCalendar.Api.Notifications;
using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Observability;
using BossTalkCalendar.Api.Operator;
using BossTalkCalendar.Api.Outcomes;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Rollout;
using BossTalkCalendar.Api.Sandbox;
using BossTalkCalendar.Api.SendCheck;
using BossTalkCalendar.Api.TaskPane;
using BossTalkCalendar.Graph;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scalar.AspNetCore;

// Operator commands (`check`, `setup`) run instead of the service and exit; see Operator/OperatorCommands.cs.
if (OperatorCommands.IsCommand(args))
{
#pragma warning disable RS0030
    Environment.ExitCode = await OperatorCommands.RunAsync(args, TimeProvider.System);
#pragma warning restore RS0030
    return;
}

var builder = WebApplication.CreateBuilder(args);

// The one place the real clock enters; everything else asks TimeProvider (tests swap in a fake). Everywhere else
// in src the analyzer refuses TimeProvider.System (BannedSymbols.txt).
#pragma warning disable RS0030
builder.Services.TryAddSingleton(TimeProvider.System);
#pragma warning restore RS0030
builder.AddPersistence();
builder.Services.AddEnrolment();
builder.Services.AddGraphGateway();
builder.AddNudges();
builder.AddJobs();
builder.AddNotifications();
builder.AddRollout();
builder.AddSandbox();
builder.AddHealth();
builder.Services.AddApiAuthentication();
builder.Services.AddDevIssuer();
builder.Services.AddAddInManifests();
builder.Services.AddTaskPane();
builder.AddApi();
builder.Services.AddMe();
builder.Services.AddMeetings();
builder.Services.AddOutcomes();
builder.Services.AddSendCheck();
builder.Services.AddOpenApi();
builder.AddObservability();

var app = builder.Build();

app.UseApi();

app.MapHealth();
app.MapJobsDashboard();
app.MapOpenApi();
app.MapScalarApiReference();
app.MapDevIssuer();
app.MapAddInManifests();
app.MapTaskPane();
app.MapSandboxUsers();
app.MapRollout();
app.MapGraphNotifications();

app.MapGroup(ApiSetup.PathPrefix)
    .RequireAuthorization()
    .MapMe()
    .MapMeetings()
    .MapNudges()
    .MapSendCheck();

app.Run();

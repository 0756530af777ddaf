using BossTalkCalendar.Api.Health;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Sandbox;
using BossTalkCalendar.Graph;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

// The one place the real clock enters; everything else asks TimeProvider (tests swap in a fake).
builder.Services.TryAddSingleton(TimeProvider.System);
builder.AddPersistence();
builder.Services.AddGraphGateway();
builder.AddNudges();
builder.AddJobs();
builder.AddSandbox();
builder.AddHealth();
builder.Services.AddOpenApi();

var app = builder.Build();

app.MapHealth();
app.MapJobsDashboard();
app.MapOpenApi();
app.MapScalarApiReference();

app.Run();

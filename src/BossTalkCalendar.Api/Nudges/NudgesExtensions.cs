using BossTalkCalendar.Api.Hosting;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Nudges;

public static class NudgesExtensions
{
    /// <summary>Policy, links and the nudge's life: store, leases, judge, placers.</summary>
    public static WebApplicationBuilder AddNudges(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PolicyOptions>().BindConfiguration(PolicyOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PolicyOptions>, PolicyOptionsValidator>();
        services.AddServiceOptions();

        services.AddSingleton<NudgePolicies>();
        services.AddSingleton<NudgeStore>();
        services.AddSingleton<UserLeases>();
        services.AddScoped<MeetingJudge>();
        services.AddScoped<PlacedEvents>();
        services.AddScoped<NudgeRequests>();
        services.AddScoped<INudgePlacer, ReflectionPlacer>();
        services.AddScoped<INudgePlacer, FollowUpPlacer>();
        services.AddScoped<INudgePlacer, PrepPlacer>();
        return builder;
    }
}

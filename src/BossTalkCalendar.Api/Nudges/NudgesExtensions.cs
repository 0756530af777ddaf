using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Nudges;

public static class NudgesExtensions
{
    /// <summary>Policy, links and enrollment (which the team rollout drives).</summary>
    public static WebApplicationBuilder AddNudges(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PolicyOptions>().BindConfiguration(PolicyOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PolicyOptions>, PolicyOptionsValidator>();
        services.AddServiceOptions();

        services.AddSingleton<NudgePolicies>();
        services.AddSingleton<Enrollment>();
        return builder;
    }
}

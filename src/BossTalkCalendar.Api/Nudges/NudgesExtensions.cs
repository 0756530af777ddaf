using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Nudges;

public static class NudgesExtensions
{
    /// <summary>Policy, links and enrollment by configuration.</summary>
    public static WebApplicationBuilder AddNudges(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PolicyOptions>().BindConfiguration(PolicyOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PolicyOptions>, PolicyOptionsValidator>();
        services.AddOptions<ServiceOptions>().BindConfiguration(ServiceOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServiceOptions>, ServiceOptionsValidator>();
        services.AddOptions<EnrollmentOptions>().BindConfiguration(EnrollmentOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EnrollmentOptions>, EnrollmentOptionsValidator>();

        services.AddSingleton<NudgePolicies>();
        services.AddSingleton<Enrollment>();
        services.AddHostedService<ConfiguredEnrollment>();
        return builder;
    }
}

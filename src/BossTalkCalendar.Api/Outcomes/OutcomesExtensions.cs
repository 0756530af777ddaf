namespace BossTalkCalendar.Api.Outcomes;

public static class OutcomesExtensions
{
    public static IServiceCollection AddOutcomes(this IServiceCollection services) =>
        services.AddScoped<MeetingOutcomes>().AddScoped<OutcomeResponder>();
}

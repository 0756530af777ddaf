namespace BossTalkCalendar.Api.Enrolment;

public static class EnrolmentExtensions
{
    /// <summary>The owner of enrolled users' rows.</summary>
    public static IServiceCollection AddEnrolment(this IServiceCollection services) => services.AddSingleton<EnrolledUsers>();
}

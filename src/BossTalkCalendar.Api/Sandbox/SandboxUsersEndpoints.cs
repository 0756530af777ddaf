using BossTalkCalendar.Api.Auth;
using BossTalkCalendar.Api.Api;
using BossTalkCalendar.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BossTalkCalendar.Api.Sandbox;

/// <summary>A demo user the preview page can sign in as.</summary>
public sealed record SandboxUserDto(string UserId, string Mail, string Role, string TimeZone);

/// <summary>
/// GET /api/v1/sandbox/users: both demo teams (Mara's, waiting for approval, then Noor's, approved), each manager
/// before their reports, for the task pane's preview page. Exists only in sandbox mode (404
/// otherwise) and answers only requests made on this machine, like the development sign-in.
/// </summary>
public static class SandboxUsersEndpoints
{
    public static IEndpointRouteBuilder MapSandboxUsers(this IEndpointRouteBuilder app)
    {
        if (!HostMode.IsSandbox(app.ServiceProvider.GetRequiredService<IConfiguration>()))
        {
            return app;
        }

        app.MapGet($"{ApiSetup.PathPrefix}/sandbox/users", Results<Ok<List<SandboxUserDto>>, ProblemHttpResult> (HttpContext context) =>
            {
                if (!Loopback.IsLocalRequest(context))
                {
                    return ApiProblems.Problem(StatusCodes.Status403Forbidden, "Local requests only", "The demo users are listed only to requests made on this machine.");
                }

                // The README's walk-throughs use both teams: Ravi's "How did it go?" and Mara's rollout.
                var users = Team(DemoTenant.Manager, DemoTenant.Reports)
                    .Concat(Team(DemoTenant.ApprovedManager, DemoTenant.ApprovedReports))
                    .ToList();
                return TypedResults.Ok(users);
            })
            .AllowAnonymous()
            .WithTags("Sandbox");
        return app;
    }

    private static IEnumerable<SandboxUserDto> Team(DemoUser manager, IEnumerable<DemoUser> reports) =>
        reports.Select(u => new SandboxUserDto(u.Id, u.Mail, "member", u.IanaZone))
            .Prepend(new SandboxUserDto(manager.Id, manager.Mail, "manager", manager.IanaZone));
}

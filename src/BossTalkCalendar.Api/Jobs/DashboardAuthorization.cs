using BossTalkCalendar.Api.Auth;
using BossTalkCalendar.Api.Hosting;
using Hangfire.Dashboard;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Jobs;

/// <summary>
/// The dashboard shows job arguments (ids only) and can delete or trigger jobs, so it needs an administrator: a
/// bearer token with the API scope and the admin role from the tenant this instance serves (put it in the
/// Authorization header, for example through the reverse proxy). In sandbox mode a request made on this machine
/// is enough.
/// </summary>
internal sealed class DashboardAuthorization : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var services = http.RequestServices;
        if (HostMode.IsSandbox(services.GetRequiredService<IConfiguration>()) && Loopback.IsLocalRequest(http))
        {
            return true;
        }

        // The authentication middleware has already validated the bearer token (if any) into http.User.
        var auth = services.GetRequiredService<IOptions<AuthOptions>>().Value;
        return ApiUser.TryFrom(http.User, auth.AdminRole) is { IsAdmin: true } admin
            && TokenRules.HasScope(http.User, auth.RequiredScope)
            && services.GetRequiredService<ServedTenant>().Serves(admin.TenantId);
    }
}

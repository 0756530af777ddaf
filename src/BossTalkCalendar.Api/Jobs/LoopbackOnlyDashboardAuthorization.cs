using System.Net;
using Hangfire.Dashboard;

namespace BossTalkCalendar.Api.Jobs;

/// <summary>The dashboard shows job arguments and can delete or trigger jobs: only callers on this machine may open it.</summary>
internal sealed class LoopbackOnlyDashboardAuthorization : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) =>
        context.GetHttpContext().Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address);
}

using BossTalkCalendar.Api.Persistence;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Jobs;

/// <summary>When the sweep runs and whom it may leave out; replaced when change notifications tell us about calendars.</summary>
public interface ISweepPolicy
{
    /// <summary>The sweep's schedule (cron, UTC).</summary>
    string Cron { get; }

    /// <summary>Users this sweep need not scan, because something else keeps their calendar in view.</summary>
    Task<IReadOnlySet<(string TenantId, string UserId)>> SkippableAsync(BossTalkDbContext db, IReadOnlyList<EnrolledUser> users, CancellationToken cancellationToken);
}

/// <summary>Polling: every user at every sweep, on <see cref="JobsOptions.SweepCron"/>.</summary>
public sealed class PollingSweepPolicy(IOptions<JobsOptions> options) : ISweepPolicy
{
    public string Cron => options.Value.SweepCron;

    public Task<IReadOnlySet<(string TenantId, string UserId)>> SkippableAsync(BossTalkDbContext db, IReadOnlyList<EnrolledUser> users, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlySet<(string TenantId, string UserId)>>(new HashSet<(string, string)>());
}

using BossTalkCalendar.Api.Auth;
using BossTalkCalendar.Api.Enrolment;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Outcomes;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Rollout;
using BossTalkCalendar.Core.Nudges;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Me;

/// <summary>
/// A user's own say: preferences, opt-out and opt-in. A user who is not enrolled (yet) still gets a row, so a later
/// enrolment keeps their choices; every opt-out and opt-in is on the audit trail.
/// </summary>
public sealed class Participation(
    IDbContextFactory<BossTalkDbContext> contexts,
    EnrolledUsers enrolled,
    PendingWork pending,
    NudgePolicies policies,
    NudgeStore store,
    INudgeScheduler scheduler,
    IOptions<JobsOptions> jobOptions,
    TimeProvider time)
{
    public async Task<EnrolledUser?> FindAsync(ApiUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.EnrolledUsers.AsNoTracking()
            .SingleOrDefaultAsync(u => u.TenantId == user.TenantId && u.UserId == user.UserId, cancellationToken);
    }

    public PreferencesDto Effective(EnrolledUser? user)
    {
        var organisation = policies.OrganisationReflection;
        return new PreferencesDto(
            user?.CoolDownMinutes ?? (int)organisation.CoolDown.TotalMinutes,
            user?.ReflectionMinutes ?? (int)organisation.Duration.TotalMinutes,
            user?.Counterpart ?? Core.Meetings.Counterpart.Manager,
            user?.Paused ?? false,
            policies.ModeFor(user),
            user?.Relationship,
            policies.SendAlertFor(user));
    }

    /// <summary>Stores the fields that were sent (already validated) and returns the effective preferences.</summary>
    public async Task<PreferencesDto> UpdatePreferencesAsync(ApiUser user, PreferencesRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        var change = new PreferenceChange(
            request.CoolDownMinutes, request.ReflectionMinutes, request.Counterpart, request.Paused, request.Mode, request.Relationship, request.SendAlert);
        return Effective(await enrolled.UpdatePreferencesAsync(user.TenantId, user.UserId, change, cancellationToken));
    }

    /// <summary>
    /// Marks the user opted out, erases their answers to "how did it go?" and cancels their waiting nudges at once
    /// (their Hangfire jobs are deleted).
    /// </summary>
    /// <returns>How many nudges were cancelled.</returns>
    public async Task<int> OptOutAsync(ApiUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await enrolled.OptOutAsync(user.TenantId, user.UserId, AuditLog.Appender(user.TenantId, user.UserId, AuditActions.OptedOut, user.UserId), cancellationToken);

        // Their answers to "how did it go?" serve nothing any more.
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            await MeetingOutcomes.EraseAllOfUserAsync(db, user.TenantId, user.UserId, cancellationToken);
        }

        // After the flag: a placement that starts now sees the opt-out, one already running finds its nudge cancelled.
        return await pending.CancelAsync(user.TenantId, [user.UserId], NudgeReasons.OptedOut, cancellationToken);
    }

    /// <summary>
    /// Clears the opt-out. Reflections the opt-out cancelled for meetings still inside the scan's look-back window are
    /// planned again, as if the user had never left; follow-ups are not, as they were asked for at another moment.
    /// </summary>
    public async Task OptInAsync(ApiUser user, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(user, cancellationToken);
        if (existing is not { OptedOut: true })
        {
            return;
        }

        var row = await enrolled.OptInAsync(user.TenantId, user.UserId, AuditLog.Appender(user.TenantId, user.UserId, AuditActions.OptedIn, user.UserId), cancellationToken);
        if (!row.Enrolled)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var since = now - TimeSpan.FromHours(jobOptions.Value.LookbackHours);
        // The time filter runs here: SQLite cannot compare DateTimeOffset values in SQL.
        var resumable = (await db.Nudges.AsNoTracking()
                .Where(n => n.TenantId == user.TenantId && n.UserId == user.UserId && n.Kind == NudgeKind.Reflection
                    && n.State == NudgeState.Cancelled && n.Reason == NudgeReasons.OptedOut)
                .Select(n => new { n.Id, n.MeetingEnd })
                .ToListAsync(cancellationToken))
            .Where(n => n.MeetingEnd >= since)
            .Select(n => n.Id)
            .ToList();
        var revived = new List<Guid>(resumable.Count);
        foreach (var id in resumable)
        {
            if (await store.ReviveAsync(id, NudgeState.Cancelled, NudgeReasons.OptedOut, request: null, cancellationToken))
            {
                revived.Add(id);
            }
        }

        if (revived.Count > 0)
        {
            await scheduler.QueueAsync(revived, cancellationToken);
        }
    }
}

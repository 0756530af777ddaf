using BossTalkCalendar.Api.Auth;
using BossTalkCalendar.Api.Jobs;
using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Api.Rollout;
using BossTalkCalendar.Core.Nudges;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Me;

/// <summary>
/// A user's own say: preferences, opt-out and opt-in. A user who is not enrolled (yet) still gets a row, so a later
/// enrollment keeps their choices; every opt-out and opt-in is on the audit trail.
/// </summary>
public sealed class Participation(
    IDbContextFactory<BossTalkDbContext> contexts,
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
        ArgumentNullException.ThrowIfNull(request);
        var row = await ChangeAsync(user, row =>
        {
            row.CoolDownMinutes = request.CoolDownMinutes ?? row.CoolDownMinutes;
            row.ReflectionMinutes = request.ReflectionMinutes ?? row.ReflectionMinutes;
            row.Counterpart = request.Counterpart ?? row.Counterpart;
            row.Paused = request.Paused ?? row.Paused;
            row.Mode = request.Mode ?? row.Mode;
            row.Relationship = request.Relationship ?? row.Relationship;
            row.SendAlert = request.SendAlert ?? row.SendAlert;
            return null;
        }, cancellationToken);
        return Effective(row);
    }

    /// <summary>
    /// Marks the user opted out, erases their answers to "how did it go?" and cancels their waiting nudges at once
    /// (their Hangfire jobs are deleted).
    /// </summary>
    /// <returns>How many nudges were cancelled.</returns>
    public async Task<int> OptOutAsync(ApiUser user, CancellationToken cancellationToken)
    {
        await ChangeAsync(user, row =>
        {
            var changed = !row.OptedOut;
            row.OptedOut = true;
            return changed ? AuditActions.OptedOut : null;
        }, cancellationToken);

        // Their answers to "how did it go?" serve nothing any more.
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            await db.MeetingOutcomes.Where(o => o.TenantId == user.TenantId && o.UserId == user.UserId).ExecuteDeleteAsync(cancellationToken);
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

        var row = await ChangeAsync(user, row =>
        {
            var changed = row.OptedOut;
            row.OptedOut = false;
            return changed ? AuditActions.OptedIn : null;
        }, cancellationToken);
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

    /// <summary>
    /// Applies <paramref name="change"/> to the user's row (made if missing, not enrolled) and saves it with the audit
    /// entry the change returns, in one transaction.
    /// </summary>
    private async Task<EnrolledUser> ChangeAsync(ApiUser user, Func<EnrolledUser, string?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var now = time.GetUtcNow();
            var row = await db.EnrolledUsers.SingleOrDefaultAsync(u => u.TenantId == user.TenantId && u.UserId == user.UserId, cancellationToken);
            if (row is null)
            {
                row = new EnrolledUser { TenantId = user.TenantId, UserId = user.UserId, Enrolled = false, CreatedAt = now };
                db.EnrolledUsers.Add(row);
            }

            if (change(row) is { } action)
            {
                db.AuditEntries.Add(AuditLog.Entry(user.TenantId, user.UserId, action, user.UserId, now));
            }

            row.UpdatedAt = now;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return row;
            }
            catch (DbUpdateException ex) when (attempt == 0 && ex.IsUniqueViolation())
            {
                // The row was made by a concurrent request (or an enrollment) a moment ago: apply the change to it.
            }
        }
    }
}

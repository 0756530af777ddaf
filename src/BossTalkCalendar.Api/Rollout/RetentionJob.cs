using BossTalkCalendar.Api.Enrolment;
using BossTalkCalendar.Api.Notifications;
using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Outcomes;
using BossTalkCalendar.Api.Persistence;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Rollout;

/// <summary>
/// Daily <c>retention</c>: deletes the data of users who left the service (their team was revoked or they left an
/// approved team) more than <see cref="RolloutOptions.RetentionDays"/> ago: their preferences and nudge records.
/// The audit trail stays; events already placed stay in the users' own calendars. It also erases every user's
/// answers to "how did it go?" once they can no longer matter (<see cref="MeetingOutcomes"/>), and the receipts of
/// change notifications once Graph can no longer retry them (<see cref="NotificationReceipts"/>).
/// </summary>
[AutomaticRetry(Attempts = 2)]
public sealed class RetentionJob(
    IDbContextFactory<BossTalkDbContext> contexts,
    EnrolledUsers enrolled,
    IOptions<RolloutOptions> options,
    MeetingOutcomes outcomes,
    NotificationReceipts receipts,
    TimeProvider time,
    ILogger<RetentionJob> logger)
{
    public const string RecurringJobId = "retention";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(options.Value.RetentionDays);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Instants are compared here, not in SQL: SQLite keeps them as text.
        var former = (await db.EnrolledUsers.AsNoTracking()
                .Where(u => !u.Enrolled && u.UnenrolledAt != null)
                .Select(u => new { u.TenantId, u.UserId, u.UnenrolledAt })
                .ToListAsync(cancellationToken))
            .Where(u => u.UnenrolledAt <= cutoff)
            .ToList();

        var now = time.GetUtcNow();
        var count = 0;
        foreach (var user in former)
        {
            // Still gone? A refresh may have enrolled them again since the list was read; then nothing is deleted.
            var deleted = await enrolled.DeleteFormerAsync(user.TenantId, user.UserId, async (db, token) =>
            {
                await NudgeStore.EraseAllOfUserAsync(db, user.TenantId, user.UserId, token);
                await MeetingOutcomes.EraseAllOfUserAsync(db, user.TenantId, user.UserId, token);
                AuditLog.Append(db, user.TenantId, AuditActions.SystemActor, AuditActions.MemberDataDeleted, user.UserId, now);
                await db.SaveChangesAsync(token);
            }, cancellationToken);
            if (deleted)
            {
                count++;
            }
        }

        if (count > 0)
        {
            logger.DataDeleted(count, options.Value.RetentionDays);
        }

        // Answers to "how did it go?" whose next one-on-one is long over (the ones that asked for a prep block went
        // as soon as it was placed).
        await outcomes.EraseExpiredAsync(cancellationToken);

        // Change notifications seen more than a day ago: past Graph's retries, so a receipt stops nothing any more.
        await receipts.PruneAsync(cancellationToken);
    }
}

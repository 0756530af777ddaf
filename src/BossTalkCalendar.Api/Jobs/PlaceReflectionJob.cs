using BossTalkCalendar.Api.Nudges;
using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Calendar;
using BossTalkCalendar.Core.Graph;
using BossTalkCalendar.Core.Meetings;
using BossTalkCalendar.Core.Nudges;
using BossTalkCalendar.Core.Scheduling;
using BossTalkCalendar.Core.Texts;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Jobs;

/// <summary>
/// <c>place-reflection</c>: re-reads the meeting and the user's calendar at run time, finds a slot and creates the
/// private reflection block. Safe to run twice or concurrently: the create carries the nudge's deterministic
/// transactionId (Graph answers a repeat with the existing event) and the result is written only while the
/// nudge is still planned.
/// </summary>
[AutomaticRetry(Attempts = 2)] // Graph failures are retried below on Graph's terms; this covers the unexpected
public sealed class PlaceReflectionJob(
    IDbContextFactory<BossTalkDbContext> contexts,
    ICalendarGateway graph,
    NudgePolicies policies,
    IOptions<ServiceOptions> service,
    IOptions<JobsOptions> options,
    IBackgroundJobClient jobs,
    TimeProvider time,
    ILogger<PlaceReflectionJob> logger)
{
    // Enough calendar to cover the finder's horizon (end of the next working day) even after a long weekend.
    private static readonly TimeSpan BusyLookahead = TimeSpan.FromDays(8);

    /// <param name="nudgeId">The planned nudge.</param>
    /// <param name="cancellationToken">Replaced by Hangfire with the server's shutdown token.</param>
    public async Task RunAsync(Guid nudgeId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var nudge = await db.Nudges.AsNoTracking().SingleOrDefaultAsync(n => n.Id == nudgeId, cancellationToken);
        if (nudge is not { State: NudgeState.Planned })
        {
            return;
        }

        var user = await db.EnrolledUsers.AsNoTracking()
            .SingleOrDefaultAsync(u => u.TenantId == nudge.TenantId && u.UserId == nudge.UserId, cancellationToken);
        if (user is not { IsActive: true })
        {
            await RecordAsync(db, nudge, Outcome.Cancelled(NudgeReasons.UserNotActive), cancellationToken);
            return;
        }

        Outcome outcome;
        try
        {
            outcome = await PlaceAsync(nudge, user, cancellationToken);
        }
        catch (GatewayException ex) when (ex.IsTransient)
        {
            await RetryLaterAsync(db, nudge, ex, cancellationToken);
            return;
        }
        catch (GatewayException ex)
        {
            outcome = Outcome.Failed(NudgeReasons.Graph(ex.Failure));
        }

        await RecordAsync(db, nudge, outcome, cancellationToken);
    }

    private async Task<Outcome> PlaceAsync(Nudge nudge, EnrolledUser user, CancellationToken cancellationToken)
    {
        var meeting = await graph.GetEventAsync(user.UserId, nudge.MeetingEventId, cancellationToken);
        if (meeting is null)
        {
            return Outcome.Cancelled(NudgeReasons.MeetingGone);
        }

        if (meeting.IsCancelled)
        {
            return Outcome.Cancelled(NudgeReasons.MeetingCancelled);
        }

        // The meeting may have changed since the scan (declined, attendees added): it must still count.
        var counterpart = user.Counterpart ?? Counterpart.Manager;
        var owner = await graph.GetUserAsync(user.UserId, cancellationToken);
        var manager = await graph.GetManagerAsync(user.UserId, cancellationToken);
        if (counterpart == Counterpart.Manager && manager is null)
        {
            return Outcome.Cancelled(NudgeReasons.NoManager);
        }

        var now = time.GetUtcNow();
        var check = OneOnOneDetector.Check(meeting, owner.Email, manager?.Email, counterpart, now);
        if (!check.IsOneOnOne)
        {
            return Outcome.Cancelled(NudgeReasons.NotOneOnOne(check.Reason));
        }

        var profile = await graph.GetMailboxProfileAsync(user.UserId, cancellationToken);
        var policy = policies.ReflectionFor(user);
        var from = meeting.End < now ? meeting.End : now;
        var earliest = meeting.End + policy.CoolDown;
        var to = (earliest > now ? earliest : now) + BusyLookahead;
        var calendar = await graph.GetCalendarViewAsync(user.UserId, new Interval(from, to), cancellationToken);
        var busy = calendar
            .Where(item => !item.IsCancelled && item.Kind != EventKind.SeriesMaster)
            .Select(item => new BusyInterval(item.Interval, item.ShowAs))
            .ToList();

        var found = ReflectionSlotFinder.Find(meeting.End, now, profile.WorkingHours, busy, policy);
        if (!found.Found || found.Slot is not { } slot)
        {
            return Outcome.NoSlot(NudgeReasons.NoSlot(found.Reason));
        }

        var text = ReflectionText.Create(service.Value.TaskPaneLink(nudge.MeetingEventId));
        var created = await graph.CreateEventAsync(
            user.UserId,
            new NewEvent(
                text.Subject,
                text.BodyHtml,
                slot,
                profile.TimeZone,
                nudge.TransactionId,
                nudge.MeetingICalUId,
                nameof(NudgeKind.Reflection),
                RequiredAttendees: [],
                IsPrivate: true,
                policies.ReminderMinutes),
            cancellationToken);

        // A repeated create returns the event made by the earlier run, which may sit at a slot computed then.
        return Outcome.Placed(created.Id, created.Slot);
    }

    private async Task RetryLaterAsync(BossTalkDbContext db, Nudge nudge, GatewayException ex, CancellationToken cancellationToken)
    {
        var failures = nudge.Attempts + 1;
        if (failures >= options.Value.MaxAttempts)
        {
            logger.LogWarning("Placing nudge {NudgeId} failed {Failures} times ({Failure}); giving up", nudge.Id, failures, ex.Failure);
            await RecordAsync(db, nudge, Outcome.Failed(NudgeReasons.RetriesExhausted), cancellationToken, failures);
            return;
        }

        var delay = Backoff.Delay(failures, ex.RetryAfter);
        var jobId = jobs.Schedule<PlaceReflectionJob>(job => job.RunAsync(nudge.Id, CancellationToken.None), delay);
        logger.PlacementRetry(nudge.Id, ex.Failure, delay);
        var now = time.GetUtcNow();
        await db.Nudges
            .Where(n => n.Id == nudge.Id && n.State == NudgeState.Planned)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(n => n.Attempts, failures)
                    .SetProperty(n => n.HangfireJobId, jobId)
                    .SetProperty(n => n.UpdatedAt, now),
                cancellationToken);
    }

    /// <summary>Writes the result only while the nudge is still planned, so a concurrent run cannot overwrite it.</summary>
    private async Task RecordAsync(BossTalkDbContext db, Nudge nudge, Outcome outcome, CancellationToken cancellationToken, int? attempts = null)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? slotStart = outcome.Slot?.Start;
        DateTimeOffset? slotEnd = outcome.Slot?.End;
        var written = await db.Nudges
            .Where(n => n.Id == nudge.Id && n.State == NudgeState.Planned)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(n => n.State, outcome.State)
                    .SetProperty(n => n.Reason, outcome.Reason)
                    .SetProperty(n => n.CreatedEventId, outcome.EventId)
                    .SetProperty(n => n.SlotStart, slotStart)
                    .SetProperty(n => n.SlotEnd, slotEnd)
                    .SetProperty(n => n.Attempts, attempts ?? nudge.Attempts)
                    .SetProperty(n => n.UpdatedAt, now),
                cancellationToken);

        if (written == 1)
        {
            logger.NudgeSettled(nudge.Id, nudge.UserId, outcome.State, outcome.Reason ?? "");
        }
    }

    private sealed record Outcome(NudgeState State, string? Reason, string? EventId, Interval? Slot)
    {
        public static Outcome Placed(string eventId, Interval slot) => new(NudgeState.Placed, null, eventId, slot);

        public static Outcome NoSlot(string reason) => new(NudgeState.NoSlot, reason, null, null);

        public static Outcome Cancelled(string reason) => new(NudgeState.Cancelled, reason, null, null);

        public static Outcome Failed(string reason) => new(NudgeState.Failed, reason, null, null);
    }
}

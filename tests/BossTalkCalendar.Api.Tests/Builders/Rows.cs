using BossTalkCalendar.Api.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Api.Tests.Builders;

/// <summary>
/// What a test lays over rows the service made, to stand for a story it cannot act out cheaply (an answer lost after
/// a create, an opt-out from an earlier test). Each one is named for the story; the service itself never writes
/// these rows but through its owners (<c>Nudges/NudgeStore.cs</c>, <c>Enrolment/EnrolledUsers.cs</c>).
/// </summary>
public static class Rows
{
    /// <summary>
    /// The create went out and the event is there, but the record says <paramref name="state"/> with no event: what
    /// a lost answer (failed) or an opt-out during the create (cancelled) leaves behind.
    /// </summary>
    public static Task LoseCreateAnswerAsync(BossTalkDbContext db, Guid nudgeId, NudgeState state, string reason) =>
        db.Nudges.Where(n => n.Id == nudgeId).ExecuteUpdateAsync(set => set
            .SetProperty(n => n.State, state).SetProperty(n => n.Reason, reason).SetProperty(n => n.CreatedEventId, (string?)null));

    /// <summary>The nudge's record names <paramref name="eventId"/> as its event (null: none), as after a create answered so.</summary>
    public static Task RecordCreatedEventAsync(BossTalkDbContext db, Guid nudgeId, string? eventId) =>
        db.Nudges.Where(n => n.Id == nudgeId).ExecuteUpdateAsync(set => set.SetProperty(n => n.CreatedEventId, eventId));

    /// <summary>Nobody is opted out any more, without the audit trail an opt-in writes.</summary>
    public static Task ClearOptOutsAsync(BossTalkDbContext db) =>
        db.EnrolledUsers.ExecuteUpdateAsync(set => set.SetProperty(u => u.OptedOut, false));
}

using BossTalkCalendar.Api.Persistence;
using BossTalkCalendar.Core.Nudges;

namespace BossTalkCalendar.Api.Tests.Builders;

/// <summary>
/// A nudge row as a test needs it, for tests that start from a state the service would reach only through a long
/// story (a failed placement, a duplicate key). Everything not said is a plausible planned reflection.
/// </summary>
public sealed class NudgeBuilder
{
    private string _tenantId = "tenant";
    private string _userId = "user";
    private string _key = "key-" + Guid.NewGuid().ToString("N");
    private string _meetingICalUId = "ical";
    private NudgeKind _kind = NudgeKind.Reflection;
    private NudgeState _state = NudgeState.Planned;
    private string? _reason;
    private string? _jobId;
    private DateTimeOffset _meetingEnd = DateTimeOffset.UnixEpoch;
    private DateTimeOffset _at = DateTimeOffset.UnixEpoch;

    public NudgeBuilder For(string tenantId, string userId)
    {
        (_tenantId, _userId) = (tenantId, userId);
        return this;
    }

    public NudgeBuilder WithKey(string key)
    {
        _key = key;
        return this;
    }

    /// <summary>A row the database must refuse: its meeting's iCalUId is missing.</summary>
    public NudgeBuilder WithoutMeetingICalUId()
    {
        _meetingICalUId = null!;
        return this;
    }

    public NudgeBuilder OfKind(NudgeKind kind)
    {
        _kind = kind;
        return this;
    }

    public NudgeBuilder In(NudgeState state, string? reason = null)
    {
        (_state, _reason) = (state, reason);
        return this;
    }

    public NudgeBuilder WithJob(string jobId)
    {
        _jobId = jobId;
        return this;
    }

    public NudgeBuilder AfterMeetingEnding(DateTimeOffset meetingEnd)
    {
        _meetingEnd = meetingEnd;
        return this;
    }

    /// <summary>When the row was made and last changed.</summary>
    public NudgeBuilder At(DateTimeOffset at)
    {
        _at = at;
        return this;
    }

    public Nudge Build() => new()
    {
        Id = Guid.NewGuid(),
        TenantId = _tenantId,
        UserId = _userId,
        Kind = _kind,
        UniqueKey = _key,
        MeetingEventId = "event",
        MeetingICalUId = _meetingICalUId,
        OccurrenceStart = _meetingEnd - TimeSpan.FromMinutes(30),
        MeetingEnd = _meetingEnd,
        TransactionId = "transaction-" + _key,
        State = _state,
        Reason = _reason,
        HangfireJobId = _jobId,
        Invite = _kind == NudgeKind.FollowUp ? false : null,
        CreatedAt = _at,
        UpdatedAt = _at,
    };

    /// <summary>Builds the row and saves it.</summary>
    public async Task<Nudge> SaveAsync(BossTalkDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var nudge = Build();
        db.Nudges.Add(nudge);
        await db.SaveChangesAsync();
        return nudge;
    }
}

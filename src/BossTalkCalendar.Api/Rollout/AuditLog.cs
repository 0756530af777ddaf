using BossTalkCalendar.Api.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Api.Rollout;

/// <summary>Writes and reads the append-only audit trail. There is no way to change or delete an entry.</summary>
public interface IAuditLog
{
    /// <summary>Appends one entry stamped with the service's clock.</summary>
    /// <param name="tenantId">Tenant of the actor and the subject.</param>
    /// <param name="actorId">Object id of the signed-in user, or <see cref="AuditActions.SystemActor"/>.</param>
    /// <param name="action">One of <see cref="AuditActions"/>.</param>
    /// <param name="subjectId">The team's manager for team actions, the member for member actions.</param>
    /// <param name="cancellationToken">Stops the write.</param>
    Task WriteAsync(string tenantId, string actorId, string action, string subjectId, CancellationToken cancellationToken = default);

    /// <summary>One page of a tenant's trail, newest first.</summary>
    Task<AuditPage> ReadAsync(string tenantId, int page, int pageSize, CancellationToken cancellationToken = default);

    /// <summary>
    /// The opt-out status the trail keeps after a member's data was deleted: of <paramref name="userIds"/>, those whose
    /// last recorded choice was to opt out.
    /// </summary>
    Task<IReadOnlySet<string>> LastChoiceWasOptOutAsync(string tenantId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default);
}

/// <summary>A page of the audit trail.</summary>
public sealed record AuditPage(int Page, int PageSize, int Total, IReadOnlyList<AuditItem> Items);

/// <summary>An audit entry as the API shows it.</summary>
public sealed record AuditItem(long Id, DateTimeOffset At, string ActorId, string Action, string SubjectId);

internal sealed class AuditLog(IDbContextFactory<BossTalkDbContext> contexts, TimeProvider time) : IAuditLog
{
    public async Task WriteAsync(string tenantId, string actorId, string action, string subjectId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        Append(db, tenantId, actorId, action, subjectId, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<AuditPage> ReadAsync(string tenantId, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var trail = db.AuditEntries.AsNoTracking().Where(e => e.TenantId == tenantId);
        var total = await trail.CountAsync(cancellationToken);
        var items = await trail
            .OrderByDescending(e => e.Id)
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .Select(e => new AuditItem(e.Id, e.At, e.ActorId, e.Action, e.SubjectId))
            .ToListAsync(cancellationToken);
        return new AuditPage(page, pageSize, total, items);
    }

    public async Task<IReadOnlySet<string>> LastChoiceWasOptOutAsync(string tenantId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        if (userIds.Count == 0)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var choices = await db.AuditEntries.AsNoTracking()
            .Where(e => e.TenantId == tenantId && userIds.Contains(e.SubjectId)
                && (e.Action == AuditActions.OptedOut || e.Action == AuditActions.OptedIn))
            .OrderBy(e => e.Id)
            .Select(e => new { e.SubjectId, e.Action })
            .ToListAsync(cancellationToken);

        return choices
            .GroupBy(c => c.SubjectId, StringComparer.Ordinal)
            .Where(g => g.Last().Action == AuditActions.OptedOut)
            .Select(g => g.Key)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Adds an entry to the caller's own unit of work on <paramref name="db"/>, so the change and its record commit
    /// together. The trail's rows are written here and nowhere else (docs/architecture.md, "Who writes which rows").
    /// </summary>
    internal static void Append(BossTalkDbContext db, string tenantId, string actorId, string action, string subjectId, DateTimeOffset at) =>
        db.AuditEntries.Add(new AuditEntry
        {
            TenantId = tenantId,
            ActorId = actorId,
            Action = action,
            SubjectId = subjectId,
            At = at,
        });

    /// <summary>
    /// <see cref="Append"/> for a writer that cannot name this class (<c>Enrolment/</c> comes before <c>Rollout/</c>):
    /// it passes the context and the instant of its own change.
    /// </summary>
    internal static Action<BossTalkDbContext, DateTimeOffset> Appender(string tenantId, string actorId, string action, string subjectId) =>
        (db, at) => Append(db, tenantId, actorId, action, subjectId, at);
}

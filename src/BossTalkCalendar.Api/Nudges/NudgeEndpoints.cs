using BossTalkCalendar.Api.Api;
using BossTalkCalendar.Api.Auth;
using BossTalkCalendar.Api.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BossTalkCalendar.Api.Nudges;

/// <summary>/api/v1/nudges/{id}: one of the caller's nudges; anyone else's is not found.</summary>
public static class NudgeEndpoints
{
    public static RouteGroupBuilder MapNudges(this RouteGroupBuilder api)
    {
        api.MapGroup("/nudges").WithTags("Nudges").MapGet("/{id}", GetAsync);
        return api;
    }

    private static async Task<Results<Ok<NudgeDto>, ProblemHttpResult>> GetAsync(
        ApiUser user, string id, IDbContextFactory<BossTalkDbContext> contexts, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var nudgeId))
        {
            return ApiProblems.NudgeNotFound();
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var nudge = await db.Nudges.AsNoTracking()
            .SingleOrDefaultAsync(n => n.Id == nudgeId && n.TenantId == user.TenantId && n.UserId == user.UserId, cancellationToken);
        return nudge is null ? ApiProblems.NudgeNotFound() : TypedResults.Ok(NudgeDto.From(nudge));
    }
}

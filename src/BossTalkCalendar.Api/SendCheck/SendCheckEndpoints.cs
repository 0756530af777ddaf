using BossTalkCalendar.Api.Api;
using BossTalkCalendar.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BossTalkCalendar.Api.SendCheck;

/// <summary>
/// POST /api/v1/send-check: asked by the add-in's send-time handler (Outlook Smart Alerts) whether a message or meeting
/// request the user is about to send goes to their manager while a one-on-one is still fresh. It answers "quiet" or
/// "suggestWaiting" with the minutes since the meeting, nothing else; the addresses it is given are neither stored nor
/// logged. See docs/addin.md, "Send-time alert".
/// </summary>
public static class SendCheckEndpoints
{
    /// <summary>More addresses than this is a 400; the handler stays quiet without asking for larger meetings.</summary>
    public const int MaxRecipients = 50;

    /// <summary>RFC 5321's practical limit for an address (local part 64 + '@' + domain 255).</summary>
    public const int MaxAddressLength = 320;

    private static readonly Dictionary<string, string> Hints = new(StringComparer.Ordinal)
    {
        ["kind"] = "Use \"message\" or \"appointment\".",
        ["recipients"] = $"Send a list of 1 to {MaxRecipients} email addresses.",
    };

    public static IServiceCollection AddSendCheck(this IServiceCollection services) =>
        services.AddScoped<SendChecker>();

    public static RouteGroupBuilder MapSendCheck(this RouteGroupBuilder api)
    {
        api.MapPost("/send-check", CheckAsync).WithTags("SendCheck");
        return api;
    }

    private static async Task<Results<Ok<SendCheckDto>, ProblemHttpResult>> CheckAsync(
        ApiUser user, HttpContext context, SendChecker checker, CancellationToken cancellationToken)
    {
        // The answer is about this moment and this person: no cache may keep it.
        context.Response.Headers.CacheControl = "no-store";
        var body = await ApiJson.ReadAsync<SendCheckRequest>(context, Hints);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        var request = body.Value!;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.Kind is not { } kind || !Enum.IsDefined(kind))
        {
            errors["kind"] = [Hints["kind"]];
            kind = default;
        }

        var recipients = request.Recipients;
        if (recipients is null || recipients.Count is 0 or > MaxRecipients || !recipients.All(IsAddress))
        {
            errors["recipients"] = [Hints["recipients"]];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        return TypedResults.Ok(await checker.CheckAsync(user, kind, recipients!, cancellationToken));
    }

    /// <summary>Shape only: something@something, of sane length, without spaces or control characters.</summary>
    private static bool IsAddress(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxAddressLength)
        {
            return false;
        }

        var at = value.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < value.Length - 1 && !value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c));
    }
}

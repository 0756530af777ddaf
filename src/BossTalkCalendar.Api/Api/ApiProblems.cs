using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace BossTalkCalendar.Api.Api;

/// <summary>
/// The API's RFC 9457 problems. Titles and details are our own words; they never echo calendar content, tokens or
/// exception messages.
/// </summary>
public static class ApiProblems
{
    public static ProblemHttpResult Problem(int status, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        return TypedResults.Problem(problem);
    }

    /// <summary>400 with <c>errors</c>: field name → messages.</summary>
    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors, string detail = "One or more values are not valid; see errors.") =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid.",
            Detail = detail,
        });

    public static ProblemHttpResult Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult UnsupportedMediaType() => Problem(
        StatusCodes.Status415UnsupportedMediaType,
        "Unsupported content type",
        "Send the body as JSON (Content-Type: application/json).");

    public static ProblemHttpResult TooLarge(int limit) => Problem(
        StatusCodes.Status413PayloadTooLarge,
        "Request body too large",
        $"The body may be at most {limit} bytes.");

    public static ProblemHttpResult NotEnrolled() => Problem(
        StatusCodes.Status403Forbidden,
        "Not enrolled",
        "BossTalk is not switched on for you yet: your manager's team has to be approved first.");

    public static ProblemHttpResult OptedOut() => Problem(
        StatusCodes.Status409Conflict,
        "You have opted out",
        "Opt in again to let BossTalk place anything on your calendar.");

    public static ProblemHttpResult MeetingNotFound() => Problem(
        StatusCodes.Status404NotFound,
        "Meeting not found",
        "There is no such meeting in your own calendar.");

    public static ProblemHttpResult NudgeNotFound() => Problem(
        StatusCodes.Status404NotFound,
        "Not found",
        "There is no such nudge of yours.");
}

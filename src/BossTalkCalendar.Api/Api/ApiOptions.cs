using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Api;

/// <summary>Limits of the add-in API under /api/v1 (section <c>Api</c>).</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Requests one user (token <c>tid</c> + <c>oid</c>) may make per minute; more get 429 with Retry-After.</summary>
    public int RateLimitPerMinute { get; set; } = 120;

    /// <summary>Largest request body accepted; bigger ones get 413. The API's bodies are a few hundred bytes.</summary>
    public int MaxRequestBodyBytes { get; set; } = 16 * 1024;
}

internal sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var failures = new List<string>();
        if (options.RateLimitPerMinute is < 1 or > 100_000)
        {
            failures.Add($"Api:RateLimitPerMinute must be between 1 and 100000 (got {options.RateLimitPerMinute}).");
        }

        if (options.MaxRequestBodyBytes is < 1024 or > 1024 * 1024)
        {
            failures.Add($"Api:MaxRequestBodyBytes must be between 1024 and 1048576 (got {options.MaxRequestBodyBytes}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

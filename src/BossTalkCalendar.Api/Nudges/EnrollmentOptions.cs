using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.Nudges;

/// <summary>
/// Users enrolled by configuration (section <c>Enrollment</c>), for running against a tenant or a simulator
/// before team rollout exists. Sandbox mode enrolls its demo team itself.
/// </summary>
public sealed class EnrollmentOptions
{
    public const string SectionName = "Enrollment";

    /// <summary>Tenant the users belong to; empty means <c>Graph:TenantId</c>, or "local" when that is empty too.</summary>
    public string? TenantId { get; set; }

    /// <summary>Directory object ids of the users to enroll at start-up.</summary>
    public List<string> UserIds { get; set; } = [];
}

internal sealed class EnrollmentOptionsValidator : IValidateOptions<EnrollmentOptions>
{
    public ValidateOptionsResult Validate(string? name, EnrollmentOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.UserIds.Count; i++)
        {
            var id = options.UserIds[i];
            if (string.IsNullOrWhiteSpace(id) || id.Length > 64)
            {
                failures.Add($"Enrollment:UserIds:{i} must be a directory object id (got '{id}').");
            }
        }

        if (options.TenantId is { Length: > 64 })
        {
            failures.Add("Enrollment:TenantId must be a tenant id of at most 64 characters.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

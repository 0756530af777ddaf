using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.AddIn;

/// <summary>Rejects settings that would produce a manifest Outlook refuses or that breaks sign-in.</summary>
internal sealed partial class AddInOptionsValidator : IValidateOptions<AddInOptions>
{
    public ValidateOptionsResult Validate(string? name, AddInOptions options)
    {
        var failures = new List<string>();

        if (!Guid.TryParseExact(options.ClientId, "D", out var clientId))
            failures.Add($"{AddInOptions.SectionName}:ClientId must be the application (client) id GUID of the API's Entra app registration, e.g. 11111111-2222-3333-4444-555555555555.");
        else if (clientId == Guid.Empty)
            failures.Add($"{AddInOptions.SectionName}:ClientId is still the all-zero placeholder; set the application (client) id of the API's Entra app registration.");

        if (string.IsNullOrWhiteSpace(options.ApiScope) || !ScopePattern().IsMatch(options.ApiScope))
            failures.Add($"{AddInOptions.SectionName}:ApiScope must be a single scope name such as access_as_user (letters, digits, '.', '_' or '-').");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex ScopePattern();
}

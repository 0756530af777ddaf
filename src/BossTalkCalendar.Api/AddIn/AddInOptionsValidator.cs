using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace BossTalkCalendar.Api.AddIn;

/// <summary>Rejects settings that would produce a manifest Outlook refuses or that breaks sign-in.</summary>
internal sealed partial class AddInOptionsValidator : IValidateOptions<AddInOptions>
{
    public ValidateOptionsResult Validate(string? name, AddInOptions options)
    {
        var failures = new List<string>();

        if (!AddInOrigin.TryParse(options.PublicOrigin, out _, out var originError))
            failures.Add($"{AddInOptions.SectionName}:PublicOrigin {originError}");

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

/// <summary>A validated public origin: "https://host[:port]" with no path, query or credentials.</summary>
internal sealed record AddInOrigin(string Origin, string Authority)
{
    public static bool TryParse(string? value, out AddInOrigin origin, out string error)
    {
        origin = new AddInOrigin("", "");
        if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri))
        {
            error = "must be an absolute URL such as https://bosstalk.contoso.com.";
            return false;
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri)))
        {
            error = "must use https (plain http is accepted only for a loopback host during development).";
            return false;
        }

        if (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.AbsolutePath != "/")
        {
            error = "must be an origin only (scheme, host and optional port), without path, query, fragment or credentials.";
            return false;
        }

        // Uri lower-cases the host and drops a default port, so equal origins compare equal as text.
        origin = new AddInOrigin(uri.GetLeftPart(UriPartial.Authority), uri.Authority);
        error = "";
        return true;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
}

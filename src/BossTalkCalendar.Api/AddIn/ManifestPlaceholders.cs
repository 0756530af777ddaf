namespace BossTalkCalendar.Api.AddIn;

/// <summary>
/// The tokens the checked-in manifests in manifest/ carry where an operator's values belong. They are
/// real, valid values (an https origin and a GUID) so the files pass schema validation as they stand.
/// </summary>
public static class ManifestPlaceholders
{
    /// <summary>Replaced by the origin of <c>Service:PublicBaseUrl</c>.</summary>
    public const string Origin = "https://bosstalk.example.com";

    /// <summary>Replaced by the host[:port] of <c>Service:PublicBaseUrl</c> (validDomains, api:// resource).</summary>
    public const string Host = "bosstalk.example.com";

    /// <summary>Replaced by <see cref="AddInOptions.ClientId"/>.</summary>
    public const string ClientId = "00000000-0000-0000-0000-000000000000";

    /// <summary>Replaced by <see cref="AddInOptions.ApiScope"/> in the XML manifest's WebApplicationInfo.</summary>
    public const string ApiScope = "access_as_user";
}

namespace BossTalkCalendar.Api.AddIn;

/// <summary>
/// Where the add-in is hosted and which Entra app registration it signs in to. These values are
/// written into the served manifests in place of the placeholders in manifest/.
/// </summary>
public sealed class AddInOptions
{
    public const string SectionName = "AddIn";

    /// <summary>Scheme, host and optional port the add-in is reached on, e.g. https://bosstalk.contoso.com.</summary>
    public string PublicOrigin { get; set; } = "";

    /// <summary>Application (client) id of the API's Entra app registration.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The delegated scope the task pane asks for on the API.</summary>
    public string ApiScope { get; set; } = "access_as_user";
}

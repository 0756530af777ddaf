namespace BossTalkCalendar.Api.AddIn;

/// <summary>
/// Which Entra app registration the add-in signs in to. These values, with the service's public origin
/// (<c>Service:PublicBaseUrl</c>), are written into the served manifests in place of the placeholders in manifest/.
/// </summary>
public sealed class AddInOptions
{
    public const string SectionName = "AddIn";

    /// <summary>Application (client) id of the API's Entra app registration.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The delegated scope the task pane asks for on the API.</summary>
    public string ApiScope { get; set; } = "access_as_user";
}

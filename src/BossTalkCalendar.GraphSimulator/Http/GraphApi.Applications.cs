using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BossTalkCalendar.GraphSimulator;

/// <summary>
/// App registrations and service principals, as the <c>setup</c> command uses them. Each handler cites the Graph
/// reference page it follows. Kept in memory only (not in the state file): they describe the tenant's directory, not
/// the calendars the service works on. Updates replace each property given as a whole (collections included), which
/// is what the reference says for PATCH ("only the values for properties you want to update"; a collection sent is
/// the collection kept); a property that is not writable, or unknown, is refused.
/// </summary>
internal sealed partial class GraphApi
{
    private static readonly HashSet<string> WritableApplicationProperties = new(StringComparer.OrdinalIgnoreCase)
    {
        "displayName", "description", "notes", "tags", "signInAudience", "identifierUris", "api", "appRoles", "spa", "web",
        "publicClient", "requiredResourceAccess", "isFallbackPublicClient", "info", "optionalClaims", "groupMembershipClaims",
    };

    /// <summary>
    /// <c>GET /applications/{id}</c>, <c>GET /applications(appId='{appId}')</c>, <c>GET /applications(uniqueName='{uniqueName}')</c>
    /// (https://learn.microsoft.com/graph/api/application-get): 200 with the application, 404 Request_ResourceNotFound.
    /// </summary>
    public GraphResponse GetApplication(GraphRequest request, RouteMatch match) => _tenant.Applications.WithLock(apps =>
    {
        var app = apps.FindApplication(match.UserSegment!, match.ItemId!);
        return app is null
            ? DirectoryNotFound(request, match.ItemId!)
            : new GraphResponse(200, WithContext(request, "applications/$entity", app));
    });

    /// <summary>
    /// <c>PATCH /applications/{id}</c>, <c>PATCH /applications(appId='{appId}')</c>
    /// (https://learn.microsoft.com/graph/api/application-update): 204 No Content. <c>PATCH /applications(uniqueName='{uniqueName}')</c>
    /// is the upsert (https://learn.microsoft.com/graph/api/application-upsert): with <c>Prefer: create-if-missing</c> a
    /// missing application is created (201 with it; <c>displayName</c> is required), without it a missing one is 404;
    /// an existing one is updated (204).
    /// </summary>
    public GraphResponse PatchApplication(GraphRequest request, RouteMatch match) => _tenant.Applications.WithLock(apps =>
    {
        var body = request.ReadJsonObject();
        if (body is null)
        {
            return Error(request, 400, "BadRequest", "Empty Payload. JSON content expected.");
        }

        var key = match.UserSegment!;
        var value = match.ItemId!;
        var app = apps.FindApplication(key, value);
        var create = app is null && key == "uniqueName" && request.Preference("create-if-missing") is not null;
        if (app is null && !create)
        {
            return DirectoryNotFound(request, value);
        }

        if (create && string.IsNullOrWhiteSpace(body["displayName"]?.GetValue<string>()))
        {
            return Error(request, 400, "Request_BadRequest", "A value is required for property 'displayName' of resource 'Application'.");
        }

        var target = app ?? SimulatedApplications.NewApplication(value);
        var candidate = (JsonObject)target.DeepClone();
        foreach (var (name, node) in body)
        {
            if (name.StartsWith('@'))
            {
                continue;
            }

            if (!WritableApplicationProperties.Contains(name))
            {
                return Error(request, 400, "Request_BadRequest", $"Property '{name}' is read-only or does not exist on resource 'Application'.");
            }

            candidate[ExistingName(candidate, name)] = node?.DeepClone();
        }

        if (ApplicationProblem(candidate) is { } problem)
        {
            return Error(request, 400, "Request_BadRequest", problem);
        }

        apps.Save(candidate);
        return create
            ? new GraphResponse(201, WithContext(request, "applications/$entity", candidate)) { Mutated = true }
            : new GraphResponse(204) { Mutated = true };
    });

    /// <summary>
    /// <c>GET /servicePrincipals(appId='{appId}')</c> (https://learn.microsoft.com/graph/api/serviceprincipal-get):
    /// 200 with the service principal, 404 Request_ResourceNotFound when the app has none in this tenant.
    /// </summary>
    public GraphResponse GetServicePrincipal(GraphRequest request, RouteMatch match) => _tenant.Applications.WithLock(apps =>
    {
        var sp = apps.FindServicePrincipal(match.ItemId!);
        return sp is null
            ? DirectoryNotFound(request, match.ItemId!)
            : new GraphResponse(200, WithContext(request, "servicePrincipals/$entity", sp));
    });

    /// <summary>
    /// <c>POST /servicePrincipals</c> with <c>appId</c> (https://learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals):
    /// 201 with the new service principal. An appId without an application in the tenant is 400; a second service
    /// principal for the same app is refused with 409 (Graph allows one per app and tenant; the exact code is not
    /// documented, so any repeat is an error here).
    /// </summary>
    public GraphResponse CreateServicePrincipal(GraphRequest request, RouteMatch match) => _tenant.Applications.WithLock(apps =>
    {
        var appId = request.ReadJsonObject()?["appId"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(appId))
        {
            return Error(request, 400, "Request_BadRequest", "A value is required for property 'appId' of resource 'ServicePrincipal'.");
        }

        var app = apps.FindApplication("appId", appId);
        if (app is null)
        {
            return Error(request, 400, "Request_BadRequest", $"The appId '{appId}' of the service principal does not reference a valid application object.");
        }

        if (apps.FindServicePrincipal(appId) is not null)
        {
            return Error(request, 409, "Request_MultipleObjectsWithSameKeyValue", "Another object with the same value for property servicePrincipalNames already exists.");
        }

        var sp = apps.AddServicePrincipal(app);
        return new GraphResponse(201, WithContext(request, "servicePrincipals/$entity", sp)) { Mutated = true };
    });

    private static string ExistingName(JsonObject target, string name) =>
        target.Select(p => p.Key).FirstOrDefault(k => k.Equals(name, StringComparison.OrdinalIgnoreCase)) ?? name;

    private static JsonObject WithContext(GraphRequest request, string context, JsonObject entity)
    {
        var body = new JsonObject { ["@odata.context"] = request.VersionRoot + "/$metadata#" + context };
        foreach (var (key, value) in entity)
        {
            body[key] = value?.DeepClone();
        }

        return body;
    }

    /// <summary>
    /// What Entra refuses in an application, as far as <c>setup</c> can run into it
    /// (https://learn.microsoft.com/graph/api/resources/application, https://learn.microsoft.com/graph/api/resources/apiapplication,
    /// https://learn.microsoft.com/graph/api/resources/permissionscope, https://learn.microsoft.com/graph/api/resources/approle):
    /// identifier URIs are absolute and unique; scope and role ids are GUIDs, their values unique; a pre-authorized
    /// client names scopes that this application defines; requestedAccessTokenVersion is 1, 2 or null.
    /// </summary>
    private static string? ApplicationProblem(JsonObject app)
    {
        var uris = Strings(app["identifierUris"]);
        if (uris.Any(u => !Uri.TryCreate(u, UriKind.Absolute, out _)) || uris.Distinct(StringComparer.OrdinalIgnoreCase).Count() != uris.Count)
        {
            return "Values of identifierUris property must be unique absolute URIs.";
        }

        var api = app["api"] as JsonObject;
        var scopes = (api?["oauth2PermissionScopes"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var roles = (app["appRoles"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        foreach (var list in new[] { scopes, roles })
        {
            if (list.Any(s => !Guid.TryParse(s["id"]?.GetValue<string>(), out _)))
            {
                return "Permission and app role ids must be GUIDs.";
            }

            var values = list.Select(s => s["value"]?.GetValue<string>() ?? "").ToList();
            if (values.Distinct(StringComparer.Ordinal).Count() != values.Count)
            {
                return "Permission and app role values must be unique.";
            }
        }

        var scopeIds = scopes.Select(s => s["id"]!.GetValue<string>()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var pre in (api?["preAuthorizedApplications"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (Strings(pre["delegatedPermissionIds"]).Any(id => !scopeIds.Contains(id)))
            {
                return "Property preAuthorizedApplications references a permission that the application does not define.";
            }
        }

        var version = api?["requestedAccessTokenVersion"];
        if (version is not null && version.GetValueKind() != System.Text.Json.JsonValueKind.Null && version.GetValue<int>() is not (1 or 2))
        {
            return "Property requestedAccessTokenVersion must be 1, 2 or null.";
        }

        return null;
    }

    private static List<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(n => n?.GetValue<string>() ?? "").ToList();

    /// <summary><c>applications(appId='…')</c> → ("appId", "…"); the alternate-key forms Graph documents for applications and service principals.</summary>
    internal static bool TryAlternateKey(string segment, string entitySet, out string key, out string value)
    {
        var match = AlternateKey().Match(segment);
        key = match.Success ? match.Groups["key"].Value : "";
        value = match.Success ? match.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal) : "";
        return match.Success && match.Groups["set"].Value.Equals(entitySet, StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"^(?<set>[A-Za-z]+)\((?<key>appId|uniqueName)='(?<value>(?:[^']|'')*)'\)$")]
    private static partial Regex AlternateKey();
}

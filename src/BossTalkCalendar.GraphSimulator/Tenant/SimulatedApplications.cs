using System.Text.Json.Nodes;

namespace BossTalkCalendar.GraphSimulator;

/// <summary>The tenant's app registrations and service principals (Graph JSON), for the <c>setup</c> command's calls.</summary>
public sealed class SimulatedApplications
{
    private readonly Lock _gate = new();
    private readonly List<JsonObject> _applications = [];
    private readonly List<JsonObject> _servicePrincipals = [];

    /// <summary>A copy of every application as Graph would return it.</summary>
    public IReadOnlyList<JsonObject> Applications
    {
        get { lock (_gate) { return _applications.Select(a => (JsonObject)a.DeepClone()).ToList(); } }
    }

    /// <summary>A copy of every service principal.</summary>
    public IReadOnlyList<JsonObject> ServicePrincipals
    {
        get { lock (_gate) { return _servicePrincipals.Select(a => (JsonObject)a.DeepClone()).ToList(); } }
    }

    internal T WithLock<T>(Func<SimulatedApplications, T> action)
    {
        lock (_gate)
        {
            return action(this);
        }
    }

    /// <summary>By object id (<paramref name="key"/> "id"), appId or uniqueName; null when there is none. Call under the lock.</summary>
    internal JsonObject? FindApplication(string key, string value) =>
        _applications.FirstOrDefault(a => string.Equals(a[key]?.GetValue<string>(), value, StringComparison.OrdinalIgnoreCase));

    internal JsonObject? FindServicePrincipal(string appId) =>
        _servicePrincipals.FirstOrDefault(s => string.Equals(s["appId"]?.GetValue<string>(), appId, StringComparison.OrdinalIgnoreCase));

    /// <summary>Replaces the application with the same id, or adds it. Call under the lock.</summary>
    internal void Save(JsonObject app)
    {
        var id = app["id"]!.GetValue<string>();
        _applications.RemoveAll(a => a["id"]!.GetValue<string>() == id);
        _applications.Add(app);
    }

    internal JsonObject AddServicePrincipal(JsonObject app)
    {
        var sp = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["appId"] = app["appId"]!.GetValue<string>(),
            ["displayName"] = app["displayName"]?.GetValue<string>(),
            ["servicePrincipalType"] = "Application",
            ["accountEnabled"] = true,
            ["appRoleAssignmentRequired"] = false,
            ["servicePrincipalNames"] = new JsonArray(app["appId"]!.GetValue<string>()),
        };
        _servicePrincipals.Add(sp);
        return sp;
    }

    /// <summary>A new application as Graph creates it: ids assigned, every collection empty, single tenant.</summary>
    internal static JsonObject NewApplication(string uniqueName) => new()
    {
        ["id"] = Guid.NewGuid().ToString(),
        ["appId"] = Guid.NewGuid().ToString(),
        ["uniqueName"] = uniqueName,
        ["displayName"] = null,
        ["signInAudience"] = "AzureADMyOrg",
        ["identifierUris"] = new JsonArray(),
        ["appRoles"] = new JsonArray(),
        ["requiredResourceAccess"] = new JsonArray(),
        ["api"] = new JsonObject
        {
            ["requestedAccessTokenVersion"] = null,
            ["acceptMappedClaims"] = null,
            ["knownClientApplications"] = new JsonArray(),
            ["oauth2PermissionScopes"] = new JsonArray(),
            ["preAuthorizedApplications"] = new JsonArray(),
        },
        ["spa"] = new JsonObject { ["redirectUris"] = new JsonArray() },
        ["web"] = new JsonObject { ["redirectUris"] = new JsonArray(), ["homePageUrl"] = null, ["logoutUrl"] = null },
        ["publicClient"] = new JsonObject { ["redirectUris"] = new JsonArray() },
    };
}

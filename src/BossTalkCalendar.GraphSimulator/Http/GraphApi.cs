using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace BossTalkCalendar.GraphSimulator;

/// <summary>The Graph v1.0 operations the simulator implements. Reads build their JSON under the tenant's lock.</summary>
internal sealed partial class GraphApi
{
    private readonly SimulatedTenant _tenant;
    private readonly SimulatorOptions _options;
    private readonly GraphRouter _router;
    private readonly SubscriptionHub _subscriptions;

    public GraphApi(SimulatedTenant tenant, SimulatorOptions options, GraphRouter router, SubscriptionHub subscriptions)
    {
        _tenant = tenant;
        _options = options;
        _router = router;
        _subscriptions = subscriptions;
    }

    public GraphResponse ListUsers(GraphRequest request, RouteMatch match)
    {
        if (!TryPageSize(request, 100, 999, out var top, out var error))
        {
            return error!;
        }

        var select = Select(request);
        var filter = request.Query.Get("$filter");
        Func<UserRecord, bool> predicate = _ => true;
        if (filter is not null)
        {
            var parsed = UserFilter().Match(filter);
            if (!parsed.Success)
            {
                return Error(request, 400, "Request_UnsupportedQuery", "Unsupported or invalid query filter clause specified for property.");
            }

            var property = parsed.Groups[1].Value;
            var value = parsed.Groups[2].Value.Replace("''", "'", StringComparison.Ordinal);
            predicate = u => string.Equals(
                property.ToUpperInvariant() switch { "MAIL" => u.Mail, "USERPRINCIPALNAME" => u.UserPrincipalName, _ => u.Id },
                value,
                StringComparison.OrdinalIgnoreCase);
        }

        var skip = DecodeOffset(request.Query.Get("$skiptoken"));
        if (skip < 0)
        {
            return Error(request, 400, "Directory_InvalidSkipToken", "The specified page token value has expired or is invalid.");
        }

        return _tenant.WithLock(() =>
        {
            var all = _tenant.UsersUnlocked.Where(predicate).ToList();
            var page = all.Skip(skip).Take(top).Select(u => (JsonNode?)GraphJson.Select(GraphJson.User(u), select)).ToArray();
            var body = new JsonObject { ["@odata.context"] = request.VersionRoot + "/$metadata#users" + SelectSuffix(select) };
            if (skip + top < all.Count)
            {
                body["@odata.nextLink"] = request.VersionRoot + "/users" + request.Query.With("$skiptoken", EncodeOffset(skip + top));
            }

            body["value"] = new JsonArray(page);
            return new GraphResponse(200, body);
        });
    }

    public GraphResponse GetUser(GraphRequest request, RouteMatch match) => _tenant.WithLock(() =>
    {
        var user = _tenant.FindUserUnlocked(match.UserSegment!);
        if (user is null)
        {
            return DirectoryNotFound(request, match.UserSegment!);
        }

        var select = Select(request);
        var body = new JsonObject { ["@odata.context"] = request.VersionRoot + "/$metadata#users" + SelectSuffix(select) + "/$entity" };
        foreach (var (key, value) in GraphJson.Select(GraphJson.User(user), select))
        {
            body[key] = value?.DeepClone();
        }

        if (request.Query.Get("$expand") is { } expand)
        {
            // Only what Graph documents for a single user that we use: manager, optionally with its own $select.
            var parsed = ManagerExpand().Match(expand);
            if (!parsed.Success)
            {
                return Error(request, 400, "BadRequest", $"Parsing OData Select and Expand failed: Could not find a property named '{expand}' on type 'microsoft.graph.user'.");
            }

            // A user without a manager comes back without the navigation property.
            var manager = user.ManagerId is null ? null : _tenant.FindUserUnlocked(user.ManagerId);
            if (manager is not null)
            {
                var managerSelect = parsed.Groups[1].Success
                    ? parsed.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList()
                    : null;
                body["manager"] = GraphJson.Select(GraphJson.User(manager, typed: true), managerSelect);
            }
        }

        return new GraphResponse(200, body);
    });

    public GraphResponse GetManager(GraphRequest request, RouteMatch match) => _tenant.WithLock(() =>
    {
        var user = _tenant.FindUserUnlocked(match.UserSegment!);
        if (user is null)
        {
            return DirectoryNotFound(request, match.UserSegment!);
        }

        var manager = user.ManagerId is null ? null : _tenant.FindUserUnlocked(user.ManagerId);
        if (manager is null)
        {
            return DirectoryNotFound(request, "manager");
        }

        var body = new JsonObject { ["@odata.context"] = request.VersionRoot + "/$metadata#directoryObjects/$entity" };
        foreach (var (key, value) in GraphJson.Select(GraphJson.User(manager, typed: true), Select(request)))
        {
            body[key] = value?.DeepClone();
        }

        return new GraphResponse(200, body);
    });

    public GraphResponse GetDirectReports(GraphRequest request, RouteMatch match) => _tenant.WithLock(() =>
    {
        var user = _tenant.FindUserUnlocked(match.UserSegment!);
        if (user is null)
        {
            return DirectoryNotFound(request, match.UserSegment!);
        }

        var select = Select(request);
        var reports = _tenant.UsersUnlocked
            .Where(u => string.Equals(u.ManagerId, user.Id, StringComparison.OrdinalIgnoreCase))
            .Select(u => (JsonNode?)GraphJson.Select(GraphJson.User(u, typed: true), select))
            .ToArray();
        return new GraphResponse(200, new JsonObject
        {
            ["@odata.context"] = request.VersionRoot + "/$metadata#directoryObjects",
            ["value"] = new JsonArray(reports),
        });
    });

    public GraphResponse GetMailboxSettings(GraphRequest request, RouteMatch match) => _tenant.WithLock(() =>
    {
        if (MailboxOf(request, match, out var user) is { } error)
        {
            return error;
        }

        var context = request.VersionRoot + $"/$metadata#users('{Uri.EscapeDataString(match.UserSegment!)}')/mailboxSettings";
        var settings = GraphJson.MailboxSettings(user, _tenant.Now());
        if (match.ItemId is { } part && part.Equals("timeZone", StringComparison.OrdinalIgnoreCase))
        {
            return new GraphResponse(200, new JsonObject { ["@odata.context"] = context + "/timeZone", ["value"] = user.TimeZone });
        }

        if (match.ItemId is not null)
        {
            var workingHours = new JsonObject { ["@odata.context"] = context + "/workingHours" };
            foreach (var (key, value) in GraphJson.WorkingHours(user))
            {
                workingHours[key] = value?.DeepClone();
            }

            return new GraphResponse(200, workingHours);
        }

        var body = new JsonObject { ["@odata.context"] = context };
        foreach (var (key, value) in settings)
        {
            body[key] = value?.DeepClone();
        }

        return new GraphResponse(200, body);
    });

    /// <summary>404/403 for a mailbox route; null when the mailbox may be used. Call under the tenant's lock.</summary>
    private GraphResponse? MailboxOf(GraphRequest request, RouteMatch match, out UserRecord user)
    {
        user = _tenant.FindUserUnlocked(match.UserSegment!)!;
        if (user is null)
        {
            return Error(request, 404, "ErrorInvalidUser", $"The requested user '{match.UserSegment}' is invalid.");
        }

        var forbidden = _tenant.ForbiddenMailboxes;
        if (forbidden.Contains(user.Id) || forbidden.Contains(user.Mail) || forbidden.Contains(user.UserPrincipalName))
        {
            return Error(request, 403, "ErrorAccessDenied", "Access to OData is disabled.");
        }

        return null;
    }

    /// <summary>The zone of Prefer: outlook.timezone (UTC without the header), or a 400 for a zone Graph would reject.</summary>
    private GraphResponse? PreferredZone(GraphRequest request, out TimeZoneInfo zone, out string zoneName, out bool fromHeader)
    {
        var preferred = request.Preference("outlook.timezone");
        fromHeader = preferred is not null;
        zoneName = preferred ?? "UTC";
        if (TimeZones.TryResolve(zoneName, out zone))
        {
            return null;
        }

        return Error(request, 400, "TimeZoneNotSupportedException", $"A valid TimeZone value must be specified. The following TimeZone value is not supported: '{preferred}'.");
    }

    private static GraphResponse WithZoneApplied(GraphResponse response, bool fromHeader, string zoneName) =>
        fromHeader ? response.WithHeader("Preference-Applied", $"outlook.timezone=\"{zoneName}\"") : response;

    private GraphResponse DirectoryNotFound(GraphRequest request, string id) =>
        Error(request, 404, "Request_ResourceNotFound", $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.");

    private GraphResponse Error(GraphRequest request, int status, string code, string message) =>
        GraphResponse.Error(request, _tenant.Now(), status, code, message);

    private static List<string>? Select(GraphRequest request) =>
        request.Query.Get("$select")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static string SelectSuffix(List<string>? select) => select is { Count: > 0 } ? "(" + string.Join(',', select) + ")" : "";

    private bool TryPageSize(GraphRequest request, int defaultSize, int max, out int size, out GraphResponse? error)
    {
        error = null;
        size = defaultSize;
        var top = request.Query.Get("$top");
        if (top is null)
        {
            return true;
        }

        if (!int.TryParse(top, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1)
        {
            error = Error(request, 400, "ErrorInvalidUrlQuery", $"The value '{top}' of $top is invalid.");
            return false;
        }

        size = Math.Min(size, max);
        return true;
    }

    private static string EncodeOffset(int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("offset:" + offset.ToString(CultureInfo.InvariantCulture))).TrimEnd('=');

    private static int DecodeOffset(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }

        try
        {
            var padded = token.PadRight(token.Length + ((4 - (token.Length % 4)) % 4), '=');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            return text.StartsWith("offset:", StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset : -1;
        }
        catch (FormatException)
        {
            return -1;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*manager\s*(?:\(\s*\$select\s*=\s*([A-Za-z,\s]+)\))?\s*$", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex ManagerExpand();

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*(mail|userPrincipalName|id)\s+eq\s+'((?:[^']|'')*)'\s*$", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex UserFilter();
}

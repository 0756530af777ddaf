namespace BossTalkCalendar.GraphSimulator;

/// <summary>
/// /subscriptions: create (validated against the notification URL first), get, renew (PATCH expirationDateTime) and
/// delete, with Graph's errors (docs/graph.md, "Change notifications").
/// </summary>
internal sealed partial class GraphApi
{
    public async Task<GraphResponse> CreateSubscriptionAsync(GraphRequest request, RouteMatch match, CancellationToken cancellationToken)
    {
        if (request.ReadJsonObject() is not { } body)
        {
            return Error(request, 400, "BadRequest", "Empty Payload. JSON content expected.");
        }

        var (subscription, error) = await _subscriptions.CreateAsync(body, cancellationToken);
        return subscription is null
            ? Error(request, 400, "ValidationError", error!)
            : new GraphResponse(201, SubscriptionHub.Json(subscription, request.VersionRoot));
    }

    public GraphResponse GetSubscription(GraphRequest request, RouteMatch match) =>
        _subscriptions.Find(match.ItemId!) is { } subscription
            ? new GraphResponse(200, SubscriptionHub.Json(subscription, request.VersionRoot))
            : SubscriptionNotFound(request, match.ItemId!);

    public GraphResponse RenewSubscription(GraphRequest request, RouteMatch match)
    {
        if (request.ReadJsonObject() is not { } body)
        {
            return Error(request, 400, "BadRequest", "Empty Payload. JSON content expected.");
        }

        var (subscription, error) = _subscriptions.Renew(match.ItemId!, body);
        if (subscription is null)
        {
            return SubscriptionNotFound(request, match.ItemId!);
        }

        return error is null
            ? new GraphResponse(200, SubscriptionHub.Json(subscription, request.VersionRoot))
            : Error(request, 400, "ValidationError", error);
    }

    public GraphResponse DeleteSubscription(GraphRequest request, RouteMatch match) =>
        _subscriptions.Delete(match.ItemId!) ? new GraphResponse(204) : SubscriptionNotFound(request, match.ItemId!);

    private GraphResponse SubscriptionNotFound(GraphRequest request, string id) =>
        Error(request, 404, "ResourceNotFound", $"The object was not found. Subscription '{id}' does not exist or is expired.");
}

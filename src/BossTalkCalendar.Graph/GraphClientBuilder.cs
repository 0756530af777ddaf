using System.Net;
using Microsoft.Graph;
using Microsoft.Graph.Authentication;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Abstractions.Store;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using Microsoft.Kiota.Serialization.Json;

namespace BossTalkCalendar.Graph;

/// <summary>
/// Builds the GraphServiceClient: Graph's default middleware with our retry policy, our throttle handler
/// and the credential chosen by configuration (none for a loopback simulator).
/// </summary>
internal static class GraphClientBuilder
{
    /// <summary>The SDK's retry handler may wait this long at most, and only once, for a 503/504.</summary>
    internal const int MaxInCallRetryAfterSeconds = 2;

    public static (GraphServiceClient Client, HttpClient Http) Build(GraphOptions options, TimeProvider timeProvider)
    {
        var baseUrl = new Uri(options.BaseUrl.TrimEnd('/'));
        var handlers = GraphClientFactory.CreateDefaultHandlers();
        for (var i = 0; i < handlers.Count; i++)
        {
            if (handlers[i] is RetryHandler)
            {
                handlers[i] = new RetryHandler(CreateRetryOption());
            }
        }

        // Innermost, so every attempt (including the retry handler's) holds a mailbox slot and a rate token.
        handlers.Add(new GraphThrottleHandler(options.MaxConcurrentRequestsPerMailbox, options.MaxRequestsPerSecond, timeProvider));
        handlers.Add(new GraphMetricsHandler(timeProvider));
        // Innermost: every request, retries and nextLink pages included, carries our preferences, and a body that is
        // not JSON is replaced before the SDK tries to parse it (the retry handler and the metrics still see the status).
        handlers.Add(new GraphPreferHandler());
        handlers.Add(new GraphResponseBodyHandler());

        var finalHandler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        var http = new HttpClient(GraphClientFactory.CreatePipeline(handlers, finalHandler), disposeHandler: true)
        {
            Timeout = TimeSpan.FromSeconds(100),
        };

        // Process-wide like the backing store below; set before the client, which adds its default only where none is.
        ParseNodeFactoryRegistry.DefaultInstance.ContentTypeAssociatedFactories["application/json"] = new JsonParseNodeFactory(GraphTimeConverter.Context);
        var client = new GraphServiceClient(http, CreateAuthenticationProvider(options, baseUrl), baseUrl.AbsoluteUri.TrimEnd('/'));
        // The SDK's models take their store from a process-wide singleton (set after the client, which may reset it).
        BackingStoreFactorySingleton.Instance = PlainBackingStoreFactory.Instance;
        return (client, http);
    }

    /// <summary>
    /// The SDK's default retries 429/503/504 up to 3 times, sleeping up to 180 s each inside the call. A Hangfire
    /// worker would sit blocked meanwhile, and Graph keeps counting usage while a throttled client waits. So a 429
    /// is never retried here: it surfaces as <c>GatewayException(Throttled, RetryAfter)</c> and the job reschedules
    /// itself. Only a 503/504 that asks for at most two seconds is retried, once.
    /// </summary>
    internal static RetryHandlerOption CreateRetryOption() => new()
    {
        MaxRetry = 1,
        Delay = 1,
        ShouldRetry = static (_, attempt, response) =>
            attempt == 0
            && response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
            && ShortRetryAfter(response),
    };

    private static bool ShortRetryAfter(HttpResponseMessage response)
    {
        var delta = response.Headers.RetryAfter?.Delta;
        return delta is { } wait && wait >= TimeSpan.Zero && wait <= TimeSpan.FromSeconds(MaxInCallRetryAfterSeconds);
    }

    private static IAuthenticationProvider CreateAuthenticationProvider(GraphOptions options, Uri baseUrl)
    {
        if (baseUrl.IsLoopback)
        {
            // A local simulator: no token is fetched and no Authorization header leaves the process.
            return new AnonymousAuthenticationProvider();
        }

        return new AzureIdentityAuthenticationProvider(GraphCredentials.Create(options), [baseUrl.Host], null, true, GraphCredentials.AppScope(baseUrl));
    }
}

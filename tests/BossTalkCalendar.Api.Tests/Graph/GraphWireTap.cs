using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using AspNetApp = Microsoft.AspNetCore.Builder.WebApplication;

namespace BossTalkCalendar.Api.Tests.Graph;

/// <summary>What went over the wire through <see cref="GraphWireTap"/>.</summary>
public sealed record TappedRequest(
    string Method,
    string PathAndQuery,
    string? Prefer,
    bool HadAuthorization,
    int Status,
    string? RetryAfter,
    bool Injected);

/// <summary>
/// A real HTTP hop between the gateway and the simulator: it records each request's headers (which the
/// simulator's counters do not keep), can answer chosen requests with an injected status, and rewrites
/// the simulator's absolute nextLinks so later pages pass through it too.
/// </summary>
public sealed class GraphWireTap : IAsyncDisposable
{
    private static readonly string[] SkippedRequestHeaders = ["Host", "Content-Length", "Transfer-Encoding", "Connection"];
    private static readonly string[] SkippedResponseHeaders = ["Content-Length", "Transfer-Encoding", "Connection"];

    private readonly AspNetApp _app;
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false });
    private readonly ConcurrentQueue<TappedRequest> _requests = new();
    private readonly ConcurrentQueue<(int Status, string? RetryAfter, string? Html)> _faults = new();
    private readonly Uri _upstreamBase;

    private GraphWireTap(AspNetApp app, Uri upstreamBase)
    {
        _app = app;
        _upstreamBase = upstreamBase;
    }

    /// <summary>The tap's Graph root (same path as the upstream's, e.g. http://127.0.0.1:PORT/v1.0).</summary>
    public Uri GraphBaseUrl { get; private set; } = null!;

    public IReadOnlyList<TappedRequest> Requests => [.. _requests];

    /// <summary>Answers the next request with this status (and Retry-After) instead of forwarding it.</summary>
    public void InjectNext(int status, string? retryAfter = null) => _faults.Enqueue((status, retryAfter, null));

    /// <summary>Answers the next request with this status and an HTML page, as a proxy in front of Graph may.</summary>
    public void InjectNextHtml(int status, string? retryAfter = null) =>
        _faults.Enqueue((status, retryAfter, $"<html><head><title>{status}</title></head><body><h1>{status}</h1></body></html>"));

    public static async Task<GraphWireTap> StartAsync(Uri upstreamGraphBaseUrl)
    {
        var builder = AspNetApp.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var tap = new GraphWireTap(app, upstreamGraphBaseUrl);
        app.Run(tap.ForwardAsync);
        await app.StartAsync();

        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        tap.GraphBaseUrl = new Uri(address, upstreamGraphBaseUrl.AbsolutePath);
        return tap;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var request = context.Request;
        var pathAndQuery = request.Path + request.QueryString;
        var prefer = request.Headers["Prefer"].ToString();
        var hadAuthorization = request.Headers.ContainsKey("Authorization");

        if (_faults.TryDequeue(out var fault))
        {
            context.Response.StatusCode = fault.Status;
            if (fault.RetryAfter is not null)
            {
                context.Response.Headers["Retry-After"] = fault.RetryAfter;
            }

            if (fault.Html is { } html)
            {
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync(html);
            }
            else
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync($$$"""{"error":{"code":"Injected{{{fault.Status}}}","message":"injected by the test"}}""");
            }

            _requests.Enqueue(new TappedRequest(request.Method, pathAndQuery, NullIfEmpty(prefer), hadAuthorization, fault.Status, fault.RetryAfter, true));
            return;
        }

        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_upstreamBase, pathAndQuery));
        if (request.ContentLength > 0 || request.Headers.ContainsKey("Transfer-Encoding"))
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            forward.Content = new ByteArrayContent(buffer.ToArray());
        }

        foreach (var header in request.Headers)
        {
            if (SkippedRequestHeaders.Contains(header.Key, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!forward.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray()))
            {
                forward.Content?.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
            }
        }

        using var response = await _upstream.SendAsync(forward, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            if (!SkippedResponseHeaders.Contains(header.Key, StringComparer.OrdinalIgnoreCase))
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }
        }

        var body = await response.Content.ReadAsStringAsync(context.RequestAborted);
        var upstreamRoot = _upstreamBase.GetLeftPart(UriPartial.Authority);
        var tapRoot = GraphBaseUrl.GetLeftPart(UriPartial.Authority);
        body = body.Replace(upstreamRoot, tapRoot, StringComparison.OrdinalIgnoreCase);
        if (body.Length > 0)
        {
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body));
        }

        var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() : null;
        _requests.Enqueue(new TappedRequest(request.Method, pathAndQuery, NullIfEmpty(prefer), hadAuthorization, (int)response.StatusCode, retryAfter, false));
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}

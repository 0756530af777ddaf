using System.Net;

namespace BossTalkCalendar.Api.Operator;

/// <summary>
/// Sends requests for one origin to a loopback origin instead, keeping path and query: the way an operator command
/// reaches a stand-in for a remote service (the Graph simulator for login.microsoftonline.com, a local http listener
/// behind the public https URL). Only a loopback target is accepted, so a setting can never send a credential or a
/// request elsewhere.
/// </summary>
internal sealed class LoopbackRedirectHandler : DelegatingHandler
{
    private readonly Uri _from;
    private readonly Uri _to;

    public LoopbackRedirectHandler(Uri from, Uri to, HttpMessageHandler inner)
        : base(inner)
    {
        if (!IsLoopback(to))
        {
            throw new ArgumentException($"'{to}' is not a loopback origin.", nameof(to));
        }

        _from = from;
        _to = to;
    }

    /// <summary>True for http(s) URLs on 127.0.0.0/8, ::1 or localhost.</summary>
    public static bool IsLoopback(Uri uri) =>
        (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && (uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address)));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri && SameOrigin(uri, _from))
        {
            request.RequestUri = new UriBuilder(uri) { Scheme = _to.Scheme, Host = _to.Host, Port = _to.Port }.Uri;
        }

        return base.SendAsync(request, cancellationToken);
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;
}

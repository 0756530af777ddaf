using System.Net;

namespace BossTalkCalendar.Api.Auth;

internal static class Loopback
{
    public static bool IsLoopbackHost(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IsLoopbackAddress(address);
    }

    public static bool IsLoopbackAddress(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return IPAddress.IsLoopback(address);
    }

    /// <summary>
    /// A request that really comes from this machine. The decision rests on the connection's remote address, which
    /// the client cannot choose; the Host header is client-chosen, so it can only ever refuse, never admit: a
    /// non-loopback peer is refused whatever Host it sends, and a loopback peer is still refused when its Host is a
    /// foreign name (a page whose DNS name was rebound to 127.0.0.1 sends its own name) or a proxy relayed it.
    /// </summary>
    public static bool IsLocalRequest(HttpContext context)
    {
        var request = context.Request;
        return IsLoopbackAddress(context.Connection.RemoteIpAddress)
            && request.Host.HasValue
            && IsLoopbackHost(request.Host.Host)
            && !request.Headers.ContainsKey("Forwarded")
            && !request.Headers.ContainsKey("X-Forwarded-For");
    }
}

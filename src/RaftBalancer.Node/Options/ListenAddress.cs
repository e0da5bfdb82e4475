using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace RaftBalancer.Node.Options;

/// <summary>Turns a configured listener URL (proxy, admin, ops) into a Kestrel endpoint.</summary>
internal static class ListenAddress
{
    /// <summary>Listens on <paramref name="uri"/>'s port: loopback for <c>localhost</c>, the address for an IP, every interface for any other host name.</summary>
    /// <param name="kestrel">Kestrel's options.</param>
    /// <param name="uri">The configured URL.</param>
    /// <param name="configure">Protocols, TLS and the like for the endpoint.</param>
    public static void ListenOn(this KestrelServerOptions kestrel, Uri uri, Action<ListenOptions>? configure = null)
    {
        configure ??= _ => { };
        if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(uri.Port, configure);
        }
        else if (IPAddress.TryParse(uri.Host, out var address))
        {
            kestrel.Listen(address, uri.Port, configure);
        }
        else
        {
            kestrel.ListenAnyIP(uri.Port, configure);
        }
    }
}

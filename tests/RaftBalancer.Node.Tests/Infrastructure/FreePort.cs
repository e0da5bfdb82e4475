using System.Net;
using System.Net.Sockets;

namespace RaftBalancer.Node.Tests.Infrastructure;

/// <summary>Hands out loopback ports that were free a moment ago (never the fixed 7xxx demo ports).</summary>
internal static class FreePort
{
    private static readonly HashSet<int> Given = [];

    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (Given)
            {
                if (Given.Add(port))
                {
                    return port;
                }
            }
        }
    }
}

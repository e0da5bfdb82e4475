using System.Net;
using System.Net.Sockets;

namespace RaftBalancer.Cli.Tests.Infrastructure;

/// <summary>Loopback addresses that refuse connections.</summary>
internal static class DeadAddress
{
    /// <summary>Reserves a free port, releases it and returns its address: nothing listens there.</summary>
    public static string Create()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }
}

namespace RaftBalancer.Node.Tests.Cluster;

/// <summary>Free loopback ports <em>below the kernel's ephemeral range</em>, for nodes that are stopped and restarted on the same ports.</summary>
/// <remarks>
/// A port from <c>bind(0)</c> lies in the ephemeral range, so while its node is down any outgoing connection on the
/// box (the other members' Raft reconnects, HTTP keep-alive pools) may take it as its local port, and the restarted
/// node then fails with "address already in use" (seen here in about one run in three). Ports below the range are
/// never handed out for outgoing connections. Each candidate is checked by binding it; never the fixed 7xxx ports.
/// </remarks>
internal static class ClusterPorts
{
    private const int Lowest = 10_000;
    private static readonly HashSet<int> Given = [];
    private static readonly int Highest = EphemeralLow() - 1;
    private static int _next = Lowest + Random.Shared.Next(Math.Max(1, Highest - Lowest));

    /// <summary>A loopback port that was free a moment ago and is outside the ephemeral range.</summary>
    public static int Next()
    {
        lock (Given)
        {
            for (var attempt = 0; attempt < Highest - Lowest; attempt++)
            {
                var port = _next;
                _next = _next >= Highest ? Lowest : _next + 1;
                if (Given.Contains(port) || !IsFree(port))
                {
                    continue;
                }

                Given.Add(port);
                return port;
            }
        }

        throw new InvalidOperationException("No free loopback port between " + Lowest + " and " + Highest + ".");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int EphemeralLow()
    {
        // Linux: "32768\t60999". Elsewhere assume the IANA dynamic range (49152-65535).
        try
        {
            var text = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range");
            var low = int.Parse(text.Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
            return low > Lowest + 1000 ? low : 49_152;
        }
        catch (IOException)
        {
            return 49_152;
        }
        catch (UnauthorizedAccessException)
        {
            return 49_152;
        }
    }
}

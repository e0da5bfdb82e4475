using System.Net;
using System.Net.Sockets;

namespace RaftBalancer.TestSupport;

/// <summary>Free loopback ports below the kernel's ephemeral range, never the fixed 7xxx ports of cluster-configs, each handed out once per process.</summary>
/// <remarks>
/// A port from the ephemeral range (bind to 0) can be taken by an outgoing connection while a killed process is down,
/// so its restart would fail with "address already in use"; ports below the range are only ever taken by listeners.
/// </remarks>
public static class FreePorts
{
    private static readonly HashSet<int> Given = [];
    private static readonly Random Pick = new();

    /// <summary>Returns a port that was free a moment ago and was not handed out before.</summary>
    /// <returns>The port.</returns>
    /// <exception cref="InvalidOperationException">No free port was found in 1,000 tries.</exception>
    public static int Next()
    {
        var low = EphemeralLow();
        var from = Math.Max(10_000, low - 15_000);
        lock (Given)
        {
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var port = Pick.Next(from, low - 1);
                if (port is >= 7000 and < 8000 || Given.Contains(port) || !IsFree(port))
                {
                    continue;
                }

                Given.Add(port);
                return port;
            }

            throw new InvalidOperationException("no free loopback port found below the ephemeral range");
        }
    }

    /// <summary>Returns <paramref name="count"/> distinct ports (see <see cref="Next"/>).</summary>
    /// <param name="count">How many.</param>
    /// <returns>The ports.</returns>
    public static int[] Take(int count) => [.. Enumerable.Range(0, count).Select(_ => Next())];

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int EphemeralLow()
    {
        try
        {
            var text = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(text[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32_768;
        }
    }
}

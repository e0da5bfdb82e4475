namespace RaftBalancer.Node.Tests.Cluster;

/// <summary>One node's id and loopback ports: proxy, admin, Raft and write forwarding.</summary>
/// <param name="Id">The node id, e.g. <c>node-1</c>.</param>
/// <param name="ProxyPort">Where clients send traffic.</param>
/// <param name="AdminPort">Status endpoint (and the admin API).</param>
/// <param name="RaftPort">The Raft TCP transport.</param>
/// <param name="ForwardPort">Where followers forward writes to the leader.</param>
/// <param name="OpsPort">The ops listener: <c>/metrics</c>, the dashboard.</param>
internal sealed record NodeEndpoints(string Id, int ProxyPort, int AdminPort, int RaftPort, int ForwardPort, int OpsPort)
{
    public string OpsUrl => "http://127.0.0.1:" + OpsPort;

    public string ProxyUrl => "http://127.0.0.1:" + ProxyPort;

    public string AdminUrl => "http://127.0.0.1:" + AdminPort;

    public string RaftUrl => "http://127.0.0.1:" + RaftPort;

    public string ForwardUrl => "http://127.0.0.1:" + ForwardPort;

    /// <summary>Free ports for nodes <c>node-1</c> … <c>node-N</c>, outside the ephemeral range so a restarted node gets them back (<see cref="ClusterPorts"/>).</summary>
    public static IReadOnlyList<NodeEndpoints> Allocate(int nodes) =>
        [.. Enumerable.Range(1, nodes).Select(n => new NodeEndpoints("node-" + n, ClusterPorts.Next(), ClusterPorts.Next(), ClusterPorts.Next(), ClusterPorts.Next(), ClusterPorts.Next()))];
}

namespace RaftBalancer.Node.Tests.Cluster;

/// <summary>What a <see cref="TestCluster"/> starts: nodes, demo backends, policy and the timings in every node's config.</summary>
internal sealed class TestClusterOptions
{
    /// <summary>Nodes in the cluster (Raft needs 3 or 5). Default 3.</summary>
    public int Nodes { get; init; } = 3;

    /// <summary>In-process demo backends, named <c>a</c>, <c>b</c>, <c>c</c>, … Default 3.</summary>
    public int Backends { get; init; } = 3;

    /// <summary>How many of the backends (the first ones) are in every node's initial config; the rest run unconfigured,
    /// for tests to add. Default: all of them.</summary>
    public int? ConfiguredBackends { get; init; }

    /// <summary>In-process hosts (default) or real node processes.</summary>
    public NodeMode Mode { get; init; } = NodeMode.InProcess;

    /// <summary>The initial balancing policy. Default round-robin.</summary>
    public string Policy { get; init; } = "round-robin";

    /// <summary>The active health check interval. Default 300 ms.</summary>
    public TimeSpan HealthInterval { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>The active health check timeout. Default 250 ms.</summary>
    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Consecutive failed probes that make a backend unhealthy. Default 2.</summary>
    public int FailureThreshold { get; init; } = 2;

    /// <summary>The lower bound of the Raft election timeout. Default 300 ms (twice the shipped configs': a 2-core box shared
    /// with other test runs delays heartbeats past 150 ms often enough to make elections churn).</summary>
    public TimeSpan ElectionTimeoutLower { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>The upper bound of the Raft election timeout. Default 600 ms.</summary>
    public TimeSpan ElectionTimeoutUpper { get; init; } = TimeSpan.FromMilliseconds(600);

    /// <summary>Changes one node's generated JSON config before it is written (e.g. add an <c>Admin</c> section).</summary>
    /// <remarks>Called once per node with the node id; applied again on restart (the file is rewritten identically).</remarks>
    public Action<string, JsonObject>? Configure { get; init; }
}

using RaftBalancer.Contracts.V1;

namespace RaftBalancer.Node.Tests.Admin;

/// <summary>The admin tests' shared cluster: a <see cref="TestCluster"/> of 3 in-process Raft nodes and three demo backends (a, b, c).</summary>
/// <remarks>
/// Nodes start with a and b at weight 1 under weighted-round-robin; c runs but is not configured, for the tests to add.
/// Every node has the admin token <see cref="Token"/>.
/// </remarks>
public sealed class AdminCluster : IAsyncLifetime
{
    public const string Token = "admin-tests-token-0123456789";
    public const string BackendHeader = ClusterConfig.BackendHeader;
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private TestCluster? _cluster;

    public IReadOnlyList<ClusterMemberNode> Nodes { get; private set; } = [];

    internal DemoBackendHost A => Cluster.Backend("a");

    internal DemoBackendHost B => Cluster.Backend("b");

    internal DemoBackendHost C => Cluster.Backend("c");

    private TestCluster Cluster => _cluster ?? throw new InvalidOperationException("The admin cluster is not started.");

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync(new TestClusterOptions
        {
            Policy = "weighted-round-robin",
            ConfiguredBackends = 2,
            // The shipped configs' election timeouts, so the latency figures AdminSpeedTests prints are what a user gets.
            ElectionTimeoutLower = TimeSpan.FromMilliseconds(150),
            ElectionTimeoutUpper = TimeSpan.FromMilliseconds(300),
            Configure = (_, config) => config["Admin"] = new JsonObject { ["Token"] = Token },
        });
        Nodes = [.. _cluster.Nodes.Select(n => new ClusterMemberNode((InProcessClusterNode)n))];
    }

    /// <summary>The id of the node the cluster agrees leads (asked over gRPC).</summary>
    public async Task<string> LeaderAsync()
    {
        string leader = string.Empty;
        await Poll.UntilAsync(
            async () =>
            {
                var status = await Nodes[0].Client.GetClusterStatusAsync(new GetClusterStatusRequest());
                leader = status.LeaderNodeId;
                return leader.Length > 0;
            },
            Deadline,
            "a leader");
        return leader;
    }

    public async Task<ClusterMemberNode> FollowerAsync()
    {
        var leader = await LeaderAsync();
        return Nodes.First(n => n.Id != leader);
    }

    public async Task DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            node.Dispose();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

/// <summary>One node of <see cref="AdminCluster"/>: its addresses, a gRPC admin client, its proxy client and its view.</summary>
public sealed class ClusterMemberNode : IDisposable
{
    private readonly InProcessClusterNode _node;

    internal ClusterMemberNode(InProcessClusterNode node)
    {
        _node = node;
        Channel = GrpcChannel.ForAddress(node.AdminUrl);
        Client = new RaftBalancer.Contracts.V1.Admin.AdminClient(Channel);
    }

    public string Id => _node.Id;

    public string ProxyUrl => _node.ProxyUrl;

    public string AdminUrl => _node.AdminUrl;

    public RaftBalancer.Contracts.V1.Admin.AdminClient Client { get; }

    public HttpClient Proxy => _node.Client;

    public GrpcChannel Channel { get; }

    internal ViewPublisher Views => _node.Services.GetRequiredService<ViewPublisher>();

    /// <summary>Sends a GET through this node's proxy; returns the status and the backend id that served it.</summary>
    public Task<(int Status, string? Backend)> GetAsync(string path = "/", int delayMs = 0) =>
        _node.GetAsync(path, delayMs > 0 ? delayMs : null);

    public void Dispose() => Channel.Dispose();
}

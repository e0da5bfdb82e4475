namespace RaftBalancer.Node.Tests.Cluster;

/// <summary>
/// A loopback RaftBalancer cluster for tests: N nodes on the Raft store (in-process hosts or real processes) and M
/// in-process demo backends, all on free ports, each node with its own config file and temp data directory.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="StartAsync"/> returns once every node agrees on one leader, routes every backend and forwards a
/// request. Nodes can be stopped, killed (process mode) and restarted with the same config and Raft log.
/// <see cref="DisposeAsync"/> stops every node (by PID in process mode) and backend, then deletes the temp directory;
/// use <c>await using</c> so that happens on failure too.
/// </para>
/// <example>
/// <code>
/// await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { Mode = NodeMode.Process });
/// var leader = await cluster.WaitForLeaderAsync();
/// var (status, backend) = await cluster.Nodes[0].GetAsync("/hello");
/// await leader.KillAsync();
/// </code>
/// </example>
/// <para>Every wait polls with a deadline (<see cref="ClusterTimeouts"/>); nothing sleeps a fixed time.</para>
/// </remarks>
internal sealed class TestCluster : IAsyncDisposable
{
    private readonly List<ClusterNode> _nodes = [];
    private readonly List<DemoBackendHost> _backends = [];

    private TestCluster(TestClusterOptions options)
    {
        Options = options;
        Root = Directory.CreateTempSubdirectory("rb-cluster-").FullName;
    }

    public TestClusterOptions Options { get; }

    /// <summary>The temp directory holding every node's config and data directory.</summary>
    public string Root { get; }

    /// <summary>The nodes, <c>node-1</c> first.</summary>
    public IReadOnlyList<ClusterNode> Nodes => _nodes;

    /// <summary>The demo backends, <c>a</c> first.</summary>
    public IReadOnlyList<DemoBackendHost> Backends => _backends;

    /// <summary>The ids of the backends in the nodes' initial config (every backend unless <see cref="TestClusterOptions.ConfiguredBackends"/> says fewer).</summary>
    public string[] BackendIds => [.. _backends.Take(Options.ConfiguredBackends ?? _backends.Count).Select(b => b.Id)];

    /// <summary>The nodes that are running now.</summary>
    public IEnumerable<ClusterNode> Running => _nodes.Where(n => n.IsRunning);

    public ClusterNode Node(string id) => _nodes.Single(n => n.Id == id);

    public DemoBackendHost Backend(string id) => _backends.Single(b => b.Id == id);

    /// <summary>Starts the backends and nodes and waits until the cluster has a leader and every node routes every backend and forwards.</summary>
    public static async Task<TestCluster> StartAsync(TestClusterOptions? options = null)
    {
        options ??= new TestClusterOptions();
        var cluster = new TestCluster(options);
        try
        {
            for (var i = 0; i < options.Backends; i++)
            {
                cluster._backends.Add(await DemoBackendHost.StartAsync(((char)('a' + i)).ToString()));
            }

            var endpoints = NodeEndpoints.Allocate(options.Nodes);
            var backends = cluster._backends.Take(options.ConfiguredBackends ?? options.Backends).Select(b => (b.Id, b.Url)).ToList();
            foreach (var self in endpoints)
            {
                var directory = Path.Combine(cluster.Root, self.Id);
                Directory.CreateDirectory(directory);
                var dataDir = Path.Combine(directory, "data");
                var configPath = Path.Combine(directory, "node.json");
                var config = ClusterConfig.Build(options, endpoints, self, dataDir, backends);
                await File.WriteAllTextAsync(configPath, config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                cluster._nodes.Add(options.Mode == NodeMode.Process
                    ? new ProcessClusterNode(self, configPath, dataDir)
                    : new InProcessClusterNode(self, configPath, dataDir));
            }

            // Start together: a Raft member started alone only campaigns until the others are up.
            await Task.WhenAll(cluster._nodes.Select(n => n.StartAsync()));
            await cluster.WaitForLeaderAsync(ClusterTimeouts.Start);
            await cluster.WaitRoutableAsync(ClusterTimeouts.Start, cluster.BackendIds);
            await cluster.WaitForwardingAsync(ClusterTimeouts.Start);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Reads every running node's status.</summary>
    public async Task<IReadOnlyList<NodeStatus>> StatusesAsync() => await Task.WhenAll(Running.Select(n => n.StatusAsync()));

    /// <summary>Waits until every running node (or <paramref name="among"/>) knows the same leader, that leader is among them and no node is stale.</summary>
    /// <returns>The leader.</returns>
    public async Task<ClusterNode> WaitForLeaderAsync(TimeSpan? timeout = null, IEnumerable<ClusterNode>? among = null)
    {
        ClusterNode? leader = null;
        await WaitAsync(
            async () =>
            {
                var nodes = (among ?? Running).ToList();
                var statuses = await Task.WhenAll(nodes.Select(n => n.StatusAsync()));
                var leaders = statuses.Select(s => s.LeaderId).Distinct().ToList();
                if (leaders.Count != 1 || leaders[0] is not { } id || statuses.Any(s => s.Stale))
                {
                    return false;
                }

                leader = nodes.FirstOrDefault(n => n.Id == id);
                return leader is not null && statuses.Single(s => s.NodeId == id).Role == "leader";
            },
            timeout ?? ClusterTimeouts.Condition,
            "one leader known to every running node");
        return leader!;
    }

    /// <summary>Waits until exactly <paramref name="ids"/> are routable on every running node.</summary>
    public Task WaitRoutableAsync(TimeSpan timeout, params string[] ids) => WaitAllAsync(
        s => s.Backends.Where(b => b.Routable).Select(b => b.Id).Order(StringComparer.Ordinal).SequenceEqual(ids.Order(StringComparer.Ordinal)),
        timeout,
        "routable = [" + string.Join(",", ids) + "] on every node");

    /// <summary>Waits until every running node's status satisfies <paramref name="condition"/>.</summary>
    public Task WaitAllAsync(Func<NodeStatus, bool> condition, TimeSpan timeout, string what) => WaitAsync(
        async () => (await StatusesAsync()).All(condition),
        timeout,
        what);

    /// <summary>Waits until every running node answers a GET through its proxy with 200.</summary>
    public Task WaitForwardingAsync(TimeSpan? timeout = null) => WaitAsync(
        async () =>
        {
            foreach (var node in Running)
            {
                if ((await node.GetAsync("/-/cluster-ready")).Status != 200)
                {
                    return false;
                }
            }

            return true;
        },
        timeout ?? ClusterTimeouts.Condition,
        "every node forwards");

    /// <summary>Polls <paramref name="condition"/> until it holds; on timeout fails with the nodes' recent output.</summary>
    public async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        try
        {
            await Poll.UntilAsync(condition, timeout, what);
        }
        catch (TimeoutException e)
        {
            Assert.Fail(e.Message + Diagnostics());
        }
    }

    /// <summary>The running nodes' output, for failure messages (process nodes only).</summary>
    public string Diagnostics()
    {
        var parts = _nodes.Where(n => n.RecentOutput.Length > 0).Select(n => "\n--- " + n.Id + " ---\n" + n.RecentOutput);
        return string.Concat(parts);
    }

    public async ValueTask DisposeAsync()
    {
        // Kill before anything else: every node and backend goes even if one stop throws.
        var errors = new List<Exception>();
        foreach (var node in _nodes)
        {
            try
            {
                if (Options.Mode == NodeMode.Process)
                {
                    await node.KillAsync();
                }

                await node.DisposeAsync();
            }
#pragma warning disable CA1031 // Clean-up goes on: every node and backend must be stopped.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                errors.Add(ex);
            }
        }

        foreach (var backend in _backends)
        {
            try
            {
                await backend.DisposeAsync();
            }
#pragma warning disable CA1031
            catch (Exception ex)
#pragma warning restore CA1031
            {
                errors.Add(ex);
            }
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }

        if (errors.Count > 0)
        {
            throw new AggregateException("Cluster clean-up failed.", errors);
        }
    }
}

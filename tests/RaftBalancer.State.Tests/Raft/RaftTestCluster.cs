namespace RaftBalancer.State.Tests.Raft;

/// <summary>Three (or five) in-process <see cref="RaftStateStore"/> members on loopback, each with its own
/// TCP transport, forwarding port and temp data directory.</summary>
internal sealed class RaftTestCluster : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly RaftStateStore?[] _nodes;
    private readonly ChaosFaults?[] _faults;
    private readonly Action<RaftStoreOptions>? _configure;

    public RaftTestCluster(int size = 3, Action<RaftStoreOptions>? configure = null)
    {
        _configure = configure;
        Root = Path.Combine(Path.GetTempPath(), "rb-raft-" + Guid.NewGuid().ToString("N"));
        var ports = FreePorts.Take(size * 2);
        Members = Enumerable.Range(0, size).Select(i => new RaftMemberOptions
        {
            Id = $"n{i + 1}",
            RaftAddress = $"127.0.0.1:{ports[2 * i]}",
            ForwardAddress = $"127.0.0.1:{ports[(2 * i) + 1]}",
        }).ToArray();
        _nodes = new RaftStateStore?[size];
        _faults = new ChaosFaults?[size];
    }

    public string Root { get; }

    /// <summary>Gets or sets the logging of nodes started from now on (none when <see langword="null"/>).</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Gets or sets a value indicating whether nodes started from now on get the per-link fault gate
    /// (a <see cref="ChaosFaults"/> as the store's link hooks); see <see cref="Faults"/> and <see cref="Isolate"/>.</summary>
    public bool Chaos { get; set; }

    public IReadOnlyList<RaftMemberOptions> Members { get; }

    public RaftStateStore this[int index] => _nodes[index] ?? throw new InvalidOperationException($"node {index + 1} is stopped");

    public IEnumerable<RaftStateStore> Running => _nodes.Where(n => n is not null)!;

    public string DataDirectory(int index) => Path.Combine(Root, Members[index].Id);

    public RaftStoreOptions OptionsFor(int index)
    {
        var options = new RaftStoreOptions { NodeId = Members[index].Id, DataDirectory = DataDirectory(index) };
        foreach (var m in Members)
        {
            options.Members.Add(m);
        }

        _configure?.Invoke(options);
        return options;
    }

    public static async Task<RaftTestCluster> StartAsync(int size = 3, Action<RaftStoreOptions>? configure = null, bool chaos = false)
    {
        var cluster = new RaftTestCluster(size, configure) { Chaos = chaos };
        try
        {
            await Task.WhenAll(Enumerable.Range(0, size).Select(cluster.StartNodeAsync));
            await cluster.WaitForLeaderAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task StartNodeAsync(int index)
    {
        if (Chaos)
        {
            // The node's fault switches outlive a restart, as a cut network would.
            _faults[index] ??= new ChaosFaults();
            _nodes[index] = await RaftStateStore.StartAsync(OptionsFor(index), _faults[index], LoggerFactory);
        }
        else
        {
            _nodes[index] = await RaftStateStore.StartAsync(OptionsFor(index), LoggerFactory);
        }
    }

    /// <summary>Gets the fault switches of a node of a <see cref="Chaos"/> cluster (its outbound Raft and forwarding links).</summary>
    public ChaosFaults Faults(int index) => _faults[index] ?? throw new InvalidOperationException($"node {index + 1} was not started with chaos enabled");

    /// <summary>Cuts every link between a node and the others, both directions (a full partition of that node).</summary>
    public void Isolate(int index, LinkMode mode = LinkMode.Drop)
    {
        for (var other = 0; other < Members.Count; other++)
        {
            if (other != index)
            {
                Faults(index).Set(Members[other].Id, new LinkFault(mode, 0));
                Faults(other).Set(Members[index].Id, new LinkFault(mode, 0));
            }
        }
    }

    /// <summary>Heals every link of every chaos-enabled node.</summary>
    public void HealAll()
    {
        foreach (var faults in _faults)
        {
            faults?.HealAll();
        }
    }

    public async Task StopNodeAsync(int index)
    {
        var node = _nodes[index];
        _nodes[index] = null;
        if (node is not null)
        {
            await node.CloseAsync();
        }
    }

    public int IndexOf(string nodeId) => Members.ToList().FindIndex(m => m.Id == nodeId);

    /// <summary>Waits until every running node (or every node of <paramref name="among"/>) agrees on one leader that
    /// knows it leads; returns its index.</summary>
    public async Task<int> WaitForLeaderAsync(TimeSpan? deadline = null, IReadOnlyCollection<int>? among = null)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var running = among is null ? Running.ToList() : among.Select(i => _nodes[i]).OfType<RaftStateStore>().ToList();
            var leaders = running.Select(n => n.LeaderId).Distinct().ToList();
            if (leaders is [{ } id] && IndexOf(id) is var index and >= 0 && (among is null || among.Contains(index)) && _nodes[index] is { IsLeader: true })
            {
                return index;
            }

            if (stopwatch.Elapsed > (deadline ?? Deadline))
            {
                throw new TimeoutException($"no agreed leader within {(deadline ?? Deadline).TotalSeconds} s; views: {string.Join(", ", running.Select(n => $"{n.NodeId}->{n.LeaderId ?? "none"}"))}");
            }

            await Task.Delay(10);
        }
    }

    public static Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? deadline = null) =>
        Poll.UntilAsync(condition, deadline ?? Deadline, what);

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < _nodes.Length; i++)
        {
            try
            {
                await StopNodeAsync(i);
            }
            catch (Exception)
            {
                // Best effort: keep tearing down the others.
            }
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

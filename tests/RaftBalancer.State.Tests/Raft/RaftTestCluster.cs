using System.Diagnostics;
using RaftBalancer.State.Raft;

namespace RaftBalancer.State.Tests.Raft;

/// <summary>Three (or five) in-process <see cref="RaftStateStore"/> members on loopback, each with its own
/// TCP transport, forwarding port and temp data directory.</summary>
internal sealed class RaftTestCluster : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly RaftStateStore?[] _nodes;
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
    }

    public string Root { get; }

    /// <summary>Gets or sets the logging of nodes started from now on (none when <see langword="null"/>).</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; set; }

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

    public static async Task<RaftTestCluster> StartAsync(int size = 3, Action<RaftStoreOptions>? configure = null)
    {
        var cluster = new RaftTestCluster(size, configure);
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
        _nodes[index] = await RaftStateStore.StartAsync(OptionsFor(index), LoggerFactory);
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

    /// <summary>Waits until every running node agrees on one leader that knows it leads; returns its index.</summary>
    public async Task<int> WaitForLeaderAsync(TimeSpan? deadline = null)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var running = Running.ToList();
            var leaders = running.Select(n => n.LeaderId).Distinct().ToList();
            if (leaders is [{ } id] && IndexOf(id) is var index and >= 0 && _nodes[index] is { IsLeader: true })
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

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? deadline = null)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (stopwatch.Elapsed > (deadline ?? Deadline))
            {
                throw new TimeoutException($"condition not met within {(deadline ?? Deadline).TotalSeconds} s: {what}");
            }

            await Task.Delay(20);
        }
    }

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

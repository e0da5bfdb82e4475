using RaftBalancer.Chaos.Harness;

namespace RaftBalancer.Chaos.Workload;

/// <summary>Polls every node's Raft status (every 100 ms) and routing status (every 250 ms) for the whole run.</summary>
internal sealed class StatusMonitor
{
    private readonly ChaosCluster _cluster;
    private readonly Recorder _recorder;

    public StatusMonitor(ChaosCluster cluster, Recorder recorder)
    {
        _cluster = cluster;
        _recorder = recorder;
    }

    public Task RunAsync(CancellationToken cancellationToken) => Task.WhenAll(
        Task.Run(() => LoopAsync(100, PollRaftAsync, cancellationToken), CancellationToken.None),
        Task.Run(() => LoopAsync(250, PollRoutingAsync, cancellationToken), CancellationToken.None));

    private static async Task LoopAsync(int periodMs, Func<CancellationToken, Task> poll, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(periodMs));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await poll(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // End of the run.
        }
    }

    private Task PollRaftAsync(CancellationToken cancellationToken) => Task.WhenAll(_cluster.Nodes.Where(n => n.Running && !n.Paused).Select(async node =>
    {
        if (await node.Client.GetRaftAsync(TimeSpan.FromMilliseconds(500), cancellationToken) is { } sample)
        {
            _recorder.Raft.Enqueue((_recorder.NowMs, sample));
        }
    }));

    private Task PollRoutingAsync(CancellationToken cancellationToken) => Task.WhenAll(_cluster.Nodes.Where(n => n.Running && !n.Paused).Select(async node =>
    {
        if (await node.Client.GetRoutingAsync(TimeSpan.FromMilliseconds(500), cancellationToken) is { } sample)
        {
            _recorder.Routing.Enqueue((_recorder.NowMs, sample));
        }
    }));
}

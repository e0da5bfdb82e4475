using System.Collections.Concurrent;
using RaftBalancer.Chaos.Harness;

namespace RaftBalancer.Chaos.Workload;

/// <summary>Polls every running node's full <c>/-/status</c> (verdict reasons, breakers, retry counters) every 200 ms
/// while a backend scenario runs; each sample carries when its request was sent and when it was answered.</summary>
internal sealed class StatusWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly Task _loop;

    private StatusWatch(ChaosCluster cluster, Recorder recorder, CancellationToken cancellationToken)
    {
        _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _loop = Task.Run(() => LoopAsync(cluster, recorder, _cts.Token), CancellationToken.None);
    }

    public ConcurrentQueue<(double SentMs, double AtMs, StatusSample Sample)> Samples { get; } = new();

    public static StatusWatch Start(ChaosCluster cluster, Recorder recorder, CancellationToken cancellationToken) => new(cluster, recorder, cancellationToken);

    /// <summary>Samples of one node whose request was sent after <paramref name="fromMs"/> (so they show the node's state after it).</summary>
    public IEnumerable<(double SentMs, double AtMs, StatusSample Sample)> Of(string nodeId, double fromMs = double.MinValue) =>
        Samples.Where(s => s.Sample.NodeId == nodeId && s.SentMs >= fromMs);

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        await _loop;
        _cts.Dispose();
    }

    private async Task LoopAsync(ChaosCluster cluster, Recorder recorder, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await Task.WhenAll(cluster.Nodes.Where(n => n.Running && !n.Paused).Select(async node =>
                {
                    var sent = recorder.NowMs;
                    if (await NodeStatusReader.ReadAsync(node, TimeSpan.FromMilliseconds(800), cancellationToken) is { } sample)
                    {
                        Samples.Enqueue((sent, recorder.NowMs, sample));
                    }
                }));
            }
        }
        catch (OperationCanceledException)
        {
            // End of the watch.
        }
    }
}

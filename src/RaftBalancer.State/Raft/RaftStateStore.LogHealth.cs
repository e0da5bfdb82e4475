using DotNext.Net.Cluster.Consensus.Raft.StateMachine;

namespace RaftBalancer.State.Raft;

public sealed partial class RaftStateStore
{
    private static readonly TimeSpan LogCheckInterval = TimeSpan.FromMilliseconds(100);

    private Exception? _logFault;
    private Task _logWatch = Task.CompletedTask;

    /// <summary>Gets the fault that damaged this node's write-ahead log, or <see langword="null"/> while the log is healthy.</summary>
    /// <remarks>
    /// Once set, the node has stopped its Raft member and refuses every read and write with
    /// <see cref="StateStoreUnavailableException"/>: it never serves or acknowledges from a damaged log. Restarting the
    /// store on the same data directory recovers it (the log reopens from its last checkpoint and snapshot and the
    /// leader resends the rest). See docs/dotnext-wal-flush-race.md for the DotNext fault this guards against.
    /// </remarks>
    public Exception? LogFault => Volatile.Read(ref _logFault);

    /// <summary>Watches the write-ahead log for a background fault and fences the node when one happens.</summary>
    /// <remarks>
    /// DotNext's WAL records a fault of its background flusher or cleaner and from then on throws
    /// <see cref="WriteAheadLog.InternalException"/> from every call. Probing is one synchronous check per interval
    /// (waiting for index 0 completes at once on a healthy log), so it costs nothing on the write path.
    /// </remarks>
    private async Task WatchLogAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await _wal.WaitForApplyAsync(0, cancellationToken);
                await Task.Delay(LogCheckInterval, _time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (WriteAheadLog.InternalException e)
        {
            await FenceAsync(e);
        }
    }

    /// <summary>Marks the log damaged and stops this node's Raft member, so a damaged leader steps down and a damaged follower stops voting.</summary>
    private async Task FenceAsync(Exception fault)
    {
        if (Interlocked.CompareExchange(ref _logFault, fault, null) is not null)
        {
            return;
        }

        Log.LogDamaged(_logger, NodeId, fault.InnerException?.Message ?? fault.Message);
        try
        {
            await _cluster.StopAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The member is going down on a dead log; its own errors add nothing.
            Log.LogDamagedStopFailed(_logger, NodeId, e.Message);
        }
    }

    private StateStoreUnavailableException LogDamaged(Exception fault) =>
        new($"Node '{NodeId}' stopped serving: its write-ahead log is damaged ({fault.InnerException?.Message ?? fault.Message}). Use another node; restarting this node recovers it from its snapshot and the leader.", fault);

    private void ThrowIfLogDamaged()
    {
        if (LogFault is { } fault)
        {
            throw LogDamaged(fault);
        }
    }
}

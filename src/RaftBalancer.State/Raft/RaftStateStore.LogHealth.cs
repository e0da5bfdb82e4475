using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RaftBalancer.State.Raft.Transport;

namespace RaftBalancer.State.Raft;

public sealed partial class RaftStateStore
{
    private static readonly TimeSpan LogCheckInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RecoveryRetryDelay = TimeSpan.FromSeconds(1);

    private Exception? _logFault;
    private Task _logWatch = Task.CompletedTask;
    private ILoggerFactory _loggerFactory = NullLoggerFactory.Instance;
    private IPeerLinkHooks? _linkHooks;
    private Security.PeerCredentials? _peerCredentials;
    private long _logRecoveries;

    /// <summary>Gets the fault that damaged this node's write-ahead log, or <see langword="null"/> while the log is healthy.</summary>
    /// <remarks>
    /// While set, the node's Raft member is stopped and every read, write and watch is refused with
    /// <see cref="StateStoreUnavailableException"/>: the node never serves or acknowledges from a damaged log. The node
    /// recovers by itself (see <see cref="LogRecoveries"/>): it reopens the log from its data directory — the last
    /// checkpoint and snapshot — and rejoins; the leader resends what is missing. See docs/dotnext-wal-flush-race.md
    /// for the DotNext fault this guards against.
    /// </remarks>
    public Exception? LogFault => Volatile.Read(ref _logFault);

    /// <summary>Gets how many times this node reopened its log and rejoined after a log fault.</summary>
    public long LogRecoveries => Interlocked.Read(ref _logRecoveries);

    /// <summary>Watches the write-ahead log for a background fault; fences the node and recovers it when one happens.</summary>
    /// <remarks>
    /// DotNext's WAL records a fault of its background flusher or cleaner and from then on throws
    /// <see cref="WriteAheadLog.InternalException"/> from every call. Probing is one synchronous check per interval
    /// (waiting for index 0 completes at once on a healthy log), so it costs nothing on the write path. Only this loop
    /// recovers; the write and read paths only fence.
    /// </remarks>
    private async Task WatchLogAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Volatile.Read(ref _wal).WaitForApplyAsync(0, cancellationToken);
                await Task.Delay(LogCheckInterval, _time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (LogFaultOf(e) is { } fault)
            {
                await FenceAsync(fault);
            }

            if (LogFault is not null && !await RecoverAsync(cancellationToken))
            {
                return;
            }
        }
    }

    /// <summary>Marks the log damaged, ends every watch, and stops this node's Raft member (a damaged leader steps down, a damaged follower stops voting).</summary>
    private async Task FenceAsync(Exception fault)
    {
        if (Interlocked.CompareExchange(ref _logFault, fault, null) is not null)
        {
            return;
        }

        Log.LogDamaged(_logger, NodeId, fault.InnerException?.Message ?? fault.Message);
        _watchers.CompleteAll(LogDamaged(fault));
        try
        {
            await Volatile.Read(ref _cluster).StopAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The member is going down on a dead log; its own errors add nothing.
            Log.LogDamagedStopFailed(_logger, NodeId, e.Message);
        }
    }

    /// <summary>Replaces the damaged member with one reopened from the data directory, retrying until it starts or the store closes.</summary>
    /// <returns><see langword="true"/> once recovered; <see langword="false"/> when the store closed first.</returns>
    private async Task<bool> RecoverAsync(CancellationToken cancellationToken)
    {
        if (_electionGuard is { } guard)
        {
            _electionGuard = null;
            await guard.DisposeAsync();
        }

        await new RaftMember(_machine, _wal, _cluster, _peerConnections).DisposeAsync();
        var self = _options.Members.Single(m => m.Id == _options.NodeId);
        for (var attempt = 1; ; attempt++)
        {
            RaftMember? member = null;
            try
            {
                member = await OpenMemberAsync(_options, self, _linkHooks, _peerCredentials, _watchers, _loggerFactory, _logger, cancellationToken);
                member.Cluster.LeaderChanged += OnLeaderChanged;
                await StartMemberAsync(member.Cluster, _options, self, cancellationToken);
                Volatile.Write(ref _machine, member.Machine);
                Volatile.Write(ref _wal, member.Wal);
                Volatile.Write(ref _peerConnections, member.Connections);
                Volatile.Write(ref _cluster, member.Cluster);
                _electionGuard = new ElectionGuard(member.Cluster, member.Connections, _options, _time, _logger);
                Interlocked.Increment(ref _logRecoveries);
                Volatile.Write(ref _logFault, null);
                Log.LogRecovered(_logger, NodeId, attempt, member.Wal.LastCommittedEntryIndex);
                return true;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                if (member is not null)
                {
                    await member.DisposeAsync();
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    return false;
                }

                Log.LogRecoveryFailed(_logger, NodeId, attempt, e.Message);
            }

            try
            {
                await Task.Delay(RecoveryRetryDelay, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }

    /// <summary>Finds the WAL fault behind <paramref name="error"/>: DotNext throws it directly from WAL calls, and wraps it
    /// in <c>PendingTaskInterruptedException</c> for a caller that was waiting for an index to apply when it happened.</summary>
    private static WriteAheadLog.InternalException? LogFaultOf(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is WriteAheadLog.InternalException fault)
            {
                return fault;
            }
        }

        return null;
    }

    private StateStoreUnavailableException LogDamaged(Exception fault) =>
        new($"Node '{NodeId}' stopped serving: its write-ahead log is damaged ({fault.InnerException?.Message ?? fault.Message}); it is reopening the log and rejoining the cluster. Use another node meanwhile.", fault);

    private void ThrowIfLogDamaged()
    {
        if (LogFault is { } fault)
        {
            throw LogDamaged(fault);
        }
    }
}

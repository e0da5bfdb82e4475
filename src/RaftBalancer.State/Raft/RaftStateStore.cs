using System.Collections.Frozen;
using System.Net;
using DotNext.Net.Cluster;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.Extensions.Logging;
using RaftBalancer.Contracts.V1;
using RaftBalancer.State.Raft.Transport;
using RaftBalancer.State.Machine;
using RaftBalancer.State.Watching;

namespace RaftBalancer.State.Raft;

/// <summary>An <see cref="IStateStore"/> replicated by DotNext Raft over TCP, with a persistent WAL and snapshots.</summary>
/// <remarks>
/// <para>
/// Start with <see cref="StartAsync(RaftStoreOptions, ILoggerFactory?, TimeProvider?, CancellationToken)"/>. Writes on the leader are proposed directly; writes on a follower
/// are forwarded to the leader's forwarding endpoint. Either way the call returns after the entry is
/// committed by a majority and applied on the leader, and fails with <see cref="StateStoreUnavailableException"/>
/// when no leader commits it within <see cref="RaftStoreOptions.WriteTimeout"/>. A write retried after a
/// lost reply may apply twice; sets and deletes are idempotent, only the "existed" answer of a delete may differ.
/// </para>
/// <para>
/// Reads are served from this node's applied state; <see cref="ReadConsistency.Linearizable"/> first passes a
/// Raft read barrier, retried while no leader is known until <see cref="RaftStoreOptions.WriteTimeout"/>. The leader stamps every entry's timestamp and turns a TTL into an absolute expiry; its
/// sweeper proposes a conditional expire command for each key past its expiry, so every node's watchers see
/// the same delete. Until that delete is applied, a reader treats a key past its expiry (by the reader's
/// clock) as absent.
/// </para>
/// </remarks>
public sealed partial class RaftStateStore : IStateStore
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(20);

    private readonly RaftStoreOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly WatchHub _watchers;
    private PersistentStateMachine _machine;
    private WriteAheadLog _wal;
    private RaftCluster _cluster;
    private readonly WriteForwardingClient _forwardClient;
    private readonly FrozenDictionary<EndPoint, RaftMemberOptions> _membersByRaftAddress;
    private readonly FrozenDictionary<string, IPEndPoint> _forwardAddresses;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _lastContact = new(StringComparer.Ordinal);
    private PeerConnectionFactory _peerConnections;
    private WriteForwardingServer? _forwardServer;
    private Task _sweeper = Task.CompletedTask;
    private ElectionGuard? _electionGuard;
    private int _closed;
    private long _leadershipTerm = -1;
    private long _leaderChanges;

    private RaftStateStore(RaftStoreComponents components)
    {
        _options = components.Options;
        _logger = components.Logger;
        _time = components.Time;
        _watchers = components.Watchers;
        _machine = components.Machine;
        _wal = components.Wal;
        _cluster = components.Cluster;
        _peerConnections = components.PeerConnections;
        var members = _options.Members;
        var hooks = components.LinkHooks;
        var peersByAuthority = members.ToFrozenDictionary(m => IPEndPoint.Parse(m.ForwardAddress).ToString(), m => m.Id, StringComparer.OrdinalIgnoreCase);
        _forwardClient = new WriteForwardingClient(
            _options.RequestTimeout,
            hooks is null ? null : handler => hooks.WrapForwardingHandler(handler, peersByAuthority),
            components.PeerCredentials,
            peersByAuthority);
        _membersByRaftAddress = members.ToFrozenDictionary(m => (EndPoint)IPEndPoint.Parse(m.RaftAddress), m => m);
        _forwardAddresses = members.ToFrozenDictionary(m => m.Id, m => IPEndPoint.Parse(m.ForwardAddress), StringComparer.Ordinal);
    }

    /// <inheritdoc/>
    public string NodeId => _options.NodeId;

    /// <summary>Gets a value indicating whether this node currently leads.</summary>
    public bool IsLeader => !_cluster.LeadershipToken.IsCancellationRequested;

    /// <summary>Gets the term, whether this node leads in that term, and the leader it knows, read as one observation.</summary>
    /// <remarks>
    /// For status and monitoring. Reading <see cref="Term"/> and <see cref="IsLeader"/> one after the other can pair a
    /// new term with a stale leadership: a leader that was paused and resumes learns the newer term a moment before
    /// it steps down, and would look like a second leader of that term. Here a node leads only in the term its
    /// leadership began in, and the term is re-read until it did not change during the read.
    /// </remarks>
    public LeadershipSnapshot Leadership
    {
        get
        {
            while (true)
            {
                var term = _cluster.Term;
                var leads = IsLeader && Volatile.Read(ref _leadershipTerm) == term;
                var leader = leads ? NodeId : LeaderId;
                if (_cluster.Term == term)
                {
                    return new LeadershipSnapshot(term, leads, leads || leader != NodeId ? leader : null);
                }
            }
        }
    }

    /// <summary>Gets the id of the leader this node knows, or <see langword="null"/>.</summary>
    public string? LeaderId => _cluster.Leader is { } leader && _membersByRaftAddress.TryGetValue(leader.EndPoint, out var m) ? m.Id : null;

    /// <summary>Gets how many times this node failed a hung member's pending requests so an election could finish (see <see cref="ElectionGuard"/>).</summary>
    public long ElectionGuardInterventions => _electionGuard?.Interventions ?? 0;

    /// <summary>Gets the write-ahead log (tests only).</summary>
    internal WriteAheadLog Wal => _wal;

    /// <summary>Gets how many snapshot installs on this node's current log moved the WAL flusher past the snapshot (see <see cref="WalFlushPositionFix"/>; tests only).</summary>
    internal long WalFlushPositionAdvances => _machine.FlushPositionAdvances;

    /// <summary>Gets the current term.</summary>
    public long Term => _cluster.Term;

    /// <summary>Gets how many times this node learned of a new leader since start (elections it saw conclude).</summary>
    public long LeaderChanges => Interlocked.Read(ref _leaderChanges);

    /// <summary>Gets the index of the last committed entry known to this node.</summary>
    public long CommitIndex => _wal.LastCommittedEntryIndex;

    /// <summary>Gets the current store revision.</summary>
    public long Revision => _machine.Current.Revision;

    /// <summary>Gets the index of the last entry applied to this node's state.</summary>
    public long AppliedIndex => _wal.LastAppliedIndex;

    private long NowUnixMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <inheritdoc/>
    public async ValueTask<StateEntry?> GetAsync(string key, ReadConsistency consistency = ReadConsistency.Local, CancellationToken cancellationToken = default)
    {
        KeyValueRules.ValidateKey(key);
        await BarrierIfNeededAsync(consistency, cancellationToken);
        return _machine.Current.Get(key, NowUnixMs);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<StateEntry>> ListAsync(string prefix, ReadConsistency consistency = ReadConsistency.Local, CancellationToken cancellationToken = default)
    {
        KeyValueRules.ValidatePrefix(prefix);
        await BarrierIfNeededAsync(consistency, cancellationToken);
        return _machine.Current.List(prefix, NowUnixMs);
    }

    /// <inheritdoc/>
    public async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        KeyValueRules.ValidateKey(key);
        KeyValueRules.ValidateValue(value);
        KeyValueRules.ValidateTtl(ttl);
        var ttlMs = ttl is { } t ? Math.Max(1L, (long)Math.Ceiling(t.TotalMilliseconds)) : 0L;
        await WriteAsync(StateCommands.Set(NodeId, 0, key, value, null), ttlMs, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        KeyValueRules.ValidateKey(key);
        return new ValueTask<bool>(WriteAsync(StateCommands.Delete(NodeId, 0, key), 0, cancellationToken));
    }

    /// <inheritdoc/>
    public StateWatch Watch(string prefix, CancellationToken cancellationToken = default)
    {
        KeyValueRules.ValidatePrefix(prefix);
        ThrowIfClosed();
        lock (_machine.Gate)
        {
            var existing = _machine.Current.List(prefix, NowUnixMs);
            return _watchers.Subscribe(prefix, existing, _options.WatchCapacity, cancellationToken);
        }
    }

    /// <summary>Reports members, leader, term, indexes and each member's lag behind this node's commit index.</summary>
    /// <remarks>
    /// Each peer is asked for its applied index over its forwarding endpoint (timeout: the request timeout);
    /// a peer that does not answer is reported unavailable with an unknown lag. Lag = this node's commit
    /// index − the member's applied index, so on the leader it shows a stuck or slow follower.
    /// </remarks>
    /// <param name="cancellationToken">Cancels the peer queries.</param>
    /// <returns>A point-in-time status.</returns>
    public async Task<RaftClusterStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        var leadership = Leadership;
        var leaderId = leadership.LeaderId;
        var commitIndex = _wal.LastCommittedEntryIndex;
        var members = await Task.WhenAll(_options.Members.Select(async m =>
        {
            NodeProgress? progress = null;
            if (m.Id == NodeId)
            {
                progress = GetProgress();
            }
            else
            {
                try
                {
                    using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
                    progress = await _forwardClient.GetProgressAsync(_forwardAddresses[m.Id], linked.Token);
                    _lastContact[m.Id] = _time.GetUtcNow();
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException or StateFormatException or System.Net.Sockets.SocketException)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            return new RaftMemberStatus(
                m.Id,
                m.RaftAddress,
                m.Id == leaderId,
                m.Id == NodeId,
                progress is not null,
                progress is { } p ? Math.Max(0L, commitIndex - p.AppliedIndex) : null)
            {
                Term = progress?.Term,
                AppliedIndex = progress?.AppliedIndex,
                CommitIndex = progress?.CommitIndex,
                MemberLeaderId = progress?.LeaderId,
                LastContact = m.Id != NodeId && _lastContact.TryGetValue(m.Id, out var seen) ? seen : null,
            };
        }));

        return new RaftClusterStatus(
            NodeId,
            leaderId,
            leadership.Term,
            commitIndex,
            _wal.LastAppliedIndex,
            _wal.LastEntryIndex,
            _machine.LastSnapshotIndex,
            Revision,
            members.OrderBy(m => m.Id, StringComparer.Ordinal).ToList());
    }

    private NodeProgress GetProgress()
    {
        var leadership = Leadership;
        return new()
        {
            NodeId = NodeId,
            Term = leadership.Term,
            CommitIndex = _wal.LastCommittedEntryIndex,
            AppliedIndex = _wal.LastAppliedIndex,
            SnapshotIndex = _machine.LastSnapshotIndex,
            LeaderId = leadership.LeaderId ?? string.Empty,
        };
    }

    /// <summary>Waits until this node knows a leader.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The leader's id.</returns>
    /// <exception cref="TimeoutException">No leader within <paramref name="timeout"/>.</exception>
    public async Task<string> WaitForLeaderAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var leader = await _cluster.WaitForLeaderAsync(timeout, cancellationToken);
        return _membersByRaftAddress.TryGetValue(leader.EndPoint, out var m) ? m.Id : leader.EndPoint.ToString() ?? "?";
    }

    /// <inheritdoc/>
    public async ValueTask CloseAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        await _lifetime.CancelAsync();
        try
        {
            await _sweeper.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await _logWatch.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (_electionGuard is not null)
            {
                await _electionGuard.DisposeAsync();
            }

            if (_forwardServer is not null)
            {
                await _forwardServer.DisposeAsync();
            }

            try
            {
                if (LogFault is null)
                {
                    await _cluster.StopAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
                // Graceful stop was cancelled; disposal below still releases everything.
            }
        }
        finally
        {
            _cluster.Dispose();
            _peerConnections.Dispose();
            try
            {
                await _wal.DisposeAsync();
            }
            catch (WriteAheadLog.InternalException)
            {
                // A damaged log reports its fault once more on disposal; closing must not fail on it.
            }

            await _machine.DisposeAsync();
            _forwardClient.Dispose();
            _watchers.CompleteAll(null);
            _lifetime.Dispose();
            Log.RaftStopped(_logger, NodeId);
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => CloseAsync();

    private async ValueTask BarrierIfNeededAsync(ReadConsistency consistency, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        if (consistency != ReadConsistency.Linearizable)
        {
            return;
        }

        using var deadline = new CancellationTokenSource(_options.WriteTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token, _lifetime.Token);
        var token = linked.Token;
        Exception? lastError = null;
        try
        {
            // Like a write, the barrier waits out an election: DotNext fails it at once while no leader is known (or the
            // one it knows is gone), which a brief leader change on a loaded box makes common. Only a barrier still
            // impossible after WriteTimeout fails the read.
            while (true)
            {
                try
                {
                    await _cluster.ApplyReadBarrierAsync(token);
                    return;
                }
                catch (QuorumUnreachableException e)
                {
                    lastError = e;
                }
                catch (MemberUnavailableException e)
                {
                    lastError = e;
                }

                await Task.Delay(RetryDelay, _time, token);
            }
        }
        catch (Exception e) when (LogFaultOf(e) is { } fault)
        {
            await FenceAsync(fault);
            throw LogDamaged(fault);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw lastError switch
            {
                QuorumUnreachableException => new StateStoreUnavailableException(
                    $"Linearizable read on node '{NodeId}' failed: the majority is not reachable from this node (no leader within {_options.WriteTimeout.TotalSeconds:0.#} s).", lastError),

                // A follower's barrier asks the leader; a leader that cannot be reached is "no quorum from here", not a crash.
                MemberUnavailableException => new StateStoreUnavailableException(
                    $"Linearizable read on node '{NodeId}' failed: the leader is not reachable from this node (for {_options.WriteTimeout.TotalSeconds:0.#} s).", lastError),
                _ => new StateStoreUnavailableException(
                    $"Linearizable read on node '{NodeId}' could not pass a read barrier within {_options.WriteTimeout.TotalSeconds:0.#} s: no leader reachable with a majority."),
            };
        }
    }

    private void ThrowIfClosed()
    {
        if (Volatile.Read(ref _closed) != 0)
        {
            throw new StateStoreUnavailableException($"State store of node '{NodeId}' is closed.");
        }

        ThrowIfLogDamaged();
    }
}

using System.Net.Sockets;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.Extensions.Logging;
using RaftBalancer.Contracts.V1;
using RaftBalancer.State.Machine;

namespace RaftBalancer.State.Raft;

public sealed partial class RaftStateStore
{
    /// <summary>Creates or replaces a key like <see cref="SetAsync"/> and reports the Raft log index of the committed entry.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value; copied before the call returns.</param>
    /// <param name="ttl">Time to live from now; <see langword="null"/> for a key that never expires.</param>
    /// <param name="cancellationToken">Cancels waiting; the write may still be applied.</param>
    /// <returns>The log index of the entry, applied on this node when the task completes.</returns>
    public async Task<long> SetWithIndexAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        KeyValueRules.ValidateKey(key);
        KeyValueRules.ValidateValue(value);
        KeyValueRules.ValidateTtl(ttl);
        var ttlMs = ttl is { } t ? Math.Max(1L, (long)Math.Ceiling(t.TotalMilliseconds)) : 0L;
        return (await WriteWithIndexAsync(StateCommands.Set(NodeId, 0, key, value, null), ttlMs, cancellationToken)).Index;
    }

    /// <summary>Deletes a key like <see cref="DeleteAsync"/> and reports the Raft log index of the committed entry.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels waiting; the delete may still be applied.</param>
    /// <returns>Whether the key existed, and the log index of the entry (applied on this node when the task completes).</returns>
    public Task<(bool Existed, long Index)> DeleteWithIndexAsync(string key, CancellationToken cancellationToken = default)
    {
        KeyValueRules.ValidateKey(key);
        return WriteWithIndexAsync(StateCommands.Delete(NodeId, 0, key), 0, cancellationToken);
    }

    private async Task<bool> WriteAsync(StateLogEntry entry, long ttlMs, CancellationToken cancellationToken) =>
        (await WriteWithIndexAsync(entry, ttlMs, cancellationToken)).Existed;

    private async Task<(bool Existed, long Index)> WriteWithIndexAsync(StateLogEntry entry, long ttlMs, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        using var deadline = new CancellationTokenSource(_options.WriteTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token, _lifetime.Token);
        var token = linked.Token;
        var lastError = "no leader is known yet";
        ForwardRequest? request = null;
        try
        {
            while (true)
            {
                try
                {
                    if (IsLeader)
                    {
                        // The entry is encoded before the proposal first awaits, so re-stamping it on a retry (here or
                        // by the leader it is forwarded to) never touches an entry already in the log: no copy needed.
                        var proposed = await ProposeLocallyAsync(entry, ttlMs, token);
                        return (proposed.Existed, proposed.Index);
                    }

                    if (LeaderId is { } leaderId && leaderId != NodeId)
                    {
                        request ??= new ForwardRequest { FormatVersion = StateCodec.CurrentFormatVersion, Entry = entry, TtlMs = ttlMs };
                        var response = await _forwardClient.SendAsync(_forwardAddresses[leaderId], request, token);
                        switch (response.Status)
                        {
                            case ForwardResponse.Types.Status.Ok:
                                // Read-your-writes on this node: wait until the entry is applied here too.
                                await _wal.WaitForApplyAsync(response.LogIndex, token);
                                return (response.Existed, response.LogIndex);
                            case ForwardResponse.Types.Status.Invalid:
                                throw new ArgumentException($"The leader rejected the write: {response.Error}");
                            default:
                                lastError = $"leader '{leaderId}' answered {response.Status}: {response.Error}";
                                break;
                        }
                    }
                    else
                    {
                        lastError = "no leader is known (election in progress, or this node is cut off from the majority)";
                    }
                }
                catch (NotLeaderException)
                {
                    lastError = "leadership moved while the entry was being committed";
                }
                catch (HttpRequestException e)
                {
                    lastError = $"the leader's forwarding endpoint is unreachable: {e.Message}";
                }
                catch (SocketException e)
                {
                    lastError = $"the leader's forwarding endpoint is unreachable: {e.Message}";
                }

                Log.WriteRetry(_logger, NodeId, lastError);
                await Task.Delay(RetryDelay, _time, token);
            }
        }
        catch (Exception e) when (LogFaultOf(e) is { } fault)
        {
            // Never acknowledge from a damaged log (the leader may have committed the entry: like a lost reply).
            await FenceAsync(fault);
            throw LogDamaged(fault);
        }
        catch (ObjectDisposedException e) when (!_lifetime.IsCancellationRequested)
        {
            // The member was replaced under this write by a log recovery; the entry may have committed.
            throw new StateStoreUnavailableException($"Node '{NodeId}' reopened its Raft member during the write (it may have committed); retry.", e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            if (_lifetime.IsCancellationRequested)
            {
                throw new StateStoreUnavailableException($"State store of node '{NodeId}' closed before the write committed.");
            }

            throw new StateStoreUnavailableException(
                $"Write on node '{NodeId}' was not committed within {_options.WriteTimeout.TotalSeconds:0.#} s (it may still commit later): {lastError}.");
        }
    }

    internal async Task<ProposalContext> ProposeLocallyAsync(StateLogEntry entry, long ttlMs, CancellationToken cancellationToken)
    {
        // The leader's clock stamps the entry; apply never reads a clock.
        var now = NowUnixMs;
        entry.TimestampUnixMs = now;
        if (entry.CommandCase == StateLogEntry.CommandOneofCase.Set)
        {
            entry.Set.ExpiresAtUnixMs = ttlMs > 0 ? now + ttlMs : 0L;
        }

        // Stamp the entry with the term this node's leadership began in, never the current term. A leader that was
        // paused and resumes raises its term (DotNext updates the log's term first and swaps out the leader state
        // later); DotNext 6.12's ReplicateAsync then still accepts the entry and its extension stamps it with the new
        // term, so the old leader wrote an entry with the same index and term as the new leader's no-op, and a
        // follower matched on it: one log index held different entries on different nodes (chaos paused-leader,
        // seed 822670). An entry carrying the old term can only come from the old term's leader, so index and term
        // stay unique, and the new leader overwrites it.
        var leaderTerm = Volatile.Read(ref _leadershipTerm);
        if (leaderTerm < 0 || !IsLeader || _cluster.Term != leaderTerm)
        {
            throw new NotLeaderException(new InvalidOperationException(
                $"node '{NodeId}' does not lead in the current term {_cluster.Term} (its leadership began in term {leaderTerm})"));
        }

        var context = new ProposalContext();
        await _cluster.ReplicateAsync(new BinaryLogEntry { Term = leaderTerm, Content = StateCodec.EncodeEntry(entry), Context = context }, cancellationToken);
        return context;
    }

    private async Task<ForwardResponse> HandleForwardAsync(ForwardRequest request, CancellationToken cancellationToken)
    {
        if (request.Entry is null || request.TtlMs < 0)
        {
            return new ForwardResponse { Status = ForwardResponse.Types.Status.Invalid, Error = "forwarded request carries no entry or a negative TTL" };
        }

        try
        {
            // Same checks as a local write: a bad entry must never reach the log.
            StateCodec.DecodeEntry(StateCodec.EncodeEntry(request.Entry));
        }
        catch (StateFormatException e)
        {
            return new ForwardResponse { Status = ForwardResponse.Types.Status.Invalid, Error = e.Message };
        }

        if (!IsLeader)
        {
            return new ForwardResponse { Status = ForwardResponse.Types.Status.NotLeader, Error = $"node '{NodeId}' is not the leader" };
        }

        using var deadline = new CancellationTokenSource(_options.WriteTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token, _lifetime.Token);
        try
        {
            var result = await ProposeLocallyAsync(request.Entry, request.TtlMs, linked.Token);

            // Push the new commit index to followers now rather than at the next heartbeat,
            // so the forwarding follower applies (and answers its caller) sooner.
            try
            {
                await _cluster.ForceReplicationAsync(linked.Token);
            }
            catch (Exception e) when (e is NotLeaderException or OperationCanceledException or InvalidOperationException)
            {
                // The entry is committed; the follower will learn it at the next heartbeat.
            }

            return new ForwardResponse { Status = ForwardResponse.Types.Status.Ok, Existed = result.Existed, LogIndex = result.Index };
        }
        catch (NotLeaderException)
        {
            return new ForwardResponse { Status = ForwardResponse.Types.Status.NotLeader, Error = $"node '{NodeId}' lost leadership before the entry committed" };
        }
        catch (OperationCanceledException)
        {
            return new ForwardResponse { Status = ForwardResponse.Types.Status.Unavailable, Error = $"leader '{NodeId}' could not commit in time" };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.ForwardHandlerFailed(_logger, NodeId, e);
            return new ForwardResponse { Status = ForwardResponse.Types.Status.Unavailable, Error = e.Message };
        }
    }

    private async Task SweepExpiredAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.ExpirySweepInterval, _time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            if (!IsLeader)
            {
                continue;
            }

            // Only keys that carry an expiry: scanning every key each tick cost the leader more CPU than its writes.
            var now = NowUnixMs;
            foreach (var (key, value) in _machine.Expiring)
            {
                if (!value.IsExpiredAt(now) || !IsLeader)
                {
                    continue;
                }

                try
                {
                    using var deadline = new CancellationTokenSource(_options.WriteTimeout, _time);
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
                    await ProposeLocallyAsync(StateCommands.Expire(NodeId, now, key, value.Revision), 0, linked.Token);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is NotLeaderException or OperationCanceledException or InvalidOperationException or ObjectDisposedException || LogFaultOf(e) is not null)
                {
                    // A WAL fault is the log watcher's to fence and recover; the sweeper must outlive it.
                    Log.ExpiryFailed(_logger, key, e);
                }
            }
        }
    }
}

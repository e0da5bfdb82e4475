using RaftBalancer.State.Machine;
using StackExchange.Redis;

namespace RaftBalancer.State.Redis;

public sealed partial class RedisStateStore
{
    /// <inheritdoc/>
    public async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        KeyValueRules.ValidateKey(key);
        KeyValueRules.ValidateValue(value);
        KeyValueRules.ValidateTtl(ttl);
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        var entry = StateCommands.Set(NodeId, NowUnixMs, key, value, ttl);
        var ttlMs = ttl is { } t ? Math.Max(1L, (long)Math.Ceiling(t.TotalMilliseconds)) : 0L;
        long revision;
        try
        {
            var result = await _db.ScriptEvaluateAsync(
                RedisScripts.Set,
                [_dataPrefix + key, _revisionKey],
                [StateCodec.EncodeEntry(entry), ttlMs, _changeChannelName]).WaitAsync(cancellationToken);
            revision = (long)result;
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            throw Unavailable(e, $"set of '{key}' (it may not have been applied)");
        }

        await WaitForRevisionAsync(revision, cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        KeyValueRules.ValidateKey(key);
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        var entry = StateCommands.Delete(NodeId, NowUnixMs, key);
        long revision;
        try
        {
            var result = await _db.ScriptEvaluateAsync(
                RedisScripts.Delete,
                [_dataPrefix + key, _revisionKey],
                [StateCodec.EncodeEntry(entry), _changeChannelName]).WaitAsync(cancellationToken);
            revision = (long)result;
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            throw Unavailable(e, $"delete of '{key}' (it may not have been applied)");
        }

        if (revision == 0)
        {
            return false;
        }

        await WaitForRevisionAsync(revision, cancellationToken);
        return true;
    }

    /// <summary>Waits until this node's mirror has applied <paramref name="revision"/> (the write's own event).</summary>
    private async Task WaitForRevisionAsync(long revision, CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_gate)
        {
            ThrowIfClosed();
            if (_syncBuffer is null && _appliedRevision >= revision)
            {
                return;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter, revision);
        }

        try
        {
            await waiter.Task.WaitAsync(_options.OperationTimeout, _time, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new StateStoreUnavailableException(
                $"Redis at {_address} applied the write (revision {revision}) but this node's change feed did not deliver it within {_options.OperationTimeout.TotalSeconds:0.###} s; the node re-reads Redis when the feed reconnects.",
                e);
        }
    }

    /// <summary>Raises the applied revision and releases the writers waiting for it; call under <see cref="_gate"/>.</summary>
    private void AdvanceLocked(long revision)
    {
        if (revision > _appliedRevision)
        {
            Volatile.Write(ref _appliedRevision, revision);
        }

        if (_syncBuffer is not null)
        {
            return;
        }

        while (_waiters.TryPeek(out var waiter, out var wanted) && wanted <= _appliedRevision)
        {
            _waiters.Dequeue();
            waiter.TrySetResult();
        }
    }
}

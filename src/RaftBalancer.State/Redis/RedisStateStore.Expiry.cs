using StackExchange.Redis;

namespace RaftBalancer.State.Redis;

public sealed partial class RedisStateStore
{
    /// <summary>Handles one key-event notification: a marker the reconnect sync waits for, or an expiry/eviction of one of our keys.</summary>
    private async Task OnKeyEventAsync(ChannelMessage message)
    {
        var name = (string?)message.Message ?? string.Empty;
        if (name.StartsWith(_metaPrefix, StringComparison.Ordinal))
        {
            if (_markers.TryRemove(name, out var marker))
            {
                marker.TrySetResult();
            }

            return;
        }

        if (!name.StartsWith(_dataPrefix, StringComparison.Ordinal))
        {
            return;
        }

        var key = name[_dataPrefix.Length..];
        lock (_gate)
        {
            if (_syncBuffer is not null)
            {
                _pendingExpiries.Add(key);
                return;
            }
        }

        await HandleExpiryAsync(key);
    }

    /// <summary>Turns a Redis expiry (or eviction) of a key into one delete for this node's watchers.</summary>
    /// <remarks>
    /// The notification carries no revision and arrives on another channel than the change feed, so it may
    /// overtake or trail a set of the same key. The store therefore asks Redis, atomically, whether the key is
    /// absent and what the revision counter is, and removes its copy only if that copy is not newer.
    /// </remarks>
    private async Task HandleExpiryAsync(string key)
    {
        if (!_mirror.Entries.ContainsKey(key))
        {
            return;
        }

        long exists;
        long revision;
        try
        {
            var result = (RedisResult[])(await _db.ScriptEvaluateAsync(RedisScripts.Probe, [_dataPrefix + key, _revisionKey]))!;
            exists = (long)result[0];
            revision = (long)result[1];
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            Log.RedisExpiryCheckFailed(_logger, key, e);
            return;
        }

        if (exists != 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            if (_syncBuffer is not null)
            {
                _pendingExpiries.Add(key);
                return;
            }

            if (_mirror.Entries.TryGetValue(key, out var stored) && stored.Revision <= revision)
            {
                _mirror = _mirror with { Entries = _mirror.Entries.Remove(key) };
                var at = stored.ExpiresAtUnixMs != 0 ? stored.ExpiresAtUnixMs : NowUnixMs;
                _watchers.Publish(new StateEvent(StateEventKind.Delete, key, ReadOnlyMemory<byte>.Empty, stored.Revision, FromUnixMs(at), stored.OriginNodeId));
            }
        }
    }
}

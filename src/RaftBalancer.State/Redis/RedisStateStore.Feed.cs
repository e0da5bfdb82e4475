using System.Collections.Immutable;
using System.Text;
using RaftBalancer.Contracts.V1;
using RaftBalancer.State.Machine;
using StackExchange.Redis;

namespace RaftBalancer.State.Redis;

public sealed partial class RedisStateStore
{
    /// <summary>Reads one subscription until the store stops, handing each message to <paramref name="handle"/> in order.</summary>
    private async Task RunFeedAsync(ChannelMessageQueue queue, Func<ChannelMessage, Task> handle)
    {
        while (true)
        {
            ChannelMessage message;
            try
            {
                message = await queue.ReadAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
            {
                return;
            }

            await handle(message);
        }
    }

    private Task OnChangeMessage(ChannelMessage message)
    {
        OnChange((byte[]?)message.Message ?? []);
        return Task.CompletedTask;
    }

    private void OnChange(byte[] bytes)
    {
        if (bytes.AsSpan().StartsWith("sync:"u8))
        {
            if (_markers.TryRemove(Encoding.UTF8.GetString(bytes), out var marker))
            {
                marker.TrySetResult();
            }

            return;
        }

        (long Revision, StateLogEntry Entry) change;
        try
        {
            change = RedisEnvelope.Decode(bytes);
        }
        catch (StateFormatException e)
        {
            Log.RedisForeignValueIgnored(_logger, "change channel " + _changeChannelName, "-", e.Message);
            return;
        }

        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            if (_syncBuffer is { } buffer)
            {
                buffer.Add(change);
                return;
            }

            ApplyChangeLocked(change.Revision, change.Entry);
        }
    }

    private void ApplyChangeLocked(long revision, StateLogEntry entry)
    {
        var state = _mirror;
        if (entry.CommandCase == StateLogEntry.CommandOneofCase.Set)
        {
            var key = entry.Set.Key;
            var stored = ToStored(revision, entry);
            state = state with { Entries = state.Entries.SetItem(key, stored) };
            _watchers.Publish(new StateEvent(StateEventKind.Set, key, stored.Value, revision, FromUnixMs(entry.TimestampUnixMs), entry.OriginNodeId));
        }
        else if (state.Entries.ContainsKey(entry.Delete.Key))
        {
            var key = entry.Delete.Key;
            state = state with { Entries = state.Entries.Remove(key) };
            _watchers.Publish(new StateEvent(StateEventKind.Delete, key, ReadOnlyMemory<byte>.Empty, revision, FromUnixMs(entry.TimestampUnixMs), entry.OriginNodeId));
        }

        _mirror = state with { Revision = Math.Max(state.Revision, revision) };
        AdvanceLocked(revision);
    }

    /// <summary>Reads every key under a prefix and the revision they reflect, in one atomic script.</summary>
    private async Task<Snapshot> ReadSnapshotAsync(string prefix, long revisionFloor, CancellationToken cancellationToken)
    {
        RedisResult[] reply;
        try
        {
            reply = (RedisResult[])(await _db.ScriptEvaluateAsync(
                RedisScripts.Snapshot,
                [_revisionKey],
                [Glob(_dataPrefix + prefix) + "*", revisionFloor]).WaitAsync(cancellationToken))!;
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            throw Unavailable(e, $"listing '{prefix}'");
        }

        var revision = long.Parse((string)reply[0]!, System.Globalization.CultureInfo.InvariantCulture);
        var entries = ImmutableDictionary.CreateBuilder<string, StoredValue>(StringComparer.Ordinal);
        for (var i = 1; i + 2 < reply.Length; i += 3)
        {
            var name = (string)reply[i]!;
            var type = (string)reply[i + 1]!;
            var key = name[_dataPrefix.Length..];
            if (KeyValueRules.TryValidateKey(key) is { } keyError)
            {
                Log.RedisForeignValueIgnored(_logger, "re-read", name, keyError);
                continue;
            }

            if (type != "string")
            {
                Log.RedisForeignValueIgnored(_logger, "re-read", key, $"Redis holds a {type} there, not a string.");
                continue;
            }

            if (reply[i + 2].IsNull)
            {
                continue;
            }

            if (TryDecodeStored(key, (byte[])reply[i + 2]!, "re-read") is { } stored)
            {
                entries[key] = stored;
            }
        }

        return new Snapshot(revision, entries.ToImmutable());
    }

    /// <summary>Makes the mirror equal to a snapshot, publishing the differences, then replays the buffered feed past it.</summary>
    private (int Sets, int Deletes) ApplySnapshotLocked(Snapshot snapshot)
    {
        var old = _mirror.Entries;
        var now = FromUnixMs(NowUnixMs);
        var deletes = 0;
        var sets = 0;
        foreach (var key in old.Keys.Where(k => !snapshot.Entries.ContainsKey(k)).Order(StringComparer.Ordinal))
        {
            _watchers.Publish(new StateEvent(StateEventKind.Delete, key, ReadOnlyMemory<byte>.Empty, snapshot.Revision, now, string.Empty));
            deletes++;
        }

        foreach (var (key, value) in snapshot.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (old.TryGetValue(key, out var previous) && Same(previous, value))
            {
                continue;
            }

            _watchers.Publish(new StateEvent(StateEventKind.Set, key, value.Value, value.Revision, FromUnixMs(value.TimestampUnixMs), value.OriginNodeId));
            sets++;
        }

        _mirror = new MachineState(snapshot.Entries, Math.Max(snapshot.Revision, _appliedRevision));
        var buffered = _syncBuffer ?? [];
        _syncBuffer = null;
        AdvanceLocked(snapshot.Revision);
        foreach (var (revision, entry) in buffered)
        {
            if (revision > snapshot.Revision)
            {
                ApplyChangeLocked(revision, entry);
            }
        }

        return (sets, deletes);
    }

    /// <summary>Brings the mirror back in line with Redis after a connection loss; retries until it succeeds or the store closes.</summary>
    private async Task RunResyncLoopAsync()
    {
        var token = _stopping.Token;
        try
        {
            while (await _resyncSignal.Reader.WaitToReadAsync(token))
            {
                _resyncSignal.Reader.TryRead(out _);
                while (!token.IsCancellationRequested)
                {
                    try
                    {
                        var (revision, sets, deletes) = await ResyncAsync(token);
                        Log.RedisResynced(_logger, _address, revision, sets, deletes);
                        break;
                    }
                    catch (Exception e) when (e is StateStoreException or RedisException or RedisTimeoutException or TimeoutException)
                    {
                        Log.RedisResyncFailed(_logger, _address, e.Message);
                        await Task.Delay(_options.ReconnectInterval, _time, token);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Closing.
        }
    }

    private async Task<(long Revision, int Sets, int Deletes)> ResyncAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _syncBuffer ??= [];
        }

        await EnsureNotificationsAsync(cancellationToken);
        await ConfirmFeedAsync(cancellationToken);
        var snapshot = await ReadSnapshotAsync(string.Empty, Volatile.Read(ref _appliedRevision), cancellationToken);
        (int Sets, int Deletes) published;
        string[] expiries;
        lock (_gate)
        {
            if (_closed)
            {
                return (snapshot.Revision, 0, 0);
            }

            published = ApplySnapshotLocked(snapshot);
            expiries = [.. _pendingExpiries];
            _pendingExpiries.Clear();
        }

        foreach (var key in expiries)
        {
            await HandleExpiryAsync(key);
        }

        return (snapshot.Revision, published.Sets, published.Deletes);
    }

    /// <summary>Proves the change and expiry subscriptions are live by publishing a marker to each and waiting for both.</summary>
    private async Task ConfirmFeedAsync(CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N");
        var changeMarker = MarkerPrefix + id;
        var expiryMarker = _metaPrefix + MarkerPrefix + id;
        var waits = new[] { changeMarker, expiryMarker }.Select(m =>
        {
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _markers[m] = tcs;
            return tcs.Task;
        }).ToArray();
        try
        {
            var subscriber = _redis.GetSubscriber();
            await subscriber.PublishAsync(_changeChannel, changeMarker);
            await subscriber.PublishAsync(_expiredChannel, expiryMarker);
            await Task.WhenAll(waits).WaitAsync(_options.OperationTimeout, _time, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new StateStoreUnavailableException($"Redis at {_address}: the store's own marker did not come back on its subscriptions within {_options.OperationTimeout.TotalSeconds:0.###} s.", e);
        }
        finally
        {
            _markers.TryRemove(changeMarker, out _);
            _markers.TryRemove(expiryMarker, out _);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _syncBuffer ??= [];
        }

        Log.RedisConnectionLost(_logger, _address, e.ConnectionType.ToString(), e.FailureType.ToString(), e.Exception);
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => _resyncSignal.Writer.TryWrite(true);

    private static bool Same(StoredValue a, StoredValue b)
        => a.Revision == b.Revision
            && a.TimestampUnixMs == b.TimestampUnixMs
            && a.ExpiresAtUnixMs == b.ExpiresAtUnixMs
            && a.OriginNodeId == b.OriginNodeId
            && a.Value.Span.SequenceEqual(b.Value.Span);

    private static DateTimeOffset FromUnixMs(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);

    /// <summary>Escapes the glob characters of a literal prefix for <c>KEYS</c>.</summary>
    private static string Glob(string literal)
    {
        var builder = new StringBuilder(literal.Length + 8);
        foreach (var c in literal)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private sealed record Snapshot(long Revision, ImmutableDictionary<string, StoredValue> Entries);
}

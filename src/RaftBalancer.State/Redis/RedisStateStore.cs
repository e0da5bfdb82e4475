using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RaftBalancer.State.Machine;
using RaftBalancer.State.Watching;
using StackExchange.Redis;

namespace RaftBalancer.State.Redis;

/// <summary>An <see cref="IStateStore"/> on a Redis server that the nodes of a cluster share.</summary>
/// <remarks>
/// <para>
/// Layout under <see cref="RedisStoreOptions.KeyPrefix"/> (<c>p</c>): each key lives at <c>p + "kv:" + key</c> as a
/// <see cref="RedisEnvelope"/> with a Redis expiry for a TTL; <c>p + "meta:revision"</c> counts changes; every set
/// and delete is published on <c>p + "events"</c> by the same Lua script that writes it, so writes and their
/// events are atomic and the channel carries them in revision order. Expiries come from Redis keyspace
/// notifications (<c>__keyevent@db__:expired</c>/<c>evicted</c>), which the store enables at connect time.
/// </para>
/// <para>
/// Each store keeps a mirror of the whole prefix, fed by the change channel: <see cref="ReadConsistency.Local"/>
/// reads and <see cref="Watch"/> use it (so a node keeps routing on the last known state while Redis is away),
/// <see cref="ReadConsistency.Linearizable"/> reads go to Redis. A write returns once Redis applied it and this
/// node's mirror has seen its event, so a writer reads its own write.
/// </para>
/// <para>
/// After a connection loss the store buffers the feed, confirms its subscriptions are live (a marker
/// published to itself), reads the whole prefix atomically with the revision it reflects, publishes the
/// differences to watchers as sets/deletes and replays buffered events newer than that revision; nothing
/// published after the subscription is lost and nothing is applied twice. While Redis is down, writes
/// fail at once with <see cref="StateStoreUnavailableException"/> naming the address.
/// </para>
/// <para>
/// Origins: a set carries its writer's node id; an expiry carries the node that set the key and, as its
/// revision and timestamp, the expired write's revision and expiry time, so every watcher sees the same delete;
/// a delete synthesized by a re-read carries an empty origin (whoever deleted it is not recorded).
/// Redis Cluster is not supported (the scripts touch keys of more than one slot); use one primary with replicas.
/// </para>
/// </remarks>
public sealed partial class RedisStateStore : IStateStore
{
    private const string MarkerPrefix = "sync:";

    private readonly RedisStoreOptions _options;
    private readonly ConnectionMultiplexer _redis;
    private readonly IDatabase _db;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _address;
    private readonly string _dataPrefix;
    private readonly string _metaPrefix;
    private readonly RedisKey _revisionKey;
    private readonly string _changeChannelName;
    private readonly RedisChannel _changeChannel;
    private readonly RedisChannel _expiredChannel;
    private readonly RedisChannel _evictedChannel;
    private readonly CancellationTokenSource _stopping = new();
    private readonly WatchHub _watchers = new();
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _markers = new(StringComparer.Ordinal);
    private readonly PriorityQueue<TaskCompletionSource, long> _waiters = new();
    private readonly HashSet<string> _pendingExpiries = new(StringComparer.Ordinal);
    private readonly Channel<bool> _resyncSignal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly List<Task> _loops = [];
    private readonly List<ChannelMessageQueue> _queues = [];

    // Written under _gate, read without it (an immutable snapshot swapped atomically).
    private MachineState _mirror = MachineState.Empty;
    private long _appliedRevision;

    // Non-null while the feed is not known to be complete (start-up, after a connection loss); guarded by _gate.
    private List<(long Revision, Contracts.V1.StateLogEntry Entry)>? _syncBuffer = [];
    private volatile bool _closed;

    private RedisStateStore(RedisStoreOptions options, ConnectionMultiplexer redis, string address, ILogger logger, TimeProvider time)
    {
        _options = options;
        _redis = redis;
        _address = address;
        _logger = logger;
        _time = time;
        NodeId = options.NodeId;
        var database = ConfigurationOptions.Parse(options.ConnectionString).DefaultDatabase ?? 0;
        _db = redis.GetDatabase(database);
        _dataPrefix = options.KeyPrefix + "kv:";
        _metaPrefix = options.KeyPrefix + "meta:";
        _revisionKey = _metaPrefix + "revision";
        _changeChannelName = options.KeyPrefix + "events";
        _changeChannel = RedisChannel.Literal(_changeChannelName);
        _expiredChannel = RedisChannel.Literal($"__keyevent@{database}__:expired");
        _evictedChannel = RedisChannel.Literal($"__keyevent@{database}__:evicted");
    }

    /// <inheritdoc/>
    public string NodeId { get; }

    /// <summary>Gets the Redis address this store talks to, as configured.</summary>
    public string Address => _address;

    /// <summary>Gets whether Redis is reachable and this node's mirror is in step with it (false while disconnected or re-reading).</summary>
    public bool IsInSync => !_closed && _redis.IsConnected && Volatile.Read(ref _syncBuffer) is null;

    /// <summary>Gets the highest store revision this node's mirror has applied.</summary>
    public long Revision => Volatile.Read(ref _appliedRevision);

    private long NowUnixMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <inheritdoc/>
    public async ValueTask<StateEntry?> GetAsync(string key, ReadConsistency consistency = ReadConsistency.Local, CancellationToken cancellationToken = default)
    {
        KeyValueRules.ValidateKey(key);
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        if (consistency == ReadConsistency.Local)
        {
            return _mirror.Get(key, NowUnixMs);
        }

        RedisValue raw;
        try
        {
            raw = await _db.StringGetAsync(_dataPrefix + key).WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            throw Unavailable(e, $"reading '{key}'");
        }

        return raw.IsNull ? null : TryDecodeStored(key, (byte[])raw!, "read")?.ToEntry(key);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<StateEntry>> ListAsync(string prefix, ReadConsistency consistency = ReadConsistency.Local, CancellationToken cancellationToken = default)
    {
        KeyValueRules.ValidatePrefix(prefix);
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        if (consistency == ReadConsistency.Local)
        {
            return _mirror.List(prefix, NowUnixMs);
        }

        var snapshot = await ReadSnapshotAsync(prefix, 0, cancellationToken);
        return snapshot.Entries.Select(e => e.Value.ToEntry(e.Key)).OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
    }

    /// <inheritdoc/>
    public StateWatch Watch(string prefix, CancellationToken cancellationToken = default)
    {
        KeyValueRules.ValidatePrefix(prefix);
        lock (_gate)
        {
            ThrowIfClosed();
            var existing = _mirror.List(prefix, NowUnixMs);
            return _watchers.Subscribe(prefix, existing, _options.WatchCapacity, cancellationToken);
        }
    }

    /// <inheritdoc/>
    public async ValueTask CloseAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            while (_waiters.TryDequeue(out var waiter, out _))
            {
                waiter.TrySetException(new StateStoreUnavailableException($"State store of node '{NodeId}' is closed."));
            }
        }

        await _stopping.CancelAsync();
        _resyncSignal.Writer.TryComplete();
        _redis.ConnectionFailed -= OnConnectionFailed;
        _redis.ConnectionRestored -= OnConnectionRestored;
        foreach (var queue in _queues)
        {
            try
            {
                await queue.UnsubscribeAsync(CommandFlags.FireAndForget);
            }
            catch (Exception e) when (e is RedisException or RedisTimeoutException or ObjectDisposedException)
            {
                // The connection is going away anyway.
            }
        }

        try
        {
            await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(5), _time, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // Loops end with the connection; do not hold up shutdown for them.
        }

        await _redis.CloseAsync(allowCommandsToComplete: false);
        await _redis.DisposeAsync();
        _watchers.CompleteAll(null);
        _stopping.Dispose();
        Log.RedisStopped(_logger, NodeId);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => CloseAsync();

    private StoredValue? TryDecodeStored(string key, ReadOnlySpan<byte> bytes, string source)
    {
        try
        {
            var (revision, entry) = RedisEnvelope.Decode(bytes);
            if (entry.CommandCase != Contracts.V1.StateLogEntry.CommandOneofCase.Set || entry.Set.Key != key)
            {
                throw new StateFormatException($"Invalid Redis value: it holds a {entry.CommandCase} of key '{entry.Set?.Key ?? entry.Delete?.Key}' instead of a set of '{key}'.");
            }

            return ToStored(revision, entry);
        }
        catch (StateFormatException e)
        {
            Log.RedisForeignValueIgnored(_logger, source, key, e.Message);
            return null;
        }
    }

    private static StoredValue ToStored(long revision, Contracts.V1.StateLogEntry entry)
        => new(entry.Set.Value.Memory, revision, entry.TimestampUnixMs, entry.Set.ExpiresAtUnixMs, entry.OriginNodeId);

    private StateStoreUnavailableException Unavailable(Exception e, string operation)
        => new($"Redis at {_address} is unavailable; {operation} failed: {e.Message}", e);

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            throw new StateStoreUnavailableException($"State store of node '{NodeId}' is closed.");
        }
    }
}

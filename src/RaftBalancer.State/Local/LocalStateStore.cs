using RaftBalancer.Contracts.V1;
using RaftBalancer.State.Machine;
using RaftBalancer.State.Watching;

namespace RaftBalancer.State.Local;

/// <summary>A single-node, in-memory <see cref="IStateStore"/>: the baseline and the store for one-node setups and tests.</summary>
/// <remarks>
/// Every write builds the same command a Raft leader would propose and applies it to the same
/// <see cref="KeyValueStateMachine"/> under one short lock, then publishes the change to watchers
/// (non-blocking) inside that lock, so watchers see changes in revision order. Reads take no lock.
/// A timer on the injected <see cref="TimeProvider"/> sweeps expired keys into conditional expire
/// commands, so watchers see exactly one delete per expiry.
/// </remarks>
public sealed class LocalStateStore : IStateStore
{
    private readonly KeyValueStateMachine _machine = new();
    private readonly WatchHub _watchers = new();
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ITimer _sweeper;
    private readonly int _watchCapacity;
    private volatile bool _closed;

    /// <summary>Initializes a new instance of the <see cref="LocalStateStore"/> class.</summary>
    /// <param name="options">Settings; defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public LocalStateStore(LocalStoreOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= new LocalStoreOptions();
        ArgumentException.ThrowIfNullOrWhiteSpace(options.NodeId, "options.NodeId");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.SweepInterval, TimeSpan.Zero, "options.SweepInterval");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.WatchCapacity, 1, "options.WatchCapacity");
        NodeId = options.NodeId;
        _time = timeProvider ?? TimeProvider.System;
        _watchCapacity = options.WatchCapacity;
        _sweeper = _time.CreateTimer(static s => ((LocalStateStore)s!).Sweep(), this, options.SweepInterval, options.SweepInterval);
    }

    /// <inheritdoc/>
    public string NodeId { get; }

    /// <summary>Gets the current store revision (number of applied commands).</summary>
    public long Revision => _machine.Current.Revision;

    private long NowUnixMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <inheritdoc/>
    public ValueTask<StateEntry?> GetAsync(string key, ReadConsistency consistency = ReadConsistency.Local, CancellationToken cancellationToken = default)
    {
        KeyValueRules.ValidateKey(key);
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_machine.Current.Get(key, NowUnixMs));
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<StateEntry>> ListAsync(string prefix, ReadConsistency consistency = ReadConsistency.Local, CancellationToken cancellationToken = default)
    {
        KeyValueRules.ValidatePrefix(prefix);
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_machine.Current.List(prefix, NowUnixMs));
    }

    /// <inheritdoc/>
    public ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        KeyValueRules.ValidateKey(key);
        KeyValueRules.ValidateValue(value);
        KeyValueRules.ValidateTtl(ttl);
        cancellationToken.ThrowIfCancellationRequested();
        var now = NowUnixMs;
        var entry = StateCommands.Set(NodeId, now, key, value, ttl);
        Apply(entry);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        KeyValueRules.ValidateKey(key);
        cancellationToken.ThrowIfCancellationRequested();
        var result = Apply(StateCommands.Delete(NodeId, NowUnixMs, key));
        return ValueTask.FromResult(result.Existed);
    }

    /// <inheritdoc/>
    public StateWatch Watch(string prefix, CancellationToken cancellationToken = default)
    {
        KeyValueRules.ValidatePrefix(prefix);
        lock (_gate)
        {
            ThrowIfClosed();
            var existing = _machine.Current.List(prefix, NowUnixMs);
            return _watchers.Subscribe(prefix, existing, _watchCapacity, cancellationToken);
        }
    }

    /// <inheritdoc/>
    public ValueTask CloseAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return ValueTask.CompletedTask;
            }

            _closed = true;
        }

        _sweeper.Dispose();
        _watchers.CompleteAll(null);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => CloseAsync();

    private ApplyResult Apply(StateLogEntry entry)
    {
        lock (_gate)
        {
            ThrowIfClosed();
            var result = _machine.Apply(entry);
            if (result.Change is { } change)
            {
                _watchers.Publish(change);
            }

            return result;
        }
    }

    private void Sweep()
    {
        if (_closed)
        {
            return;
        }

        var now = NowUnixMs;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            foreach (var (key, value) in _machine.Current.Entries)
            {
                if (value.IsExpiredAt(now))
                {
                    var result = _machine.Apply(StateCommands.Expire(NodeId, now, key, value.Revision));
                    if (result.Change is { } change)
                    {
                        _watchers.Publish(change);
                    }
                }
            }
        }
    }

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            throw new StateStoreUnavailableException($"State store of node '{NodeId}' is closed.");
        }
    }
}

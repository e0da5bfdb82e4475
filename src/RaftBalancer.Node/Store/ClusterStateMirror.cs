using Microsoft.Extensions.Options;
using RaftBalancer.Core.Backends;
using RaftBalancer.Core.Balancing;
using RaftBalancer.Core.Routing;
using RaftBalancer.Node.Options;
using RaftBalancer.State;

namespace RaftBalancer.Node.Store;

/// <summary>Follows the state store with one watch and keeps its routing keys decoded; the views and the prober read it.</summary>
/// <remarks>
/// <para>
/// Keys (see <see cref="StoreLayout"/>): <c>config/backends/*</c>, <c>config/policy</c>, <c>health/*</c>, <c>load/*</c>.
/// Until <c>config/policy</c> is seen (the seeding node writes it last) the effective backend set and policy are this
/// node's configured ones, so a node routes from its file before the cluster is seeded.
/// </para>
/// <para>
/// Concurrency: the watch loop is the only writer, under a lock; <see cref="Snapshot"/> copies under the same lock.
/// <see cref="Changed"/> and <see cref="DefinitionsChanged"/> are raised on the watch loop, outside the lock; handlers
/// must be quick. A watch that ends (overflow, store restarted) is listed again from scratch.
/// </para>
/// </remarks>
internal sealed class ClusterStateMirror : BackgroundService
{
    private static readonly TimeSpan RewatchDelay = TimeSpan.FromMilliseconds(200);

    private readonly IStateStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<ClusterStateMirror> _logger;
    private readonly string _configuredPolicy;
    private readonly IReadOnlyList<BackendDefinition> _configuredBackends;
    private readonly Lock _gate = new();

    // Guarded by _gate.
    private readonly SortedDictionary<string, BackendDefinition> _backends = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, NodeHealthReport>> _health = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodeLoadReport> _loads = new(StringComparer.Ordinal);
    private string? _policy;

    private IReadOnlyList<BackendDefinition> _definitions;

    public ClusterStateMirror(IStateStore store, IOptions<NodeOptions> options, TimeProvider time, ILogger<ClusterStateMirror> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
        var node = options.Value;
        _configuredPolicy = node.Policy;
        _configuredBackends = [.. node.Backends.Select(b => new BackendDefinition(b.Id, b.Url, b.Weight, b.Draining)).OrderBy(b => b.Id, StringComparer.Ordinal)];
        _definitions = _configuredBackends;
    }

    /// <summary>Raised after any routing key changed.</summary>
    public event Action? Changed;

    /// <summary>Raised after the effective backend set changed, with the new set (the prober follows it).</summary>
    public event Action<IReadOnlyList<BackendDefinition>>? DefinitionsChanged;

    /// <summary>The effective backend set, ordered by id; a volatile read.</summary>
    public IReadOnlyList<BackendDefinition> Definitions => Volatile.Read(ref _definitions);

    /// <summary>Copies the current contents.</summary>
    /// <returns>Plain values, safe to keep.</returns>
    public StoreContents Snapshot()
    {
        lock (_gate)
        {
            var health = new Dictionary<string, IReadOnlyList<NodeHealthReport>>(_health.Count, StringComparer.Ordinal);
            foreach (var (backendId, byNode) in _health)
            {
                health[backendId] = [.. byNode.Values];
            }

            return new StoreContents(Definitions, _policy ?? _configuredPolicy, _policy is not null, health, [.. _loads.Values]);
        }
    }

    /// <summary>Applies one store event (the watch loop's step; tests drive it directly).</summary>
    /// <param name="kind">Set or delete.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The value of a set.</param>
    internal void Apply(StateEventKind kind, string key, ReadOnlyMemory<byte> value)
    {
        bool configChanged;
        lock (_gate)
        {
            configChanged = ApplyLocked(kind, key, value);
        }

        Publish(configChanged);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var watch = _store.Watch(string.Empty, stoppingToken);
                lock (_gate)
                {
                    _backends.Clear();
                    _health.Clear();
                    _loads.Clear();
                    _policy = null;
                    foreach (var entry in watch.Existing)
                    {
                        ApplyLocked(StateEventKind.Set, entry.Key, entry.Value);
                    }
                }

                Publish(configChanged: true);
                await foreach (var change in watch.WithCancellation(stoppingToken))
                {
                    Apply(change.Kind, change.Key, change.Value);
                }

                if (!stoppingToken.IsCancellationRequested)
                {
                    Log.WatchRestarted(_logger, "watch completed");
                    await Task.Delay(RewatchDelay, _time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The watch must survive overflow, a closed store or a transient error: list again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.WatchRestarted(_logger, ex.GetType().Name + ": " + ex.Message);
                try
                {
                    await Task.Delay(RewatchDelay, _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Publish(bool configChanged)
    {
        if (configChanged)
        {
            IReadOnlyList<BackendDefinition> next;
            lock (_gate)
            {
                next = _policy is not null ? [.. _backends.Values] : _configuredBackends;
            }

            var previous = Definitions;
            if (!ReferenceEquals(next, previous) && !next.SequenceEqual(previous))
            {
                Volatile.Write(ref _definitions, next);
                DefinitionsChanged?.Invoke(next);
            }
        }

        Changed?.Invoke();
    }

    /// <returns>True when the event touched the configuration (backends or policy).</returns>
    private bool ApplyLocked(StateEventKind kind, string key, ReadOnlyMemory<byte> value)
    {
        var isSet = kind == StateEventKind.Set;
        if (key.StartsWith(StoreLayout.BackendsPrefix, StringComparison.Ordinal))
        {
            var id = key[StoreLayout.BackendsPrefix.Length..];
            if (!isSet)
            {
                _backends.Remove(id);
            }
            else if (StoreValues.DecodeBackend(value) is { } backend && backend.Id == id)
            {
                _backends[id] = backend;
            }
            else
            {
                Log.BadValue(_logger, key);
            }

            return true;
        }

        if (key == StoreLayout.Policy)
        {
            var name = isSet ? StoreValues.DecodePolicy(value) : null;
            _policy = name is null ? null : BalancingPolicyNames.IsKnown(name) ? name : _configuredPolicy;
            return true;
        }

        if (key.StartsWith(StoreLayout.HealthPrefix, StringComparison.Ordinal))
        {
            ApplyHealthLocked(isSet, key, value);
        }
        else if (key.StartsWith(StoreLayout.LoadPrefix, StringComparison.Ordinal))
        {
            var nodeId = key[StoreLayout.LoadPrefix.Length..];
            if (!isSet)
            {
                _loads.Remove(nodeId);
            }
            else if (StoreValues.DecodeLoad(value) is { } load)
            {
                _loads[nodeId] = new NodeLoadReport(
                    nodeId,
                    DateTimeOffset.FromUnixTimeMilliseconds(load.ReportedAtUnixMs),
                    new Dictionary<string, long>(load.Active, StringComparer.Ordinal),
                    new Dictionary<string, ulong>(load.Served, StringComparer.Ordinal));
            }
        }

        return false;
    }

    private void ApplyHealthLocked(bool isSet, string key, ReadOnlyMemory<byte> value)
    {
        var rest = key.AsSpan(StoreLayout.HealthPrefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0)
        {
            return;
        }

        var backendId = rest[..slash].ToString();
        var nodeId = rest[(slash + 1)..].ToString();
        if (!_health.TryGetValue(backendId, out var byNode))
        {
            byNode = new Dictionary<string, NodeHealthReport>(StringComparer.Ordinal);
            _health[backendId] = byNode;
        }

        if (!isSet)
        {
            byNode.Remove(nodeId);
        }
        else if (StoreValues.DecodeHealth(value) is { } report)
        {
            byNode[nodeId] = report with { NodeId = nodeId };
        }
    }
}

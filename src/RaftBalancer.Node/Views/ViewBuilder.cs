using System.Collections.Frozen;
using System.Text;
using Microsoft.Extensions.Options;
using RaftBalancer.Contracts.V1;
using RaftBalancer.Core.Backends;
using RaftBalancer.Core.Balancing;
using RaftBalancer.Core.Breaking;
using RaftBalancer.Core.Health;
using RaftBalancer.Core.Routing;
using RaftBalancer.Node.Options;
using RaftBalancer.Node.Probing;
using RaftBalancer.Node.Proxy;
using RaftBalancer.State;
using HealthState = RaftBalancer.Core.Health.HealthState;

namespace RaftBalancer.Node.Views;

/// <summary>Watches the state store and swaps in a new immutable <see cref="NodeView"/> whenever the routing decision changes.</summary>
/// <remarks>
/// <para>
/// Inputs: configured backends and policy (<c>config/*</c>, falling back to the node's file until the store has them),
/// every node's health reports (<c>health/*</c>), every node's load (<c>load/*</c>), this node's own probes (read
/// directly, so a node cut off from the leader still routes by its own observations) and this node's breakers.
/// A backend is routable by <see cref="ClusterVerdict.Decide"/>: majority of fresh reports, local breaker first.
/// </para>
/// <para>
/// Concurrency: the store watch, breaker transitions, probe changes and a periodic tick (for freshness and
/// breaker timeouts) all mark the view dirty; one loop rebuilds. Readers call <see cref="Current"/> (a volatile
/// read) and never lock.
/// </para>
/// </remarks>
internal sealed partial class ViewBuilder : BackgroundService
{
    private readonly IStateStore _store;
    private readonly ConnectionTracker _tracker;
    private readonly LocalHealthRegistry _localHealth;
    private readonly TimeProvider _time;
    private readonly ILogger<ViewBuilder> _logger;
    private readonly NodeOptions _options;
    private readonly CircuitBreakerOptions _breakerOptions;
    private readonly TimeSpan _healthFreshFor;
    private readonly TimeSpan _loadFreshFor;
    private readonly TimeSpan _tick;
    private readonly SemaphoreSlim _dirty = new(0, 1);
    private readonly Lock _gate = new();
    private readonly IReadOnlyList<BackendDefinition> _configuredBackends;
    private readonly IConsensusStatus _consensus;
    private bool _wasStale;
    private bool _panic;

    /// <summary>The status reason of a backend routed only because of panic routing (<see cref="NodeOptions.PanicRouting"/>).</summary>
    public const string PanicReason = "Panic";

    // Guarded by _gate.
    private readonly SortedDictionary<string, BackendDefinition> _storeBackends = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, NodeHealthReport>> _health = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LoadReportValue> _loads = new(StringComparer.Ordinal);
    private string? _storePolicy;

    // Owned by the rebuild loop.
    private readonly Dictionary<string, BackendRuntime> _runtimes = new(StringComparer.Ordinal);
    private IBalancingPolicy _policy;
    private string _signature = string.Empty;
    private long _version;
    private IReadOnlyList<BackendDefinition> _lastDefinitions = [];

    private NodeView _current = NodeView.Empty;

    public ViewBuilder(
        IStateStore store,
        ConnectionTracker tracker,
        LocalHealthRegistry localHealth,
        IOptions<NodeOptions> options,
        IOptions<HealthCheckOptions> healthOptions,
        IOptions<CircuitBreakerOptions> breakerOptions,
        IConsensusStatus consensus,
        TimeProvider time,
        ILogger<ViewBuilder> logger)
    {
        _consensus = consensus;
        _store = store;
        _tracker = tracker;
        _localHealth = localHealth;
        _time = time;
        _logger = logger;
        _options = options.Value;
        _breakerOptions = breakerOptions.Value;
        var health = healthOptions.Value;
        _healthFreshFor = HealthReportTtl(_options, health);
        _loadFreshFor = _options.EffectiveLoadReportTtl;
        _tick = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMilliseconds(100).Ticks, _options.LoadReportInterval.Ticks));
        _configuredBackends = [.. _options.Backends.Select(b => new BackendDefinition(b.Id, b.Url, b.Weight, b.Draining)).OrderBy(b => b.Id, StringComparer.Ordinal)];
        _policy = BalancingPolicies.Create(_options.Policy);
        _localHealth.Changed += MarkDirty;
        Rebuild();
    }

    /// <summary>Raised on the rebuild loop after the configured backend set changed (the prober follows it).</summary>
    public event Action<IReadOnlyList<BackendDefinition>>? DefinitionsChanged;

    /// <summary>The current view; a volatile read, safe from any thread.</summary>
    public NodeView Current => Volatile.Read(ref _current);

    /// <summary>The configured backends the current view was built from.</summary>
    public IReadOnlyList<BackendDefinition> Definitions => Volatile.Read(ref _lastDefinitions);

    /// <summary>How long a health report counts as fresh (its TTL).</summary>
    public static TimeSpan HealthReportTtl(NodeOptions options, HealthCheckOptions health) =>
        options.HealthReportTtl ?? ((health.Interval * 3) + health.Timeout);

    /// <summary>Marks the view dirty; the loop rebuilds soon.</summary>
    public void MarkDirty()
    {
        try
        {
            if (_dirty.CurrentCount == 0)
            {
                _dirty.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already dirty.
        }
        catch (ObjectDisposedException)
        {
            // Shutting down.
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _localHealth.Changed -= MarkDirty;
        _dirty.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var watchTask = WatchLoopAsync(stoppingToken);
        using var ticker = _time.CreateTimer(static state => ((ViewBuilder)state!).MarkDirty(), this, _tick, _tick);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _dirty.WaitAsync(stoppingToken);
                Rebuild();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await watchTask;
    }

    private async Task WatchLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var watch = _store.Watch(string.Empty, stoppingToken);
                lock (_gate)
                {
                    _storeBackends.Clear();
                    _health.Clear();
                    _loads.Clear();
                    _storePolicy = null;
                    foreach (var entry in watch.Existing)
                    {
                        ApplyLocked(StateEventKind.Set, entry.Key, entry.Value);
                    }
                }

                MarkDirty();
                await foreach (var change in watch.WithCancellation(stoppingToken))
                {
                    lock (_gate)
                    {
                        ApplyLocked(change.Kind, change.Key, change.Value);
                    }

                    MarkDirty();
                }

                if (!stoppingToken.IsCancellationRequested)
                {
                    Log.WatchRestarted(_logger, "watch completed");
                    await Task.Delay(TimeSpan.FromMilliseconds(200), _time, stoppingToken);
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
                    await Task.Delay(TimeSpan.FromMilliseconds(200), _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void ApplyLocked(StateEventKind kind, string key, ReadOnlyMemory<byte> value)
    {
        var isSet = kind == StateEventKind.Set;
        if (key.StartsWith(StoreKeys.BackendsPrefix, StringComparison.Ordinal))
        {
            var id = key[StoreKeys.BackendsPrefix.Length..];
            if (!isSet)
            {
                _storeBackends.Remove(id);
            }
            else if (StoreValues.DecodeBackend(value) is { } backend && backend.Id == id)
            {
                _storeBackends[id] = backend;
            }
            else
            {
                Log.BadValue(_logger, key);
            }
        }
        else if (key == StoreKeys.Policy)
        {
            var name = isSet ? StoreValues.DecodePolicy(value) : null;
            _storePolicy = name is null ? null : BalancingPolicyNames.IsKnown(name) ? name : _options.Policy;
        }
        else if (key.StartsWith(StoreKeys.HealthPrefix, StringComparison.Ordinal))
        {
            var rest = key.AsSpan(StoreKeys.HealthPrefix.Length);
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
        else if (key.StartsWith(StoreKeys.LoadPrefix, StringComparison.Ordinal))
        {
            var nodeId = key[StoreKeys.LoadPrefix.Length..];
            if (!isSet)
            {
                _loads.Remove(nodeId);
            }
            else if (StoreValues.DecodeLoad(value) is { } load)
            {
                _loads[nodeId] = load;
            }
        }
    }

    private void RebuildCore()
    {
        var now = _time.GetUtcNow();
        var stale = _consensus.IsStale;
        if (stale != _wasStale)
        {
            _wasStale = stale;
            if (stale)
            {
                Log.BecameStale(_logger, _options.Id);
            }
            else
            {
                Log.NoLongerStale(_logger, _options.Id, _consensus.LeaderId ?? "?");
            }
        }

        IReadOnlyList<BackendDefinition> definitions;
        string policyName;
        var reports = new Dictionary<string, List<NodeHealthReport>>(StringComparer.Ordinal);
        var remote = new Dictionary<string, long>(StringComparer.Ordinal);
        lock (_gate)
        {
            // The store's backends rule once the cluster was seeded; config/policy is written last by the seeding node.
            definitions = _storePolicy is not null ? [.. _storeBackends.Values] : _configuredBackends;
            if (_storePolicy is not null)
            {
                _hasStoreView = true;
            }
            policyName = _storePolicy ?? _options.Policy;
            foreach (var (backendId, byNode) in _health)
            {
                var list = new List<NodeHealthReport>(byNode.Count + 1);
                foreach (var (nodeId, report) in byNode)
                {
                    if (!string.Equals(nodeId, _options.Id, StringComparison.Ordinal))
                    {
                        list.Add(report);
                    }
                }

                reports[backendId] = list;
            }

            foreach (var (nodeId, load) in _loads)
            {
                if (string.Equals(nodeId, _options.Id, StringComparison.Ordinal)
                    || now - DateTimeOffset.FromUnixTimeMilliseconds(load.ReportedAtUnixMs) > _loadFreshFor)
                {
                    continue;
                }

                foreach (var (backendId, count) in load.Active)
                {
                    remote[backendId] = remote.GetValueOrDefault(backendId) + Math.Max(0, count);
                }
            }
        }

        if (!ReferenceEquals(definitions, _lastDefinitions) && !definitions.SequenceEqual(_lastDefinitions))
        {
            SyncRuntimes(definitions);
            Volatile.Write(ref _lastDefinitions, definitions);
            DefinitionsChanged?.Invoke(definitions);
        }

        if (_policy.Name != policyName)
        {
            _policy = BalancingPolicies.Create(policyName);
        }

        var routable = new List<RoutableBackend>(definitions.Count);
        var runtimes = new Dictionary<RoutableBackend, BackendRuntime>(definitions.Count);
        var statuses = new List<BackendStatus>(definitions.Count);
        var signature = new StringBuilder(policyName);
        List<(RoutableBackend Backend, BackendRuntime Runtime, int Status)>? panicCandidates = null;
        foreach (var definition in definitions)
        {
            var runtime = _runtimes[definition.Id];
            var list = reports.TryGetValue(definition.Id, out var found) ? found : [];
            var local = _localHealth.Find(definition.Id)?.Current;
            if (local is not null)
            {
                list.Add(new NodeHealthReport(_options.Id, local.State, now, local.RateLimitedUntil));
            }

            var breakerState = runtime.Breaker.State;
            var verdict = ClusterVerdict.Decide(definition, list, now, _healthFreshFor, breakerState == CircuitState.Open);
            var counter = _tracker.GetOrAdd(definition.Id);
            var remoteActive = remote.GetValueOrDefault(definition.Id);
            if (verdict.IsRoutable)
            {
                var backend = new RoutableBackend(definition, counter, remoteActive);
                routable.Add(backend);
                runtimes[backend] = runtime;
            }
            else if (verdict.Reason == RaftBalancer.Core.Routing.VerdictReason.UnhealthyMajority && _options.PanicRouting)
            {
                panicCandidates ??= [];
                panicCandidates.Add((new RoutableBackend(definition, counter, remoteActive), runtime, statuses.Count));
            }

            statuses.Add(new BackendStatus(
                definition.Id,
                definition.Url.OriginalString,
                definition.Weight,
                definition.Draining,
                verdict.IsRoutable,
                verdict.Reason.ToString(),
                verdict.FreshReports,
                verdict.UnhealthyReports,
                (local?.State ?? HealthState.Unknown).ToString(),
                breakerState.ToString(),
                counter.Active,
                remoteActive));
            signature.Append('|').Append(definition.GetHashCode()).Append(':').Append(verdict.Reason).Append(':').Append(remoteActive)
                .Append(':').Append(verdict.FreshReports).Append(':').Append(verdict.UnhealthyReports).Append(':').Append(local?.State).Append(':').Append(breakerState);
        }

        // Panic routing: nothing routable, yet some backends are out only by the health verdict. Route to them rather than
        // answer 503 to everyone (NodeOptions.PanicRouting).
        var panic = routable.Count == 0 && panicCandidates is { Count: > 0 };
        if (panic)
        {
            foreach (var (backend, runtime, index) in panicCandidates!)
            {
                routable.Add(backend);
                runtimes[backend] = runtime;
                statuses[index] = statuses[index] with { Routable = true, Reason = PanicReason };
            }

            signature.Append("|panic");
        }

        if (panic != _panic)
        {
            _panic = panic;
            if (panic)
            {
                Log.PanicRoutingOn(_logger, panicCandidates!.Count);
            }
            else
            {
                Log.PanicRoutingOff(_logger);
            }
        }

        var text = signature.ToString();
        if (text == _signature)
        {
            return;
        }

        _signature = text;
        var version = ++_version;
        var view = new NodeView(
            new RoutingView(version, routable),
            _policy,
            runtimes.ToFrozenDictionary(),
            statuses,
            now);
        Volatile.Write(ref _current, view);
        ViewChanged?.Invoke(view);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var summary = string.Join(", ", statuses.Select(s => s.Id + "=" + s.Reason));
            Log.ViewSwapped(_logger, version, routable.Count, definitions.Count, summary);
        }
    }

    private void SyncRuntimes(IReadOnlyList<BackendDefinition> definitions)
    {
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            keep.Add(definition.Id);
            if (_runtimes.TryGetValue(definition.Id, out var existing) && existing.Definition.Url == definition.Url)
            {
                if (!existing.Definition.Equals(definition))
                {
                    _runtimes[definition.Id] = new BackendRuntime(definition, existing.Breaker, existing.Transformer);
                }

                continue;
            }

            var breaker = new CircuitBreaker(_breakerOptions, _time);
            var id = definition.Id;
            breaker.StateChanged += (_, e) =>
            {
                Log.BreakerChanged(_logger, id, e.Previous.ToString(), e.Current.ToString());
                MarkDirty();
            };
            _runtimes[definition.Id] = new BackendRuntime(definition, breaker, new BackendTransformer(_options.Id, definition.Id, _options.BackendHeader));
        }

        foreach (var id in _runtimes.Keys.Where(id => !keep.Contains(id)).ToList())
        {
            _runtimes.Remove(id);
            _tracker.Remove(id);
        }
    }
}

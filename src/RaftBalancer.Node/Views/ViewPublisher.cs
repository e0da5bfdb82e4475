using Microsoft.Extensions.Options;
using RaftBalancer.Core.Backends;
using RaftBalancer.Core.Balancing;
using RaftBalancer.Core.Breaking;
using RaftBalancer.Core.Health;
using RaftBalancer.Core.Routing;
using RaftBalancer.Node.Options;
using RaftBalancer.Node.Probing;
using RaftBalancer.Node.Store;

namespace RaftBalancer.Node.Views;

/// <summary>Rebuilds the node's view when its inputs change and swaps it in when the plan changed.</summary>
/// <remarks>
/// <para>
/// Inputs: the store's contents (<see cref="ClusterStateMirror"/>), this node's probes (<see cref="LocalHealthRegistry"/>,
/// read directly so a node cut off from the leader still routes by its own observations) and this node's breakers.
/// <see cref="ViewBuilder.Build"/> turns them into a <see cref="ViewPlan"/>; an equal plan keeps the current view, a
/// different one becomes a new <see cref="NodeView"/> of <see cref="BackendRoute"/>s with the next version. This class
/// keeps what outlives a view: the per-backend <see cref="BackendRuntime"/> (breaker, transformer) and the policy
/// instance (its rotation).
/// </para>
/// <para>
/// Concurrency: store changes, breaker transitions, probe changes and a periodic tick (for freshness and breaker
/// timeouts) mark the view dirty; one loop rebuilds. Readers call <see cref="Current"/> (a volatile read) and never lock.
/// </para>
/// </remarks>
internal sealed partial class ViewPublisher(
    ClusterStateMirror mirror,
    ConnectionTracker tracker,
    LocalHealthRegistry localHealth,
    ITransformerFactory transformers,
    IConsensusStatus consensus,
    IOptions<NodeOptions> options,
    IOptions<HealthCheckOptions> healthOptions,
    IOptions<CircuitBreakerOptions> breakerOptions,
    TimeProvider time,
    ILogger<ViewPublisher> logger) : BackgroundService
{
    private readonly CircuitBreakerOptions _breakerOptions = breakerOptions.Value;
    private readonly ViewSettings _settings = new(options.Value.Id, options.Value.EffectiveHealthReportTtl(healthOptions.Value), options.Value.EffectiveLoadReportTtl, options.Value.PanicRouting);
    private readonly TimeSpan _tick = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMilliseconds(100).Ticks, options.Value.LoadReportInterval.Ticks));
    private readonly SemaphoreSlim _dirty = new(0, 1);

    // Owned by the rebuild loop.
    private readonly Dictionary<string, BackendRuntime> _runtimes = new(StringComparer.Ordinal);
    private IReadOnlyList<BackendDefinition> _runtimeDefinitions = [];
    private IBalancingPolicy _policy = BalancingPolicies.Create(options.Value.Policy);
    private ViewPlan? _plan;
    private bool _wasStale;
    private long _version;

    private NodeView _current = NodeView.Empty;

    /// <summary>The current view; a volatile read, safe from any thread.</summary>
    public NodeView Current => Volatile.Read(ref _current);

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

    /// <summary>Builds the first view and starts following the inputs, then the rebuild loop; runs before the proxy listens.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        localHealth.Changed += MarkDirty;
        mirror.Changed += MarkDirty;
        Rebuild();
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        localHealth.Changed -= MarkDirty;
        mirror.Changed -= MarkDirty;
        _dirty.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var ticker = time.CreateTimer(static state => ((ViewPublisher)state!).MarkDirty(), this, _tick, _tick);
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
    }

    private void RebuildCore()
    {
        TrackStaleness();
        var contents = mirror.Snapshot();
        if (contents.FromStore)
        {
            _hasStoreView = true;
        }

        SyncRuntimes(contents.Definitions);
        var inputs = new ViewInputs(contents, LocalHealth(contents.Definitions), Breakers(), time.GetUtcNow());
        var plan = ViewBuilder.Build(_settings, inputs);
        var previous = _plan;
        _plan = plan;
        if (plan.Panic != (previous?.Panic ?? false))
        {
            if (plan.Panic)
            {
                Log.PanicRoutingOn(logger, plan.RoutableCount);
            }
            else
            {
                Log.PanicRoutingOff(logger);
            }
        }

        if (plan.Equals(previous))
        {
            return;
        }

        if (_policy.Name != plan.PolicyName)
        {
            _policy = BalancingPolicies.Create(plan.PolicyName);
        }

        var routes = new List<RoutableBackend>(plan.Backends.Count);
        foreach (var backend in plan.Backends)
        {
            if (backend.Routable)
            {
                routes.Add(new BackendRoute(backend.Definition, tracker.GetOrAdd(backend.Id), backend.RemoteActive, _runtimes[backend.Id]));
            }
        }

        var version = ++_version;
        var view = new NodeView(new RoutingView(version, routes), _policy, plan, inputs.Now);
        Volatile.Write(ref _current, view);
        ViewChanged?.Invoke(view);
        if (logger.IsEnabled(LogLevel.Information))
        {
            var summary = string.Join(", ", plan.Backends.Select(s => s.Id + "=" + s.Reason));
            Log.ViewSwapped(logger, version, routes.Count, plan.Backends.Count, summary);
        }
    }

    private void TrackStaleness()
    {
        var stale = consensus.IsStale;
        if (stale == _wasStale)
        {
            return;
        }

        _wasStale = stale;
        if (stale)
        {
            Log.BecameStale(logger, _settings.NodeId);
        }
        else
        {
            Log.NoLongerStale(logger, _settings.NodeId, consensus.LeaderId ?? "?");
        }
    }

    private Dictionary<string, HealthSnapshot> LocalHealth(IReadOnlyList<BackendDefinition> definitions)
    {
        var local = new Dictionary<string, HealthSnapshot>(definitions.Count, StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            if (localHealth.Find(definition.Id)?.Current is { } snapshot)
            {
                local[definition.Id] = snapshot;
            }
        }

        return local;
    }

    private Dictionary<string, CircuitState> Breakers()
    {
        var breakers = new Dictionary<string, CircuitState>(_runtimes.Count, StringComparer.Ordinal);
        foreach (var (id, runtime) in _runtimes)
        {
            breakers[id] = runtime.Breaker.State;
        }

        return breakers;
    }

    /// <summary>Keeps one runtime per backend while its URL is unchanged; a new or re-pointed backend gets a fresh breaker.</summary>
    private void SyncRuntimes(IReadOnlyList<BackendDefinition> definitions)
    {
        if (ReferenceEquals(definitions, _runtimeDefinitions))
        {
            return;
        }

        _runtimeDefinitions = definitions;
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            keep.Add(definition.Id);
            if (_runtimes.TryGetValue(definition.Id, out var existing) && existing.Definition.Url == definition.Url)
            {
                continue;
            }

            var breaker = new CircuitBreaker(_breakerOptions, time);
            var id = definition.Id;
            breaker.StateChanged += (_, e) =>
            {
                Log.BreakerChanged(logger, id, e.Previous.ToString(), e.Current.ToString());
                MarkDirty();
            };
            _runtimes[definition.Id] = new BackendRuntime(definition, breaker, transformers.Create(definition.Id));
        }

        foreach (var id in _runtimes.Keys.Where(id => !keep.Contains(id)).ToList())
        {
            _runtimes.Remove(id);
            tracker.Remove(id);
        }
    }
}

using RaftBalancer.Core.Backends;
using RaftBalancer.Core.Balancing;
using RaftBalancer.Core.Routing;

namespace RaftBalancer.Benchmarks;

/// <summary>The shared setup: ten backends weighted 1..10, the three policies, a tracker, and a shared-counter baseline.</summary>
internal sealed class PickFixture
{
    public const int BackendCount = 10;

    private readonly StripedSequence _striped = new();
    private long _shared;

    public PickFixture()
    {
        Tracker = new ConnectionTracker(TimeProvider.System, TimeSpan.FromMinutes(5));
        View = new RoutingView(1, Enumerable.Range(1, BackendCount).Select(i =>
            new RoutableBackend(new BackendDefinition($"b{i}", $"http://10.0.0.{i}:8080", weight: i), Tracker.GetOrAdd($"b{i}"))));
        Candidates = View.Candidates;
        RoundRobin = BalancingPolicies.Create(BalancingPolicyNames.RoundRobin);
        SmoothWeighted = BalancingPolicies.Create(BalancingPolicyNames.WeightedRoundRobin);
        LeastConnections = BalancingPolicies.Create(BalancingPolicyNames.LeastConnections);
    }

    public ConnectionTracker Tracker { get; }

    public RoutingView View { get; }

    public RoutableBackend[] Candidates { get; }

    public IBalancingPolicy RoundRobin { get; }

    public IBalancingPolicy SmoothWeighted { get; }

    public IBalancingPolicy LeastConnections { get; }

    /// <summary>The naive lock-free round robin every core contends on: one shared interlocked counter.</summary>
    public RoutableBackend SharedCounterPick()
    {
        var candidates = Candidates;
        return candidates[(int)((ulong)Interlocked.Increment(ref _shared) % (uint)candidates.Length)];
    }

    /// <summary>Round robin over per-thread stripes (no shared write; order is strict per thread only), for comparison.</summary>
    public RoutableBackend StripedPick()
    {
        var candidates = Candidates;
        return candidates[(int)(_striped.Next() % (uint)candidates.Length)];
    }

    /// <summary>What a request does under least connections: pick, start, and (when it ends) finish.</summary>
    public RoutableBackend LeastConnectionsRequest()
    {
        var backend = LeastConnections.Pick(View).Backend!;
        var lease = Tracker.StartConnection(backend);
        Tracker.FinishConnection(lease);
        return backend;
    }
}

using System.Collections.Frozen;
using RaftBalancer.Core.Balancing;
using RaftBalancer.Core.Routing;

namespace RaftBalancer.Node.Views;

/// <summary>Everything a request needs, swapped atomically as one immutable object: the routing view, the policy and the per-backend runtime.</summary>
internal sealed class NodeView
{
    public NodeView(RoutingView routing, IBalancingPolicy policy, FrozenDictionary<RoutableBackend, BackendRuntime> runtimes, IReadOnlyList<BackendStatus> statuses, DateTimeOffset builtAt)
    {
        Routing = routing;
        Policy = policy;
        Runtimes = runtimes;
        Statuses = statuses;
        BuiltAt = builtAt;
    }

    public static NodeView Empty { get; } = new(RoutingView.Empty, BalancingPolicies.Create(BalancingPolicyNames.RoundRobin), FrozenDictionary<RoutableBackend, BackendRuntime>.Empty, [], DateTimeOffset.MinValue);

    public RoutingView Routing { get; }

    public IBalancingPolicy Policy { get; }

    /// <summary>The runtime of each routable backend, keyed by reference.</summary>
    public FrozenDictionary<RoutableBackend, BackendRuntime> Runtimes { get; }

    /// <summary>Every configured backend with its verdict, for the status endpoint.</summary>
    public IReadOnlyList<BackendStatus> Statuses { get; }

    public DateTimeOffset BuiltAt { get; }
}

using RaftBalancer.Core.Balancing;
using RaftBalancer.Core.Routing;

namespace RaftBalancer.Node.Views;

/// <summary>Everything a request needs, swapped atomically as one immutable object: the routing view of <see cref="BackendRoute"/>s and the policy.</summary>
internal sealed class NodeView
{
    public NodeView(RoutingView routing, IBalancingPolicy policy, ViewPlan plan, DateTimeOffset builtAt)
    {
        Routing = routing;
        Policy = policy;
        Plan = plan;
        BuiltAt = builtAt;
    }

    public static NodeView Empty { get; } = new(
        RoutingView.Empty, BalancingPolicies.Create(BalancingPolicyNames.RoundRobin), ViewPlan.Empty(BalancingPolicyNames.RoundRobin), DateTimeOffset.MinValue);

    /// <summary>The routable backends; every entry is a <see cref="BackendRoute"/>.</summary>
    public RoutingView Routing { get; }

    public IBalancingPolicy Policy { get; }

    /// <summary>What the view decided, per configured backend.</summary>
    public ViewPlan Plan { get; }

    /// <summary>Every configured backend with its state, ordered by id.</summary>
    public IReadOnlyList<BackendState> Backends => Plan.Backends;

    public DateTimeOffset BuiltAt { get; }
}

namespace RaftBalancer.Core.Balancing;

/// <summary>Creates balancing policies by name.</summary>
public static class BalancingPolicies
{
    /// <summary>Creates the policy with the given name.</summary>
    /// <param name="name">One of <see cref="BalancingPolicyNames"/>.</param>
    /// <returns>A new policy instance with fresh rotation state.</returns>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the known names.</exception>
    public static IBalancingPolicy Create(string name) => name switch
    {
        BalancingPolicyNames.RoundRobin => new RoundRobinPolicy(),
        BalancingPolicyNames.WeightedRoundRobin => new SmoothWeightedRoundRobinPolicy(),
        BalancingPolicyNames.LeastConnections => new LeastConnectionsPolicy(),
        _ => throw new ArgumentException(
            $"Unknown balancing policy '{name}'; expected one of: {string.Join(", ", BalancingPolicyNames.All)}.",
            nameof(name)),
    };
}

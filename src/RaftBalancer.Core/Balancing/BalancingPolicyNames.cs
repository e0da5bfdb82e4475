namespace RaftBalancer.Core.Balancing;

/// <summary>The names of the balancing policies, as written in configuration and the admin API.</summary>
public static class BalancingPolicyNames
{
    /// <summary>Strict rotation over the candidates.</summary>
    public const string RoundRobin = "round-robin";

    /// <summary>nginx's smooth weighted round robin.</summary>
    public const string WeightedRoundRobin = "weighted-round-robin";

    /// <summary>Fewest active requests cluster-wide, ties broken by rotation.</summary>
    public const string LeastConnections = "least-connections";

    /// <summary>Every known name.</summary>
    public static IReadOnlyList<string> All { get; } = [RoundRobin, WeightedRoundRobin, LeastConnections];

    /// <summary>Tells whether a name is one of the known policies (exact, case-sensitive).</summary>
    /// <param name="name">The name to check.</param>
    /// <returns>True when known.</returns>
    public static bool IsKnown(string? name) => name is RoundRobin or WeightedRoundRobin or LeastConnections;
}

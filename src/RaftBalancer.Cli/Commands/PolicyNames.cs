namespace RaftBalancer.Cli.Commands;

/// <summary>The balancing policies <c>rbctl policy set</c> accepts.</summary>
/// <remarks>The same names as RaftBalancer.Core's BalancingPolicyNames; rbctl depends on the contracts only, and the node validates again.</remarks>
internal static class PolicyNames
{
    /// <summary>Every accepted name.</summary>
    public static readonly string[] All = ["round-robin", "weighted-round-robin", "least-connections"];
}

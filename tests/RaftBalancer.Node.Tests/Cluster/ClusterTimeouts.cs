namespace RaftBalancer.Node.Tests.Cluster;

/// <summary>Deadlines for cluster conditions: generous, because a loaded 2-core box can stall for seconds.</summary>
internal static class ClusterTimeouts
{
    /// <summary>Start-up: processes, first election, seeding, first probes.</summary>
    public static readonly TimeSpan Start = TimeSpan.FromSeconds(30);

    /// <summary>Any other condition (a new leader, a replicated report, a rejoined node).</summary>
    public static readonly TimeSpan Condition = TimeSpan.FromSeconds(30);
}

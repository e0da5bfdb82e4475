namespace RaftBalancer.Node.Tests.Cluster;

/// <summary>Cluster tests run one at a time, after the rest of the assembly: each starts several nodes and has timing bounds to meet on a 2-core box.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterTestGroup
{
    public const string Name = "Cluster";
}

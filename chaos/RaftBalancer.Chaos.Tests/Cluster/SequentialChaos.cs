namespace RaftBalancer.Chaos.Tests.Cluster;

/// <summary>Chaos scenarios run one at a time: each owns several processes on a 2-core box.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SequentialChaos
{
    public const string Name = "chaos";
}

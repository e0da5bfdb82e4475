namespace RaftBalancer.Node.Tests.Admin;

/// <summary>The admin tests share one 3-node cluster and run one after another (each cleans up the backends it adds).</summary>
[CollectionDefinition(Name)]
public sealed class AdminClusterGroup : ICollectionFixture<AdminCluster>
{
    public const string Name = "admin cluster";
}

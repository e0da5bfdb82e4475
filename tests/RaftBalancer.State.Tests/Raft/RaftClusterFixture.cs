namespace RaftBalancer.State.Tests.Raft;

/// <summary>One 3-member cluster shared by the tests of a class (each test uses its own key prefix).</summary>
public sealed class RaftClusterFixture : IAsyncLifetime
{
    internal RaftTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await RaftTestCluster.StartAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

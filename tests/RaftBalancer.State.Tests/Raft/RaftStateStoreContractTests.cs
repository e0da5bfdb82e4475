namespace RaftBalancer.State.Tests.Raft;

/// <summary>The contract against a 3-member cluster: <see cref="First"/> is node 1 (leader or follower, whichever
/// the election made it), <see cref="Second"/> is node 2.</summary>
[Trait("Category", "Integration")]
public sealed class RaftStateStoreContractTests(RaftClusterFixture fixture) : StateStoreContractTests, IClassFixture<RaftClusterFixture>
{
    protected override IStateStore First => fixture.Cluster[0];

    protected override IStateStore Second => fixture.Cluster[1];
}

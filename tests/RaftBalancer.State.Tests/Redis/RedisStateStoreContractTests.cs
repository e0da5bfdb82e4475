namespace RaftBalancer.State.Tests.Redis;

/// <summary>The contract against two stores (node-1, node-2) on one real redis-server; skipped with the reason printed when redis-server is not installed.</summary>
[Trait("Category", "Integration")]
public sealed class RedisStateStoreContractTests : StateStoreContractTests, IClassFixture<RedisContractFixture>
{
    private readonly RedisContractFixture _fixture;

    public RedisStateStoreContractTests(RedisContractFixture fixture)
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        _fixture = fixture;
    }

    protected override IStateStore First => _fixture.First;

    protected override IStateStore Second => _fixture.Second;
}

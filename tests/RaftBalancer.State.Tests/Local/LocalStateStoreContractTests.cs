namespace RaftBalancer.State.Tests.Local;

[Trait("Category", "Unit")]
public sealed class LocalStateStoreContractTests : StateStoreContractTests, IAsyncLifetime
{
    private readonly LocalStateStore _store = new(new LocalStoreOptions { NodeId = "local-1" });

    protected override IStateStore First => _store;

    protected override IStateStore Second => _store;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _store.DisposeAsync();
}

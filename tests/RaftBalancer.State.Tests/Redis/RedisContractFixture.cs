namespace RaftBalancer.State.Tests.Redis;

/// <summary>One redis-server and two stores on it (node-1, node-2) for the contract suite; records why it skips when Redis is missing.</summary>
public sealed class RedisContractFixture : IAsyncLifetime
{
    private RedisServer? _server;

    public string? SkipReason { get; private set; }

    public RedisStateStore First { get; private set; } = null!;

    public RedisStateStore Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (RedisServer.FindExecutable(out var reason) is null)
        {
            SkipReason = reason;
            Console.Error.WriteLine(reason);
            return;
        }

        _server = await RedisServer.StartAsync();
        First = await RedisStateStore.StartAsync(RedisStores.Options("node-1", _server));
        Second = await RedisStateStore.StartAsync(RedisStores.Options("node-2", _server));
    }

    public async Task DisposeAsync()
    {
        if (First is not null)
        {
            await First.DisposeAsync();
        }

        if (Second is not null)
        {
            await Second.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

namespace RaftBalancer.State.Tests.Redis;

internal static class RedisStores
{
    public static RedisStoreOptions Options(string nodeId, RedisServer server, string keyPrefix = "rbtest:") => new()
    {
        NodeId = nodeId,
        ConnectionString = server.Address,
        KeyPrefix = keyPrefix,
        StartupTimeout = TimeSpan.FromSeconds(10),
        OperationTimeout = TimeSpan.FromSeconds(2),
        ReconnectInterval = TimeSpan.FromMilliseconds(200),
    };
}

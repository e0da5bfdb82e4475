namespace RaftBalancer.State.Redis;

/// <summary>Settings of a <see cref="RedisStateStore"/>; checked by <see cref="RedisStoreOptionsValidator"/> at start-up.</summary>
public sealed class RedisStoreOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "State:Redis";

    /// <summary>Gets or sets the id of the node this store speaks for; stamped on its writes.</summary>
    public string NodeId { get; set; } = string.Empty;

    /// <summary>Gets or sets the StackExchange.Redis connection string, e.g. <c>127.0.0.1:6379,password=…,defaultDatabase=0</c>.</summary>
    public string ConnectionString { get; set; } = "127.0.0.1:6379";

    /// <summary>Gets or sets the prefix of every Redis key and channel this store uses (data under <c>{prefix}kv:</c>).</summary>
    /// <remarks>Nodes of one cluster share a prefix; different clusters on one Redis use different prefixes.</remarks>
    public string KeyPrefix { get; set; } = "raftbalancer:";

    /// <summary>Gets or sets how long start-up keeps retrying an unreachable Redis before it gives up with an error naming the address.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long one Redis command may take, and how long a write waits to see itself on this node's change feed.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the pause between reconnect attempts after Redis went away.</summary>
    public TimeSpan ReconnectInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Gets or sets how many undelivered events one watcher may hold before it is dropped.</summary>
    public int WatchCapacity { get; set; } = 4096;
}

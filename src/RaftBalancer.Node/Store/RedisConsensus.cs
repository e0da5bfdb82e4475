using RaftBalancer.State.Redis;

namespace RaftBalancer.Node.Store;

/// <summary>The consensus status of a node on a shared Redis: stale while Redis is unreachable or being re-read.</summary>
internal sealed class RedisConsensus : IConsensusStatus
{
    private readonly RedisStateStore _store;

    public RedisConsensus(RedisStateStore store)
    {
        _store = store;
    }

    /// <inheritdoc />
    public bool IsStale => !_store.IsInSync;

    /// <inheritdoc />
    public string? LeaderId => null;

    /// <inheritdoc />
    public string Role => "redis";
}

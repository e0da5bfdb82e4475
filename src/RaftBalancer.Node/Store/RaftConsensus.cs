using RaftBalancer.State.Raft;

namespace RaftBalancer.Node.Store;

/// <summary>The consensus status of a node on the Raft store: stale while it knows no leader.</summary>
internal sealed class RaftConsensus : IConsensusStatus
{
    private readonly RaftStateStore _store;

    public RaftConsensus(RaftStateStore store)
    {
        _store = store;
    }

    /// <inheritdoc />
    public bool IsStale => _store.LeaderId is null;

    /// <inheritdoc />
    public string? LeaderId => _store.LeaderId;

    /// <inheritdoc />
    public string Role => _store.Leadership switch
    {
        { IsLeader: true } => "leader",
        { LeaderId: null } => "candidate",
        _ => "follower",
    };
}

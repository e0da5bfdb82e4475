namespace RaftBalancer.Node.Store;

/// <summary>What the node knows about its state store's consensus, for the stale flag.</summary>
internal interface IConsensusStatus
{
    /// <summary>True when the node has lost contact with the leader (its view may be out of date).</summary>
    bool IsStale { get; }

    /// <summary>The known leader's node id, or null.</summary>
    string? LeaderId { get; }

    /// <summary>This node's role: leader, follower, candidate or standalone.</summary>
    string Role { get; }
}

namespace RaftBalancer.State.Raft;

/// <summary>What this node knows about the Raft cluster, for the admin API and for operators hunting a stuck follower.</summary>
/// <param name="NodeId">This node.</param>
/// <param name="LeaderId">The leader this node follows, or <see langword="null"/> if none is known.</param>
/// <param name="Term">Current term.</param>
/// <param name="CommitIndex">Index of the last committed entry known here.</param>
/// <param name="AppliedIndex">Index of the last entry applied to this node's state.</param>
/// <param name="LastLogIndex">Index of the last entry in this node's log.</param>
/// <param name="SnapshotIndex">Index covered by this node's latest snapshot.</param>
/// <param name="Revision">Store revision (commands applied).</param>
/// <param name="Members">Every member, this node included.</param>
public sealed record RaftClusterStatus(
    string NodeId,
    string? LeaderId,
    long Term,
    long CommitIndex,
    long AppliedIndex,
    long LastLogIndex,
    long SnapshotIndex,
    long Revision,
    IReadOnlyList<RaftMemberStatus> Members)
{
    /// <summary>Gets a value indicating whether this node is the leader.</summary>
    public bool IsLeader => LeaderId == NodeId;
}

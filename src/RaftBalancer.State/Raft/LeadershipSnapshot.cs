namespace RaftBalancer.State.Raft;

/// <summary>A consistent observation of a node's view of leadership (see <see cref="RaftStateStore.Leadership"/>).</summary>
/// <param name="Term">The current term.</param>
/// <param name="IsLeader">Whether this node leads in <paramref name="Term"/>.</param>
/// <param name="LeaderId">The leader this node knows for that term, or <see langword="null"/>.</param>
public sealed record LeadershipSnapshot(long Term, bool IsLeader, string? LeaderId);

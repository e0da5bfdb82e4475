namespace RaftBalancer.State.Raft;

/// <summary>One member as this node sees it.</summary>
/// <param name="Id">Member id.</param>
/// <param name="RaftAddress">Raft address.</param>
/// <param name="IsLeader">Whether this node believes the member leads.</param>
/// <param name="IsLocal">Whether the member is this node.</param>
/// <param name="Available">Whether the member answered recently (as DotNext reports it).</param>
/// <param name="Lag">Entries the member is behind the leader's log (approximate: measured at the member's last completed replication round), known only on the leader (<see langword="null"/> elsewhere).</param>
public sealed record RaftMemberStatus(string Id, string RaftAddress, bool IsLeader, bool IsLocal, bool Available, long? Lag);

namespace RaftBalancer.State.Raft;

/// <summary>One member as this node sees it.</summary>
/// <param name="Id">Member id.</param>
/// <param name="RaftAddress">Raft address.</param>
/// <param name="IsLeader">Whether this node believes the member leads.</param>
/// <param name="IsLocal">Whether the member is this node.</param>
/// <param name="Available">Whether the member answered the progress query.</param>
/// <param name="Lag">Entries the member's applied index trails the reporting node's commit index; <see langword="null"/> if it did not answer.</param>
public sealed record RaftMemberStatus(string Id, string RaftAddress, bool IsLeader, bool IsLocal, bool Available, long? Lag);

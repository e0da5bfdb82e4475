namespace RaftBalancer.State.Raft;

/// <summary>One member as this node sees it.</summary>
/// <param name="Id">Member id.</param>
/// <param name="RaftAddress">Raft address.</param>
/// <param name="IsLeader">Whether this node believes the member leads.</param>
/// <param name="IsLocal">Whether the member is this node.</param>
/// <param name="Available">Whether the member answered the progress query.</param>
/// <param name="Lag">Entries the member's applied index trails the reporting node's commit index; <see langword="null"/> if it did not answer.</param>
public sealed record RaftMemberStatus(string Id, string RaftAddress, bool IsLeader, bool IsLocal, bool Available, long? Lag)
{
    /// <summary>Gets the member's term as it last reported it; <see langword="null"/> if it never answered.</summary>
    public long? Term { get; init; }

    /// <summary>Gets the member's applied index from this query; <see langword="null"/> if it did not answer.</summary>
    public long? AppliedIndex { get; init; }

    /// <summary>Gets the member's commit index from this query; <see langword="null"/> if it did not answer.</summary>
    public long? CommitIndex { get; init; }

    /// <summary>Gets the leader the member follows by its own account; empty when it knows none, <see langword="null"/> if it did not answer.</summary>
    public string? MemberLeaderId { get; init; }

    /// <summary>Gets when this node last heard from the member over the progress endpoint; <see langword="null"/> for this node and for members never heard from.</summary>
    public DateTimeOffset? LastContact { get; init; }
}

namespace RaftBalancer.Chaos.Node;

/// <summary>The Raft facts the harness polls: role, term and indexes.</summary>
/// <param name="NodeId">This node.</param>
/// <param name="Term">Its current term.</param>
/// <param name="IsLeader">Whether it leads now.</param>
/// <param name="LeaderId">The leader it knows, or null.</param>
/// <param name="CommitIndex">Its commit index.</param>
/// <param name="Revision">Its store revision (one per applied command).</param>
/// <param name="Links">Its current outbound link faults, by peer.</param>
/// <param name="WorkingSetBytes">The process's working set.</param>
/// <param name="ManagedBytes">The managed heap size.</param>
internal sealed record ChaosRaftStatus(
    string NodeId,
    long Term,
    bool IsLeader,
    string? LeaderId,
    long CommitIndex,
    long Revision,
    Dictionary<string, string> Links,
    long WorkingSetBytes,
    long ManagedBytes);

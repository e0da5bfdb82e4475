namespace RaftBalancer.State;

/// <summary>One key and its value as the store holds it.</summary>
/// <param name="Key">The key.</param>
/// <param name="Value">The value bytes (do not mutate).</param>
/// <param name="Revision">Store revision at which the key was last written; grows by one per applied change.</param>
/// <param name="Timestamp">When the write was accepted (stamped by the leader for Raft).</param>
/// <param name="OriginNodeId">The node whose write this was.</param>
/// <param name="ExpiresAt">When the key expires, or <see langword="null"/> if it never does.</param>
public sealed record StateEntry(
    string Key,
    ReadOnlyMemory<byte> Value,
    long Revision,
    DateTimeOffset Timestamp,
    string OriginNodeId,
    DateTimeOffset? ExpiresAt);

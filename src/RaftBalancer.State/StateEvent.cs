namespace RaftBalancer.State;

/// <summary>A change seen by a watcher.</summary>
/// <param name="Kind">Set or delete (an expiry is a delete).</param>
/// <param name="Key">The key.</param>
/// <param name="Value">The new value for a set; empty for a delete.</param>
/// <param name="Revision">Store revision of the change.</param>
/// <param name="Timestamp">When the change was accepted (stamped by the leader for Raft).</param>
/// <param name="OriginNodeId">The node that caused the change (for an expiry: the node that decided it).</param>
public sealed record StateEvent(
    StateEventKind Kind,
    string Key,
    ReadOnlyMemory<byte> Value,
    long Revision,
    DateTimeOffset Timestamp,
    string OriginNodeId);

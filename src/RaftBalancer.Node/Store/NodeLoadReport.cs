namespace RaftBalancer.Node.Store;

/// <summary>One node's replicated load report (<c>load/{nodeId}</c>), decoded.</summary>
/// <param name="NodeId">The reporting node.</param>
/// <param name="ReportedAt">When the node wrote it (the node's clock, carried in the value).</param>
/// <param name="Active">Active requests per backend id on that node.</param>
/// <param name="Served">Forwarding attempts per backend id the node finished since it started; empty when it does not count them.</param>
internal sealed record NodeLoadReport(string NodeId, DateTimeOffset ReportedAt, IReadOnlyDictionary<string, long> Active, IReadOnlyDictionary<string, ulong>? Served = null);

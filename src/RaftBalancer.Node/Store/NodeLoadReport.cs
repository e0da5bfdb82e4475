namespace RaftBalancer.Node.Store;

/// <summary>One node's replicated load report (<c>load/{nodeId}</c>), decoded.</summary>
/// <param name="NodeId">The reporting node.</param>
/// <param name="ReportedAt">When the node wrote it (the node's clock, carried in the value).</param>
/// <param name="Active">Active requests per backend id on that node.</param>
internal sealed record NodeLoadReport(string NodeId, DateTimeOffset ReportedAt, IReadOnlyDictionary<string, long> Active);

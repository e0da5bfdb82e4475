using RaftBalancer.Core.Health;

namespace RaftBalancer.Core.Routing;

/// <summary>One node's latest opinion of one backend, as replicated under <c>health/{backendId}/{nodeId}</c>.</summary>
/// <param name="NodeId">The reporting node.</param>
/// <param name="State">What that node's prober concluded.</param>
/// <param name="ReportedAt">When the node wrote the report (the node's clock, carried in the entry).</param>
/// <param name="RateLimitedUntil">For <see cref="HealthState.RateLimited"/>: when the backend's Retry-After ends.</param>
public sealed record NodeHealthReport(string NodeId, HealthState State, DateTimeOffset ReportedAt, DateTimeOffset? RateLimitedUntil = null);

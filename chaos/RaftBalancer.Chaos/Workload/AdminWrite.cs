using RaftBalancer.Chaos.Checking;

namespace RaftBalancer.Chaos.Workload;

/// <summary>One admin API mutation (add, update weight, remove) on a chaos-owned backend id, with its outcome.</summary>
/// <param name="Kind">add, update or remove.</param>
/// <param name="BackendId">The chaos backend id.</param>
/// <param name="Weight">The weight sent (0 for remove).</param>
/// <param name="Node">The node the call went to.</param>
/// <param name="InvokedAt">When it was sent (recorder µs).</param>
/// <param name="CompletedAt">When it ended (recorder µs).</param>
/// <param name="Outcome">Acknowledged, refused (nothing proposed) or unknown.</param>
/// <param name="Detail">How it ended: <c>OK</c>, the gRPC status code, or the transport failure.</param>
internal sealed record AdminWrite(string Kind, string BackendId, int Weight, string Node, long InvokedAt, long CompletedAt, OpOutcome Outcome, string Detail);

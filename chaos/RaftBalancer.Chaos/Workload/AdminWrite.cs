using RaftBalancer.Chaos.Checking;

namespace RaftBalancer.Chaos.Workload;

/// <summary>One admin API mutation (add, update weight, remove) on a chaos-owned backend id, with its outcome.</summary>
internal sealed record AdminWrite(string Kind, string BackendId, int Weight, string Node, long InvokedAt, long CompletedAt, OpOutcome Outcome);

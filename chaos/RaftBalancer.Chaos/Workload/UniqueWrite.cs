using RaftBalancer.Chaos.Checking;

namespace RaftBalancer.Chaos.Workload;

/// <summary>A write to a key written exactly once (so an acknowledged one must be present on every node at the end).</summary>
internal sealed record UniqueWrite(string Key, string Value, string Node, long InvokedAt, long CompletedAt, OpOutcome Outcome);

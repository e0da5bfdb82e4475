namespace RaftBalancer.Chaos.Node;

/// <summary>The answer to a chaos KV write.</summary>
/// <param name="NodeId">The node that answered.</param>
/// <param name="Acknowledged">True once committed (or at once in the broken variant).</param>
/// <param name="Error">Why it failed, when it did.</param>
internal sealed record ChaosWriteResult(string NodeId, bool Acknowledged, string? Error);

namespace RaftBalancer.Chaos.Workload;

/// <summary>One logical client GET (with its retries): when, through which node first, how it ended, and every attempt.</summary>
internal sealed record GetResult(double StartMs, double LatencyMs, string FirstNode, bool Success, int Status, int Attempts, string? Backend, IReadOnlyList<GetAttempt> Trail);

namespace RaftBalancer.Chaos.Harness;

/// <summary>Shape of a chaos cluster.</summary>
internal sealed record ClusterOptions
{
    public int Nodes { get; init; } = 3;

    public int Backends { get; init; } = 3;

    public int ElectionLowerMs { get; init; } = 150;

    public int ElectionUpperMs { get; init; } = 300;

    public int ProbeIntervalMs { get; init; } = 250;

    public int ProbeTimeoutMs { get; init; } = 150;

    public int FailureThreshold { get; init; } = 2;

    /// <summary>Gets how long a forwarded request may stay idle (the node's <c>ActivityTimeout</c>): a hanging backend costs
    /// a request this long, then one retry on another backend. Below the GET clients' 3 s attempt timeout.</summary>
    public int ActivityTimeoutMs { get; init; } = 1500;

    /// <summary>Gets the circuit breaker's consecutive failures to open.</summary>
    public int BreakerMinRequestsToTrip { get; init; } = 5;

    /// <summary>Gets how long an open breaker stays open before a trial request.</summary>
    public int BreakerOpenTimeoutMs { get; init; } = 2000;

    public int SegmentSize { get; init; } = 1024 * 1024;

    public int SnapshotInterval { get; init; } = 10_000;

    /// <summary>Gets a value indicating whether nodes start in the deliberately broken ack-before-commit mode.</summary>
    public bool AckBeforeCommit { get; init; }
}

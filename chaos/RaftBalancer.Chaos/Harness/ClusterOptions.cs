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

    public int SegmentSize { get; init; } = 1024 * 1024;

    public int SnapshotInterval { get; init; } = 10_000;

    /// <summary>Gets a value indicating whether nodes start in the deliberately broken ack-before-commit mode.</summary>
    public bool AckBeforeCommit { get; init; }
}

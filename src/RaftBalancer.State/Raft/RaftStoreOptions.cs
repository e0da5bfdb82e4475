namespace RaftBalancer.State.Raft;

/// <summary>Settings of a <see cref="RaftStateStore"/>; checked by <see cref="RaftStoreOptionsValidator"/> at start-up.</summary>
public sealed class RaftStoreOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "State:Raft";

    /// <summary>Gets or sets this node's id; it must appear in <see cref="Members"/>.</summary>
    public string NodeId { get; set; } = string.Empty;

    /// <summary>Gets the static membership: 3 or 5 members, this node included.</summary>
    public IList<RaftMemberOptions> Members { get; } = [];

    /// <summary>Gets or sets the directory for the write-ahead log and snapshots (created if missing).</summary>
    public string DataDirectory { get; set; } = string.Empty;

    /// <summary>Gets or sets the lower bound of the randomized election timeout.</summary>
    public TimeSpan ElectionTimeoutLower { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>Gets or sets the upper bound of the randomized election timeout.</summary>
    public TimeSpan ElectionTimeoutUpper { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Gets or sets the heartbeat period as a fraction of <see cref="ElectionTimeoutLower"/>, in (0, 1).</summary>
    public double HeartbeatThreshold { get; set; } = 0.5;

    /// <summary>Gets or sets the timeout of one Raft request (append, vote, snapshot install). Keep it at 1 s or more:
    /// shorter timeouts make snapshot installs fail under CPU load.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets how long a write may wait for a leader and a commit before it fails with
    /// <see cref="StateStoreUnavailableException"/>.</summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how many applied entries trigger a snapshot, after which older log pages are deleted.</summary>
    public int SnapshotInterval { get; set; } = 10_000;

    /// <summary>Gets or sets the size of one log segment file, in bytes (rounded up to a page).</summary>
    public int SegmentSize { get; set; } = 1024 * 1024;

    /// <summary>Gets or sets how often the leader looks for expired keys.</summary>
    public TimeSpan ExpirySweepInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Gets or sets mutual TLS between members (Raft and write forwarding); none configured means plaintext.</summary>
    public Security.PeerTlsOptions Tls { get; set; } = new();

    /// <summary>Gets or sets how many undelivered events one watcher may hold before it is dropped.</summary>
    public int WatchCapacity { get; set; } = 4096;
}

namespace RaftBalancer.State.Local;

/// <summary>Settings of a <see cref="LocalStateStore"/>.</summary>
public sealed class LocalStoreOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "State:Local";

    /// <summary>Gets or sets the node id stamped on this store's events.</summary>
    public string NodeId { get; set; } = "local";

    /// <summary>Gets or sets how often expired keys are swept into delete events.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Gets or sets how many undelivered events one watcher may hold before it is dropped.</summary>
    public int WatchCapacity { get; set; } = 4096;
}

namespace RaftBalancer.Node.Store;

/// <summary>The consensus status of a single node with a local store: never stale.</summary>
internal sealed class StandaloneConsensus : IConsensusStatus
{
    public StandaloneConsensus(string nodeId)
    {
        LeaderId = nodeId;
    }

    /// <inheritdoc />
    public bool IsStale => false;

    /// <inheritdoc />
    public string? LeaderId { get; }

    /// <inheritdoc />
    public string Role => "standalone";
}

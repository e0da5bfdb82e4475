namespace RaftBalancer.Cli.Connection;

/// <summary>Thrown when every node was tried and none answered.</summary>
internal sealed class NodesUnreachableException : Exception
{
    /// <summary>Creates the exception from each node's failure.</summary>
    /// <param name="failures">One entry per node tried, in order.</param>
    public NodesUnreachableException(IReadOnlyList<NodeFailure> failures)
        : base($"no node answered ({failures.Count} tried).")
    {
        Failures = failures;
    }

    /// <summary>One entry per node tried, in order.</summary>
    public IReadOnlyList<NodeFailure> Failures { get; }
}

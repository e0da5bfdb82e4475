namespace RaftBalancer.Chaos.Workload;

/// <summary>One attempt of a client GET through one node's proxy port.</summary>
/// <param name="Node">The node the attempt went through.</param>
/// <param name="Status">The HTTP status the node answered, or 0 when there was no answer (timeout, refused, reset).</param>
/// <param name="Backend">The backend that answered (its <c>X-Backend-Id</c>), or null (no answer, or the node's own 503).</param>
/// <param name="StartMs">When it was sent (recorder clock).</param>
/// <param name="EndMs">When it ended (recorder clock).</param>
internal sealed record GetAttempt(string Node, int Status, string? Backend, double StartMs, double EndMs)
{
    /// <summary>Gets a value indicating whether the node answered at all (an HTTP status, whatever it was).</summary>
    public bool Answered => Status != 0;
}

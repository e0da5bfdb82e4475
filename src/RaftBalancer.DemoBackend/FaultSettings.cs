namespace RaftBalancer.DemoBackend;

/// <summary>One immutable fault configuration; the backend swaps in a new one when told to change.</summary>
/// <param name="Mode">How matching requests are answered.</param>
/// <param name="DelayMs">Extra delay before answering any request, in milliseconds.</param>
/// <param name="RetryAfterSeconds">The Retry-After value sent with 429 answers.</param>
/// <param name="ProbeOnly">True when the fault applies only to the readiness path, not to traffic.</param>
/// <param name="ForNode">When set, the fault applies only to requests carrying this node id in <see cref="DemoBackendApp.NodeHeader"/>.</param>
public sealed record FaultSettings(FaultMode Mode, int DelayMs, int RetryAfterSeconds, bool ProbeOnly, string? ForNode)
{
    /// <summary>The healthy default.</summary>
    public static FaultSettings Healthy { get; } = new(FaultMode.Ok, 0, 5, false, null);

    /// <summary>Tells whether the fault mode applies to a request.</summary>
    /// <param name="isProbe">True for the readiness path.</param>
    /// <param name="callerNode">The caller's node header, if any.</param>
    /// <returns>True when the request should get the fault answer.</returns>
    public bool AppliesTo(bool isProbe, string? callerNode) =>
        Mode != FaultMode.Ok
        && (isProbe || !ProbeOnly)
        && (ForNode is null || string.Equals(ForNode, callerNode, StringComparison.Ordinal));
}

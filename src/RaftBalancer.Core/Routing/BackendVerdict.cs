namespace RaftBalancer.Core.Routing;

/// <summary>The cluster's verdict on one backend, as this node applies it.</summary>
/// <param name="Reason">Why it is or is not routable; <see cref="VerdictReason.Routable"/> when it is.</param>
/// <param name="FreshReports">How many nodes have a fresh report on it.</param>
/// <param name="UnhealthyReports">How many of those find it unhealthy.</param>
public readonly record struct BackendVerdict(VerdictReason Reason, int FreshReports, int UnhealthyReports)
{
    /// <summary>True when the backend may take new requests on this node.</summary>
    public bool IsRoutable => Reason == VerdictReason.Routable;
}

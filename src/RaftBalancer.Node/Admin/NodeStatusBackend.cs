using RaftBalancer.Node.Views;

namespace RaftBalancer.Node.Admin;

/// <summary>One backend as the status endpoint shows it.</summary>
/// <param name="Id">The backend id.</param>
/// <param name="Url">The backend URL.</param>
/// <param name="Weight">The weight.</param>
/// <param name="Draining">The drain flag.</param>
/// <param name="Routable">True when this node sends it traffic.</param>
/// <param name="Reason">The verdict reason (Routable, UnhealthyMajority, LocalBreakerOpen, Panic, ...).</param>
/// <param name="FreshReports">Nodes with a fresh health report on it.</param>
/// <param name="UnhealthyReports">Of those, how many find it unhealthy.</param>
/// <param name="LocalHealth">This node's prober's state.</param>
/// <param name="Breaker">This node's breaker state.</param>
/// <param name="LocalActive">Active requests on this node, now.</param>
/// <param name="RemoteActive">Active requests on the other nodes, as replicated.</param>
public sealed record NodeStatusBackend(
    string Id,
    string Url,
    int Weight,
    bool Draining,
    bool Routable,
    string Reason,
    int FreshReports,
    int UnhealthyReports,
    string LocalHealth,
    string Breaker,
    long LocalActive,
    long RemoteActive)
{
    /// <summary>Shows a view's backend state with this node's live count.</summary>
    /// <param name="state">The state the view decided.</param>
    /// <param name="localActive">This node's active requests to the backend, now.</param>
    /// <returns>The status row.</returns>
    internal static NodeStatusBackend From(BackendState state, long localActive) => new(
        state.Id,
        state.Definition.Url.OriginalString,
        state.Definition.Weight,
        state.Definition.Draining,
        state.Routable,
        state.Reason,
        state.FreshReports,
        state.UnhealthyReports,
        state.LocalHealth.ToString(),
        state.Breaker.ToString(),
        localActive,
        state.RemoteActive);
}

namespace RaftBalancer.Node.Views;

/// <summary>One backend as the status endpoint shows it.</summary>
/// <param name="Id">The backend id.</param>
/// <param name="Url">The backend URL.</param>
/// <param name="Weight">The weight.</param>
/// <param name="Draining">The drain flag.</param>
/// <param name="Routable">True when this node sends it traffic.</param>
/// <param name="Reason">The verdict reason (Routable, UnhealthyMajority, LocalBreakerOpen, ...).</param>
/// <param name="FreshReports">Nodes with a fresh health report on it.</param>
/// <param name="UnhealthyReports">Of those, how many find it unhealthy.</param>
/// <param name="LocalHealth">This node's prober's state.</param>
/// <param name="Breaker">This node's breaker state.</param>
/// <param name="LocalActive">Active requests on this node.</param>
/// <param name="RemoteActive">Active requests on the other nodes, as replicated.</param>
public sealed record BackendStatus(
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
    long RemoteActive);

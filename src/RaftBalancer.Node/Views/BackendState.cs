using RaftBalancer.Core.Backends;
using RaftBalancer.Core.Breaking;
using RaftBalancer.Core.Health;
using RaftBalancer.Core.Routing;

namespace RaftBalancer.Node.Views;

/// <summary>One configured backend as a view decided it: a value, compared by value.</summary>
/// <param name="Definition">The backend's configuration.</param>
/// <param name="Routable">True when this node sends it traffic.</param>
/// <param name="Reason">The verdict (<see cref="VerdictReason"/> name), or <see cref="ViewBuilder.PanicReason"/>.</param>
/// <param name="FreshReports">Nodes with a fresh health report on it (this node included).</param>
/// <param name="UnhealthyReports">Of those, how many find it unhealthy.</param>
/// <param name="LocalHealth">This node's prober's state.</param>
/// <param name="Breaker">This node's breaker state.</param>
/// <param name="RemoteActive">Active requests on the other nodes, from their fresh load reports.</param>
internal sealed record BackendState(
    BackendDefinition Definition,
    bool Routable,
    string Reason,
    int FreshReports,
    int UnhealthyReports,
    HealthState LocalHealth,
    CircuitState Breaker,
    long RemoteActive)
{
    /// <summary>The backend id.</summary>
    public string Id => Definition.Id;
}

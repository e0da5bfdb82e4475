using RaftBalancer.Core.Breaking;
using RaftBalancer.Core.Health;
using RaftBalancer.Node.Store;

namespace RaftBalancer.Node.Views;

/// <summary>Everything one view is built from, as plain values: the store's contents, this node's own observations and the time.</summary>
/// <param name="Store">The replicated backends, policy, health and load reports.</param>
/// <param name="LocalHealth">This node's prober's current state per backend id (absent: not probed yet).</param>
/// <param name="Breakers">This node's circuit breaker state per backend id (absent: closed).</param>
/// <param name="Now">The clock reading the freshness of reports is judged against.</param>
internal sealed record ViewInputs(
    StoreContents Store,
    IReadOnlyDictionary<string, HealthSnapshot> LocalHealth,
    IReadOnlyDictionary<string, CircuitState> Breakers,
    DateTimeOffset Now);

using RaftBalancer.Core.Backends;
using RaftBalancer.Core.Routing;

namespace RaftBalancer.Node.Store;

/// <summary>What the state store holds for routing at one instant, decoded: plain values, no store types.</summary>
/// <param name="Definitions">The effective backend set: the store's once the cluster was seeded, this node's configured backends before.</param>
/// <param name="PolicyName">The balancing policy: the store's once seeded, this node's configured one before.</param>
/// <param name="FromStore">True once the contents come from the replicated configuration (<c>config/policy</c> was seen).</param>
/// <param name="Health">Every node's latest health report, by backend id.</param>
/// <param name="Loads">Every node's latest load report.</param>
internal sealed record StoreContents(
    IReadOnlyList<BackendDefinition> Definitions,
    string PolicyName,
    bool FromStore,
    IReadOnlyDictionary<string, IReadOnlyList<NodeHealthReport>> Health,
    IReadOnlyList<NodeLoadReport> Loads);

using RaftBalancer.Core.Backends;
using RaftBalancer.Core.Balancing;

namespace RaftBalancer.Core.Routing;

/// <summary>A backend as a routing view offers it to the policies: its definition, this node's live counter and the other nodes' load.</summary>
/// <remarks>
/// Immutable apart from the live counter it references; a new view brings new instances when the remote load changes.
/// An extension point: a host derives its own entry type to carry what its request path needs with the backend (the
/// node's carries the breaker and the forwarding transformer), so a pick yields it with no lookup.
/// </remarks>
public class RoutableBackend
{
    /// <summary>Creates a routable backend.</summary>
    /// <param name="definition">The backend's configuration.</param>
    /// <param name="counter">This node's live counter for the backend, from <see cref="ConnectionTracker.GetOrAdd"/>.</param>
    /// <param name="remoteActive">Active requests to this backend on the other nodes, from their replicated load reports.</param>
    public RoutableBackend(BackendDefinition definition, ConnectionCounter counter, long remoteActive = 0)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(counter);
        ArgumentOutOfRangeException.ThrowIfNegative(remoteActive);
        if (!string.Equals(definition.Id, counter.BackendId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"counter belongs to backend '{counter.BackendId}', not '{definition.Id}'.", nameof(counter));
        }

        Definition = definition;
        Counter = counter;
        RemoteActive = remoteActive;
    }

    /// <summary>The backend's configuration.</summary>
    public BackendDefinition Definition { get; }

    /// <summary>The backend id.</summary>
    public string Id => Definition.Id;

    /// <summary>The backend's base URL.</summary>
    public Uri Url => Definition.Url;

    /// <summary>The backend's weight.</summary>
    public int Weight => Definition.Weight;

    /// <summary>This node's live counter.</summary>
    public ConnectionCounter Counter { get; }

    /// <summary>Active requests on the other nodes, as last replicated.</summary>
    public long RemoteActive { get; }

    /// <summary>Active requests cluster-wide: this node's live count plus the other nodes' replicated counts.</summary>
    public long Load => Counter.Active + RemoteActive;
}

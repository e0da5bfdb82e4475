namespace RaftBalancer.Core.Routing;

/// <summary>Why a backend is, or is not, routable on this node.</summary>
public enum VerdictReason
{
    /// <summary>Routable.</summary>
    Routable = 0,

    /// <summary>An operator drained it: no new requests.</summary>
    Draining = 1,

    /// <summary>Weight 0: it takes no traffic.</summary>
    ZeroWeight = 2,

    /// <summary>It answered 429 and its Retry-After has not ended.</summary>
    RateLimited = 3,

    /// <summary>A majority of the nodes with fresh reports find it unhealthy.</summary>
    UnhealthyMajority = 4,

    /// <summary>This node's own circuit breaker for it is open.</summary>
    LocalBreakerOpen = 5,
}

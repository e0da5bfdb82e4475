namespace RaftBalancer.Core.Health;

/// <summary>The health of one backend as seen by one node's active prober.</summary>
public enum HealthState
{
    /// <summary>Not enough probes yet to decide either way.</summary>
    Unknown = 0,

    /// <summary>The last <see cref="HealthCheckOptions.SuccessThreshold"/> probes succeeded.</summary>
    Healthy = 1,

    /// <summary>The last <see cref="HealthCheckOptions.FailureThreshold"/> probes failed.</summary>
    Unhealthy = 2,

    /// <summary>The backend answered 429 and asked us to stay away until its retry-after deadline.</summary>
    RateLimited = 3,
}

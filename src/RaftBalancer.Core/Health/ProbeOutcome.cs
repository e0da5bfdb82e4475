namespace RaftBalancer.Core.Health;

/// <summary>The verdict of a single health probe.</summary>
public enum ProbeOutcome
{
    /// <summary>The backend answered with a 2xx status.</summary>
    Healthy = 0,

    /// <summary>Any other status, a timeout or a connection error.</summary>
    Unhealthy = 1,

    /// <summary>The backend answered 429 Too Many Requests.</summary>
    RateLimited = 2,
}

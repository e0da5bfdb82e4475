namespace RaftBalancer.DemoBackend;

/// <summary>How the demo backend answers.</summary>
public enum FaultMode
{
    /// <summary>Answers 200 with its id.</summary>
    Ok = 0,

    /// <summary>Answers 500.</summary>
    Fail = 1,

    /// <summary>Answers 429 with a Retry-After header.</summary>
    RateLimit = 2,
}

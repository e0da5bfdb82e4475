namespace RaftBalancer.Core.Balancing;

/// <summary>What a pick produced.</summary>
public enum PickOutcome
{
    /// <summary>No backend is routable: the caller answers 503 (or applies panic routing).</summary>
    NoHealthyBackends = 0,

    /// <summary>A backend was picked.</summary>
    Picked = 1,
}

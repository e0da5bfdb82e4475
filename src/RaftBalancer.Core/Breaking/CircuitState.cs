namespace RaftBalancer.Core.Breaking;

/// <summary>The state of a <see cref="CircuitBreaker"/>.</summary>
public enum CircuitState
{
    /// <summary>Traffic flows; consecutive failures are counted.</summary>
    Closed = 0,

    /// <summary>Traffic is rejected until the open timeout has elapsed.</summary>
    Open = 1,

    /// <summary>A bounded number of trial requests are admitted to decide whether to close or reopen.</summary>
    HalfOpen = 2,
}

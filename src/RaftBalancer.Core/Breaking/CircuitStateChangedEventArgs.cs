namespace RaftBalancer.Core.Breaking;

/// <summary>Describes a transition of a <see cref="CircuitBreaker"/>.</summary>
public sealed class CircuitStateChangedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    /// <param name="previous">The state before the transition.</param>
    /// <param name="current">The state after the transition.</param>
    /// <param name="at">When the transition happened, by the breaker's clock.</param>
    public CircuitStateChangedEventArgs(CircuitState previous, CircuitState current, DateTimeOffset at)
    {
        Previous = previous;
        Current = current;
        At = at;
    }

    /// <summary>The state before the transition.</summary>
    public CircuitState Previous { get; }

    /// <summary>The state after the transition.</summary>
    public CircuitState Current { get; }

    /// <summary>When the transition happened, by the breaker's clock.</summary>
    public DateTimeOffset At { get; }
}

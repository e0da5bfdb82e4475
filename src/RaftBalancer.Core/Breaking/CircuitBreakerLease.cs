namespace RaftBalancer.Core.Breaking;

/// <summary>
/// Permission to send one request, handed out by <see cref="CircuitBreaker.TryAcquire"/>; complete it
/// exactly once with <see cref="CircuitBreaker.RecordResult"/> (or its shorthands) or <see cref="CircuitBreaker.Release"/>.
/// </summary>
/// <remarks>
/// The lease remembers the breaker state and epoch it was issued in, so a result that arrives after the
/// breaker has moved on (a slow request admitted before the breaker opened) cannot be mistaken for a
/// result of the current state. It is a small value type: acquiring it allocates nothing.
/// </remarks>
public readonly record struct CircuitBreakerLease
{
    internal CircuitBreakerLease(long word, bool isTrial)
    {
        Word = word;
        IsTrial = isTrial;
    }

    /// <summary>Whether this lease holds one of the half-open trial slots.</summary>
    public bool IsTrial { get; }

    /// <summary>The breaker's packed state and epoch at the time the lease was issued.</summary>
    internal long Word { get; }
}

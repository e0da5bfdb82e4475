namespace RaftBalancer.Core.Balancing;

/// <summary>Proof of one started request, handed back to <see cref="ConnectionTracker.FinishConnection"/> exactly once.</summary>
/// <remarks>A value type so tracking a request allocates nothing. The default value finishes nothing.</remarks>
public readonly struct ConnectionLease : IEquatable<ConnectionLease>
{
    internal ConnectionLease(ConnectionCounter counter, long epoch)
    {
        Counter = counter;
        Epoch = epoch;
    }

    /// <summary>The counter this request was started on; null for the default lease.</summary>
    public ConnectionCounter? Counter { get; }

    internal long Epoch { get; }

    /// <summary>Equality by counter and epoch.</summary>
    public static bool operator ==(ConnectionLease left, ConnectionLease right) => left.Equals(right);

    /// <summary>Inequality by counter and epoch.</summary>
    public static bool operator !=(ConnectionLease left, ConnectionLease right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(ConnectionLease other) => ReferenceEquals(Counter, other.Counter) && Epoch == other.Epoch;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ConnectionLease other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Counter, Epoch);
}

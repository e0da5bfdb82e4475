namespace RaftBalancer.Node.Proxy;

/// <summary>Caps retries in flight at a fraction of the active requests, so a failing backend cannot double the load on the rest.</summary>
/// <remarks>Lock-free: an interlocked count of active requests and of retries in flight.</remarks>
internal sealed class RetryBudget
{
    private readonly double _ratio;
    private readonly int _minimum;
    private long _active;
    private long _retriesInFlight;
    private long _retried;
    private long _refused;

    public RetryBudget(double ratio, int minimum)
    {
        _ratio = ratio;
        _minimum = minimum;
    }

    /// <summary>Requests being proxied now.</summary>
    public long Active => Volatile.Read(ref _active);

    /// <summary>Retries sent since start.</summary>
    public long Retried => Volatile.Read(ref _retried);

    /// <summary>Retries refused by the budget since start.</summary>
    public long Refused => Volatile.Read(ref _refused);

    public void RequestStarted() => Interlocked.Increment(ref _active);

    public void RequestFinished() => Interlocked.Decrement(ref _active);

    /// <summary>Takes a retry slot if the budget allows; release it with <see cref="RetryFinished"/>.</summary>
    /// <returns>True when the retry may be sent.</returns>
    public bool TryStartRetry()
    {
        var allowed = Math.Max(_minimum, (long)(Volatile.Read(ref _active) * _ratio));
        if (Interlocked.Increment(ref _retriesInFlight) > allowed)
        {
            Interlocked.Decrement(ref _retriesInFlight);
            Interlocked.Increment(ref _refused);
            return false;
        }

        Interlocked.Increment(ref _retried);
        return true;
    }

    public void RetryFinished() => Interlocked.Decrement(ref _retriesInFlight);
}

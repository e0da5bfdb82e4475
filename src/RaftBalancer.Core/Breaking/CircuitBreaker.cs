namespace RaftBalancer.Core.Breaking;

/// <summary>A per-backend, per-node circuit breaker fed by real traffic (passive health).</summary>
/// <remarks>
/// <para>
/// Closed → Open after <see cref="CircuitBreakerOptions.MinRequestsToTrip"/> consecutive failures (a success
/// resets the count). Open → HalfOpen once <see cref="CircuitBreakerOptions.OpenTimeout"/> has elapsed,
/// evaluated lazily by <see cref="TryAcquire"/> and <see cref="State"/> against the injected clock. HalfOpen
/// admits at most <see cref="CircuitBreakerOptions.HalfOpenMaxRequests"/> concurrent trial requests;
/// <see cref="CircuitBreakerOptions.SuccessThreshold"/> trial successes close it, any trial failure reopens it
/// for a fresh open timeout.
/// </para>
/// <para>
/// Usage: call <see cref="TryAcquire"/> before sending; when it returns <see langword="true"/>, complete the
/// lease exactly once — <see cref="RecordResult"/> (or <see cref="RecordSuccess"/> / <see cref="RecordFailure"/>)
/// when the backend's verdict is known, <see cref="Release"/> when the request was abandoned without one
/// (client gone, cancelled). A trial slot is held until its lease is completed, whatever state the breaker is
/// in by then, so at most HalfOpenMaxRequests trial requests are ever outstanding; a result only counts in
/// the state and epoch its lease was issued in, so stale results of slow requests are ignored.
/// </para>
/// <para>
/// Thread safety: all members may be called concurrently. In Closed, <see cref="TryAcquire"/> is one volatile
/// read and allocates nothing; recording in Closed uses interlocked counters. Rejection while Open is also
/// lock-free. Transitions and half-open bookkeeping take a private lock. <see cref="StateChanged"/> is raised
/// synchronously inside that lock, so handlers see transitions in order; they must be quick, must not block
/// and should not throw (an exception propagates to the caller that caused the transition, after the
/// transition has been applied).
/// </para>
/// </remarks>
public sealed class CircuitBreaker
{
    private const long StateMask = 0b11;
    private const int EpochShift = 2;

    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly int _minRequestsToTrip;
    private readonly TimeSpan _openTimeout;
    private readonly int _halfOpenMaxRequests;
    private readonly int _successThreshold;

    // State in the low two bits, epoch (bumped by every transition) above. Written only under _lock.
    // The epoch starts at 1 so that default(CircuitBreakerLease) never matches.
    private long _word = Pack(CircuitState.Closed, 1);

    private int _consecutiveFailures;   // Closed: interlocked.
    private long _openedAt;             // Open: timestamp, written under _lock before _word.
    private DateTimeOffset _openUntil;  // Open: under _lock.
    private int _trialsInFlight;        // under _lock (read volatile for diagnostics).
    private int _halfOpenSuccesses;     // HalfOpen: under _lock.

    /// <summary>Creates a closed breaker.</summary>
    /// <param name="options">Valid breaker options; the values are copied.</param>
    /// <param name="timeProvider">The clock for the open timeout and transition times.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public CircuitBreaker(CircuitBreakerOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.ThrowIfInvalid();
        _timeProvider = timeProvider;
        _minRequestsToTrip = options.MinRequestsToTrip;
        _openTimeout = options.OpenTimeout;
        _halfOpenMaxRequests = options.HalfOpenMaxRequests;
        _successThreshold = options.SuccessThreshold;
    }

    /// <summary>Raised after every transition, with the old and new state and the time.</summary>
    public event EventHandler<CircuitStateChangedEventArgs>? StateChanged;

    /// <summary>The current state; an expired Open becomes HalfOpen on read.</summary>
    public CircuitState State
    {
        get
        {
            var state = StateOf(Volatile.Read(ref _word));
            if (state != CircuitState.Open || !OpenTimeoutElapsed())
            {
                return state;
            }

            lock (_lock)
            {
                AdvanceIfOpenExpired();
                return StateOf(_word);
            }
        }
    }

    /// <summary>The current run of failures in Closed (diagnostics; not meaningful in the other states).</summary>
    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);

    /// <summary>The number of trial leases issued and not yet completed.</summary>
    public int TrialsInFlight => Volatile.Read(ref _trialsInFlight);

    /// <summary>While Open: when the breaker will start admitting trial requests; otherwise <see langword="null"/>.</summary>
    public DateTimeOffset? OpenUntil
    {
        get
        {
            lock (_lock)
            {
                return StateOf(_word) == CircuitState.Open ? _openUntil : null;
            }
        }
    }

    /// <summary>Asks to send one request to the backend.</summary>
    /// <param name="lease">When admitted: the lease to complete with a result or a release.</param>
    /// <returns><see langword="true"/> when the request may be sent.</returns>
    public bool TryAcquire(out CircuitBreakerLease lease)
    {
        var word = Volatile.Read(ref _word);
        if (StateOf(word) == CircuitState.Closed)
        {
            lease = new CircuitBreakerLease(word, isTrial: false);
            return true;
        }

        if (StateOf(word) == CircuitState.Open && !OpenTimeoutElapsed())
        {
            lease = default;
            return false;
        }

        return TryAcquireSlow(out lease);
    }

    /// <summary>Records that the backend handled an admitted request well.</summary>
    /// <param name="lease">The lease from <see cref="TryAcquire"/>.</param>
    public void RecordSuccess(CircuitBreakerLease lease) => RecordResult(lease, success: true);

    /// <summary>Records that an admitted request failed because of the backend.</summary>
    /// <param name="lease">The lease from <see cref="TryAcquire"/>.</param>
    public void RecordFailure(CircuitBreakerLease lease) => RecordResult(lease, success: false);

    /// <summary>Completes a lease with the backend's verdict.</summary>
    /// <param name="lease">The lease from <see cref="TryAcquire"/>.</param>
    /// <param name="success">Whether the backend handled the request well.</param>
    public void RecordResult(CircuitBreakerLease lease, bool success)
    {
        if (!lease.IsTrial)
        {
            RecordClosed(lease, success);
            return;
        }

        lock (_lock)
        {
            ReleaseTrialSlot();
            if (lease.Word != _word)
            {
                return;
            }

            if (!success)
            {
                Open();
            }
            else if (++_halfOpenSuccesses >= _successThreshold)
            {
                TransitionTo(CircuitState.Closed);
            }
        }
    }

    /// <summary>Completes a lease without a verdict (the request was abandoned), freeing its trial slot if it held one.</summary>
    /// <param name="lease">The lease from <see cref="TryAcquire"/>.</param>
    public void Release(CircuitBreakerLease lease)
    {
        if (!lease.IsTrial)
        {
            return;
        }

        lock (_lock)
        {
            ReleaseTrialSlot();
        }
    }

    private static CircuitState StateOf(long word) => (CircuitState)(word & StateMask);

    private static long Pack(CircuitState state, long epoch) => (epoch << EpochShift) | (long)state;

    private bool OpenTimeoutElapsed() =>
        _timeProvider.GetElapsedTime(Volatile.Read(ref _openedAt)) >= _openTimeout;

    private bool TryAcquireSlow(out CircuitBreakerLease lease)
    {
        lock (_lock)
        {
            AdvanceIfOpenExpired();
            var word = _word;
            switch (StateOf(word))
            {
                case CircuitState.Closed:
                    lease = new CircuitBreakerLease(word, isTrial: false);
                    return true;

                case CircuitState.HalfOpen when _trialsInFlight < _halfOpenMaxRequests:
                    Volatile.Write(ref _trialsInFlight, _trialsInFlight + 1);
                    lease = new CircuitBreakerLease(word, isTrial: true);
                    return true;

                default:
                    lease = default;
                    return false;
            }
        }
    }

    private void RecordClosed(CircuitBreakerLease lease, bool success)
    {
        // Only results of requests admitted in the current Closed epoch count; a request admitted before an
        // earlier trip says nothing about the backend now.
        if (lease.Word != Volatile.Read(ref _word))
        {
            return;
        }

        if (success)
        {
            // Avoid dirtying the shared cache line on the common all-good path.
            if (Volatile.Read(ref _consecutiveFailures) != 0)
            {
                Interlocked.Exchange(ref _consecutiveFailures, 0);
            }

            return;
        }

        if (Interlocked.Increment(ref _consecutiveFailures) < _minRequestsToTrip)
        {
            return;
        }

        lock (_lock)
        {
            if (_word == lease.Word && _consecutiveFailures >= _minRequestsToTrip)
            {
                Open();
            }
        }
    }

    private void ReleaseTrialSlot()
    {
        if (_trialsInFlight > 0)
        {
            Volatile.Write(ref _trialsInFlight, _trialsInFlight - 1);
        }
    }

    private void AdvanceIfOpenExpired()
    {
        if (StateOf(_word) == CircuitState.Open && OpenTimeoutElapsed())
        {
            TransitionTo(CircuitState.HalfOpen);
        }
    }

    private void Open()
    {
        Volatile.Write(ref _openedAt, _timeProvider.GetTimestamp());
        _openUntil = _timeProvider.GetUtcNow() + _openTimeout;
        TransitionTo(CircuitState.Open);
    }

    private void TransitionTo(CircuitState next)
    {
        var previous = StateOf(_word);
        switch (next)
        {
            case CircuitState.Closed:
                Volatile.Write(ref _consecutiveFailures, 0);
                break;
            case CircuitState.HalfOpen:
                _halfOpenSuccesses = 0;
                break;
        }

        Volatile.Write(ref _word, Pack(next, (_word >> EpochShift) + 1));
        StateChanged?.Invoke(this, new CircuitStateChangedEventArgs(previous, next, _timeProvider.GetUtcNow()));
    }
}

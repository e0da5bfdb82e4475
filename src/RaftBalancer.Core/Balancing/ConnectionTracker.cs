using System.Collections.Concurrent;
using RaftBalancer.Core.Routing;

namespace RaftBalancer.Core.Balancing;

/// <summary>Tracks this node's active requests per backend and reclaims starts that were never finished.</summary>
/// <remarks>
/// <para>
/// <see cref="StartConnection(ConnectionCounter)"/> and <see cref="FinishConnection"/> are lock-free and allocate nothing.
/// Time is cut into epochs of a third of <see cref="LeakTimeout"/>; a start is counted in its epoch's bucket.
/// <see cref="Reclaim"/> advances the epoch from the injected <see cref="TimeProvider"/> and drops the buckets
/// of epochs at least five epochs old. The epoch only advances inside <see cref="Reclaim"/> (which keeps the clock
/// off the hot path), so a start may be stamped with the epoch before its own; five epochs of a third still leave
/// it more than <see cref="LeakTimeout"/> old when reclaimed. So only starts older than the leak timeout are ever
/// reclaimed: the count never falls below the requests that are truly active and younger than the timeout.
/// A leaked start is reclaimed at most about twice the leak timeout after it began.
/// </para>
/// <para>
/// Call <see cref="Reclaim"/> at least once per epoch, for example every quarter of <see cref="LeakTimeout"/>
/// (the node does it on a timer). A finish that arrives after its start was reclaimed is ignored.
/// </para>
/// </remarks>
public sealed class ConnectionTracker
{
    // Buckets of the current epoch and the four before it are live; the other three of the ring are reclaimable.
    private const int LiveEpochs = 5;

    private readonly ConcurrentDictionary<string, ConnectionCounter> _counters = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly long _origin;
    private readonly long _epochTicks;
    private long _epoch;
    private long _reclaimedTotal;

    /// <summary>Creates a tracker.</summary>
    /// <param name="timeProvider">The clock that drives epochs.</param>
    /// <param name="leakTimeout">Age after which an unfinished start counts as leaked; must exceed the longest legitimate request.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="leakTimeout"/> is not positive.</exception>
    public ConnectionTracker(TimeProvider timeProvider, TimeSpan leakTimeout)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (leakTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(leakTimeout), leakTimeout, "leakTimeout must be positive.");
        }

        _timeProvider = timeProvider;
        LeakTimeout = leakTimeout;
        // A third, not a quarter: a start stamped with a stale epoch (Reclaim not yet run since the boundary)
        // is one epoch older than its stamp, and must still outlive the timeout before its bucket is dropped.
        _epochTicks = Math.Max(1, leakTimeout.Ticks / (LiveEpochs - 2));
        _origin = timeProvider.GetTimestamp();
    }

    /// <summary>The age after which an unfinished start is reclaimed.</summary>
    public TimeSpan LeakTimeout { get; }

    /// <summary>How many leaked starts have been reclaimed since creation.</summary>
    public long ReclaimedTotal => Volatile.Read(ref _reclaimedTotal);

    /// <summary>Returns the counter for a backend, creating it on first use.</summary>
    /// <param name="backendId">The backend id.</param>
    /// <returns>The long-lived counter; routing views hold it so picks need no lookup.</returns>
    public ConnectionCounter GetOrAdd(string backendId)
    {
        ArgumentException.ThrowIfNullOrEmpty(backendId);
        return _counters.GetOrAdd(backendId, static id => new ConnectionCounter(id));
    }

    /// <summary>Forgets a backend that left the configuration; requests still in flight finish harmlessly.</summary>
    /// <param name="backendId">The backend id.</param>
    /// <returns>True when a counter was removed.</returns>
    public bool Remove(string backendId) => _counters.TryRemove(backendId, out _);

    /// <summary>Counts a request started on a backend.</summary>
    /// <param name="counter">The backend's counter.</param>
    /// <returns>The lease to finish.</returns>
    public ConnectionLease StartConnection(ConnectionCounter counter)
    {
        var epoch = Volatile.Read(ref _epoch);
        counter.Start(epoch);
        return new ConnectionLease(counter, epoch);
    }

    /// <summary>Counts a request started on a picked backend.</summary>
    /// <param name="backend">The picked backend.</param>
    /// <returns>The lease to finish.</returns>
    public ConnectionLease StartConnection(RoutableBackend backend) => StartConnection(backend.Counter);

    /// <summary>Counts a request finished; call once per lease.</summary>
    /// <param name="lease">The lease from the start.</param>
    public void FinishConnection(in ConnectionLease lease)
    {
        var counter = lease.Counter;
        if (counter is null || lease.Epoch <= Volatile.Read(ref _epoch) - LiveEpochs)
        {
            // Default lease, or its start was old enough to be reclaimed already.
            return;
        }

        counter.Finish(lease.Epoch);
    }

    /// <summary>Advances the epoch and reclaims starts older than <see cref="LeakTimeout"/>.</summary>
    /// <returns>How many leaked starts were reclaimed by this call.</returns>
    /// <remarks>Bounded work: three buckets per backend, whatever the number of leaked starts.</remarks>
    public long Reclaim()
    {
        var now = _timeProvider.GetElapsedTime(_origin).Ticks / _epochTicks;

        // Only ever forward, also when two reclaims race.
        var epoch = Volatile.Read(ref _epoch);
        while (now > epoch)
        {
            var seen = Interlocked.CompareExchange(ref _epoch, now, epoch);
            epoch = seen == epoch ? now : seen;
        }

        long reclaimed = 0;
        foreach (var counter in _counters.Values)
        {
            for (var age = LiveEpochs; age < ConnectionCounter.BucketCount; age++)
            {
                reclaimed += counter.ReclaimBucket((int)((epoch - age) & (ConnectionCounter.BucketCount - 1)));
            }
        }

        Interlocked.Add(ref _reclaimedTotal, reclaimed);
        return reclaimed;
    }

    /// <summary>A point-in-time copy of the active count per backend, for load reports.</summary>
    /// <returns>Backend id to active count; allocates, so keep it off the request path.</returns>
    public IReadOnlyDictionary<string, long> Snapshot()
    {
        var snapshot = new Dictionary<string, long>(_counters.Count, StringComparer.Ordinal);
        foreach (var (id, counter) in _counters)
        {
            snapshot[id] = counter.Active;
        }

        return snapshot;
    }
}

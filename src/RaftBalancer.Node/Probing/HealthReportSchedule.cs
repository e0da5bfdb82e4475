using RaftBalancer.Core.Health;

namespace RaftBalancer.Node.Probing;

/// <summary>Decides when this node writes its health report on one backend: on change (debounced) and before the TTL runs out.</summary>
/// <remarks>
/// A change is written at once unless another change was written less than the debounce window ago; then it waits
/// for the next probe after the window, so a flapping backend costs at most one change write per window. An
/// unchanged state is rewritten every refresh period (a third of the TTL) so the key never expires while the node
/// lives. Not thread-safe: one probe loop owns it.
/// </remarks>
internal sealed class HealthReportSchedule
{
    private readonly TimeSpan _debounce;
    private readonly TimeSpan _refreshEvery;
    private HealthState? _written;
    private DateTimeOffset _lastChangeWrite = DateTimeOffset.MinValue;
    private DateTimeOffset _lastWrite = DateTimeOffset.MinValue;

    public HealthReportSchedule(TimeSpan debounce, TimeSpan refreshEvery)
    {
        _debounce = debounce;
        _refreshEvery = refreshEvery;
    }

    /// <summary>The state last written, or null before the first write.</summary>
    public HealthState? Written => _written;

    /// <summary>Tells whether to write now.</summary>
    /// <param name="current">The prober's current state.</param>
    /// <param name="now">The current time.</param>
    /// <returns>True to write.</returns>
    public bool ShouldWrite(HealthState current, DateTimeOffset now)
    {
        if (_written is null)
        {
            return true;
        }

        if (_written != current && now - _lastChangeWrite >= _debounce)
        {
            return true;
        }

        return now - _lastWrite >= _refreshEvery;
    }

    /// <summary>Records a successful write.</summary>
    /// <param name="state">The state written.</param>
    /// <param name="now">When.</param>
    public void MarkWritten(HealthState state, DateTimeOffset now)
    {
        if (_written != state)
        {
            _lastChangeWrite = now;
        }

        _written = state;
        _lastWrite = now;
    }
}

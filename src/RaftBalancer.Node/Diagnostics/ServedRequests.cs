using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace RaftBalancer.Node.Diagnostics;

/// <summary>Forwarding attempts this node has finished, per backend, since it started: the dashboard's requests per second.</summary>
/// <remarks>
/// A listener on the request counter (<see cref="NodeTelemetry.ProxyRequests"/>): one dictionary read and one
/// interlocked add per attempt, no allocation. Only registered with the ops listener (the dashboard); the totals also
/// ride in this node's load reports so every node's dashboard can show cluster-wide rates.
/// </remarks>
internal sealed class ServedRequests : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, StrongBox<long>> _served = new(StringComparer.Ordinal);

    /// <summary>Starts counting.</summary>
    /// <param name="telemetry">The node's instruments.</param>
    public ServedRequests(NodeTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument, telemetry.ProxyRequests))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnRequest);
        _listener.Start();
    }

    /// <summary>Copies the totals.</summary>
    /// <returns>Backend id to finished attempts.</returns>
    public IReadOnlyDictionary<string, long> Snapshot()
    {
        var totals = new Dictionary<string, long>(_served.Count, StringComparer.Ordinal);
        foreach (var (backend, box) in _served)
        {
            totals[backend] = Interlocked.Read(ref box.Value);
        }

        return totals;
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private void OnRequest(Instrument instrument, long measurement, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (tags.Length == 0 || tags[0].Value is not string backend)
        {
            return;
        }

        if (!_served.TryGetValue(backend, out var box))
        {
            box = _served.GetOrAdd(backend, _ => new StrongBox<long>());
        }

        Interlocked.Add(ref box.Value, measurement);
    }
}

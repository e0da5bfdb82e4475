using System.Threading.Channels;

namespace RaftBalancer.Node.Diagnostics;

/// <summary>The bounded hand-off between the request path and the access log writer.</summary>
/// <remarks>
/// <see cref="TryEnqueue"/> never waits: when the writer has fallen <see cref="Capacity"/> lines behind, the line is
/// dropped and counted (<c>raftbalancer_access_log_dropped_total</c>), so a slow disk or stdout never slows a request.
/// One reader (the writer service), many writers.
/// </remarks>
internal sealed class AccessLogQueue
{
    private readonly Channel<AccessLogEntry> _channel;
    private readonly NodeTelemetry _telemetry;
    private long _dropped;

    public AccessLogQueue(int capacity, NodeTelemetry telemetry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _telemetry = telemetry;
        _channel = Channel.CreateBounded<AccessLogEntry>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails at once instead of evicting; nothing waits.
            SingleReader = true,
            SingleWriter = false,
        });
    }

    /// <summary>Lines that can wait for the writer.</summary>
    public int Capacity { get; }

    /// <summary>Lines dropped since start.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>The writer's end.</summary>
    public ChannelReader<AccessLogEntry> Reader => _channel.Reader;

    /// <summary>Queues a line, or drops and counts it when the queue is full; never blocks.</summary>
    /// <param name="entry">The line.</param>
    /// <returns>True when queued.</returns>
    public bool TryEnqueue(in AccessLogEntry entry)
    {
        if (_channel.Writer.TryWrite(entry))
        {
            return true;
        }

        Interlocked.Increment(ref _dropped);
        _telemetry.AccessLogDropped.Add(1);
        return false;
    }

    /// <summary>No more lines (shutdown).</summary>
    public void Complete() => _channel.Writer.TryComplete();
}

using System.Collections.Concurrent;
using System.Diagnostics;
using RaftBalancer.Chaos.Checking;
using RaftBalancer.Chaos.Harness;

namespace RaftBalancer.Chaos.Workload;

/// <summary>Everything observed during one scenario, stamped on one monotonic clock (microseconds since start).</summary>
internal sealed class Recorder
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _nextId;

    public long NowUs => _clock.ElapsedTicks * 1_000_000 / Stopwatch.Frequency;

    public double NowMs => NowUs / 1000.0;

    public ConcurrentQueue<HistoryOp> History { get; } = new();

    public ConcurrentQueue<UniqueWrite> UniqueWrites { get; } = new();

    public ConcurrentQueue<GetResult> Gets { get; } = new();

    public ConcurrentQueue<(double AtMs, RaftSample Sample)> Raft { get; } = new();

    public ConcurrentQueue<(double AtMs, RoutingSample Sample)> Routing { get; } = new();

    public ConcurrentQueue<(double AtMs, string What)> Events { get; } = new();

    public long NextId() => Interlocked.Increment(ref _nextId);

    public void Event(string what) => Events.Enqueue((NowMs, what));
}

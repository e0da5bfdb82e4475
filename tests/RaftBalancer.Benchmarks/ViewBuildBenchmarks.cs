using BenchmarkDotNet.Attributes;
using RaftBalancer.Core.Backends;
using RaftBalancer.Core.Balancing;
using RaftBalancer.Core.Routing;

namespace RaftBalancer.Benchmarks;

/// <summary>
/// What the view builder pays per view swap now that the smooth weighted schedule is built in the
/// <see cref="RoutingView"/> constructor: a view whose weights match the last view's (the common swap: health or
/// load changed, weights did not) reuses that schedule; a view with new weights builds one.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class ViewBuildBenchmarks
{
    private RoutableBackend[] _backends = [];
    private RoutableBackend[] _otherWeights = [];

    /// <summary>Ten backends weighted 1..10 (period 55), as in the pick benchmarks; 100 weighted 1..100 (period 5050).</summary>
    [Params(10, 100)]
    public int Backends { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var tracker = new ConnectionTracker(TimeProvider.System, TimeSpan.FromMinutes(5));
        _backends = Make(tracker, Backends, i => i);
        // Same ids, one weight changed, so each construction in the alternating row misses the reuse.
        _otherWeights = Make(tracker, Backends, i => i == 1 ? 2 : i);
    }

    [Benchmark(Baseline = true, Description = "new RoutingView, same weights as last view (schedule reused)")]
    public RoutingView SameWeights() => new(1, _backends);

    [Benchmark(OperationsPerInvoke = 2, Description = "new RoutingView, weights changed every view (schedule built)")]
    public RoutingView ChangedWeights()
    {
        _ = new RoutingView(1, _otherWeights);
        return new RoutingView(1, _backends);
    }

    [Benchmark(Description = "schedule build alone")]
    public int[] BuildScheduleOnly() => RoutingView.BuildSchedule(_backends);

    private static RoutableBackend[] Make(ConnectionTracker tracker, int count, Func<int, int> weight) =>
        Enumerable.Range(1, count)
            .Select(i => new RoutableBackend(new BackendDefinition($"b{i}", $"http://10.0.{i / 250}.{i % 250}:8080", weight(i)), tracker.GetOrAdd($"b{i}")))
            .ToArray();
}

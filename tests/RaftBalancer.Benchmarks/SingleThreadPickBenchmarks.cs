using BenchmarkDotNet.Attributes;
using RaftBalancer.Core.Routing;

namespace RaftBalancer.Benchmarks;

/// <summary>One pick on one thread, ten backends.</summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class SingleThreadPickBenchmarks
{
    private PickFixture _fixture = null!;

    [GlobalSetup]
    public void Setup() => _fixture = new PickFixture();

    [Benchmark(Baseline = true, Description = "Baseline: shared Interlocked RR")]
    public RoutableBackend SharedCounter() => _fixture.SharedCounterPick();

    [Benchmark(Description = "RoundRobin")]
    public RoutableBackend RoundRobin() => _fixture.RoundRobin.Pick(_fixture.View).Backend!;

    [Benchmark(Description = "Striped-sequence RR (comparison)")]
    public RoutableBackend StripedRoundRobin() => _fixture.StripedPick();

    [Benchmark(Description = "SmoothWeighted (1..10)")]
    public RoutableBackend SmoothWeighted() => _fixture.SmoothWeighted.Pick(_fixture.View).Backend!;

    [Benchmark(Description = "LeastConnections + start/finish")]
    public RoutableBackend LeastConnections() => _fixture.LeastConnectionsRequest();
}

using BenchmarkDotNet.Attributes;
using RaftBalancer.Core.Routing;

namespace RaftBalancer.Benchmarks;

/// <summary>
/// <see cref="TotalPicks"/> picks per invocation, split evenly over one thread per processor, all picking from
/// the same view and policy at once. Reported time per operation is wall time divided by the total picks, so it is
/// the inverse of aggregate throughput and compares directly with <see cref="SingleThreadPickBenchmarks"/>.
/// </summary>
/// <remarks>
/// The worker threads are created in <see cref="Setup"/> and parked on a barrier; an invocation only releases
/// them (the invoking thread takes one share itself) and waits for all to arrive again, so thread start-up is not
/// measured and the barrier's few microseconds are spread over a million picks.
/// </remarks>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class ParallelPickBenchmarks
{
    public const int TotalPicks = 1 << 20;

    private readonly int _threads = Environment.ProcessorCount;
    private PickFixture _fixture = null!;
    private Barrier _barrier = null!;
    private Thread[] _workers = [];
    private volatile Workload _workload;
    private volatile bool _stopping;
    private int _picksPerThread;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new PickFixture();
        _picksPerThread = TotalPicks / _threads;
        _barrier = new Barrier(_threads);
        _workers = Enumerable.Range(1, _threads - 1).Select(i => new Thread(WorkerLoop) { IsBackground = true, Name = $"picker-{i}" }).ToArray();
        foreach (var worker in _workers)
        {
            worker.Start();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stopping = true;
        _barrier.SignalAndWait();
        foreach (var worker in _workers)
        {
            worker.Join();
        }

        _barrier.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = TotalPicks, Description = "Baseline: shared Interlocked RR, all cores")]
    public RoutableBackend SharedCounter() => Run(Workload.SharedCounter);

    [Benchmark(OperationsPerInvoke = TotalPicks, Description = "RoundRobin, all cores")]
    public RoutableBackend RoundRobin() => Run(Workload.RoundRobin);

    [Benchmark(OperationsPerInvoke = TotalPicks, Description = "Striped-sequence RR (comparison), all cores")]
    public RoutableBackend StripedRoundRobin() => Run(Workload.StripedRoundRobin);

    [Benchmark(OperationsPerInvoke = TotalPicks, Description = "SmoothWeighted (1..10), all cores")]
    public RoutableBackend SmoothWeighted() => Run(Workload.SmoothWeighted);

    [Benchmark(OperationsPerInvoke = TotalPicks, Description = "LeastConnections + start/finish, all cores")]
    public RoutableBackend LeastConnections() => Run(Workload.LeastConnections);

    private RoutableBackend Run(Workload workload)
    {
        _workload = workload;
        _barrier.SignalAndWait();
        var last = Picks(workload);
        _barrier.SignalAndWait();
        return last;
    }

    private void WorkerLoop()
    {
        while (true)
        {
            _barrier.SignalAndWait();
            if (_stopping)
            {
                return;
            }

            Picks(_workload);
            _barrier.SignalAndWait();
        }
    }

    // One loop per workload, calling the same code the single-thread benchmarks call, with no delegate in between.
    private RoutableBackend Picks(Workload workload)
    {
        var fixture = _fixture;
        var count = _picksPerThread;
        RoutableBackend last = null!;
        switch (workload)
        {
            case Workload.SharedCounter:
                for (var i = 0; i < count; i++)
                {
                    last = fixture.SharedCounterPick();
                }

                break;
            case Workload.RoundRobin:
                for (var i = 0; i < count; i++)
                {
                    last = fixture.RoundRobin.Pick(fixture.View).Backend!;
                }

                break;
            case Workload.StripedRoundRobin:
                for (var i = 0; i < count; i++)
                {
                    last = fixture.StripedPick();
                }

                break;
            case Workload.SmoothWeighted:
                for (var i = 0; i < count; i++)
                {
                    last = fixture.SmoothWeighted.Pick(fixture.View).Backend!;
                }

                break;
            default:
                for (var i = 0; i < count; i++)
                {
                    last = fixture.LeastConnectionsRequest();
                }

                break;
        }

        return last;
    }

    private enum Workload
    {
        SharedCounter,
        RoundRobin,
        StripedRoundRobin,
        SmoothWeighted,
        LeastConnections,
    }
}

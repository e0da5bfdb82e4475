using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using RaftBalancer.Core.Routing;
using RaftBalancer.Node.Diagnostics;

namespace RaftBalancer.Benchmarks;

/// <summary>
/// The proxy's own work for one request (pick, start and finish the connection count, then what it records: the
/// request counter by backend and code and the duration histogram), with metrics off (no SDK listening: the node
/// with <c>Observability:Metrics=false</c>) and on (the OpenTelemetry SDK aggregating, as behind <c>/metrics</c>).
/// </summary>
/// <remarks>YARP's forwarding is not included: it is the same either way and dwarfs both.</remarks>
[MemoryDiagnoser]
[MedianColumn]
public class ProxyMetricsBenchmarks
{
    private PickFixture _fixture = null!;
    private NodeTelemetry _telemetry = null!;
    private MeterProvider? _provider;

    [Params(false, true)]
    public bool Metrics { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new PickFixture();
        _telemetry = new NodeTelemetry();
        if (Metrics)
        {
            _provider = Sdk.CreateMeterProviderBuilder().AddMeter(NodeTelemetry.MeterName).AddInMemoryExporter(new List<Metric>()).Build();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _provider?.Dispose();
        _telemetry.Dispose();
    }

    [Benchmark(Description = "pick + count + record one request")]
    public RoutableBackend Request()
    {
        var started = Stopwatch.GetTimestamp();
        var backend = _fixture.RoundRobin.Pick(_fixture.View).Backend!;
        var lease = _fixture.Tracker.StartConnection(backend);
        _fixture.Tracker.FinishConnection(lease);
        _telemetry.RecordAttempt(backend.Id, 200, started);
        return backend;
    }
}

using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RaftBalancer.Core.Health;

namespace RaftBalancer.Benchmarks;

/// <summary>
/// One <see cref="HttpHealthProber.ProbeAsync"/> against an in-process Kestrel on 127.0.0.1 that answers 200 on
/// <c>/-/ready</c>: the cost of a health check with the network taken out (the target is &lt; 100 ms per check).
/// </summary>
/// <remarks>
/// Two clients: the node's case, a pooled keep-alive connection (probe intervals are well under the default one-minute
/// idle timeout, so the connection is reused), and the worst case, a new TCP connection for every probe.
/// </remarks>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class HealthProbeBenchmarks
{
    private WebApplication _backend = null!;
    private HttpClient _pooledClient = null!;
    private HttpClient _freshConnectionClient = null!;
    private HttpHealthProber _pooled = null!;
    private HttpHealthProber _freshConnection = null!;
    private Uri _address = null!;

    [GlobalSetup]
    public void Setup()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _backend = builder.Build();
        _backend.MapGet("/-/ready", static context =>
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        });
        _backend.StartAsync().GetAwaiter().GetResult();
        var server = _backend.Services.GetRequiredService<IServer>();
        _address = new Uri(server.Features.Get<IServerAddressesFeature>()!.Addresses.Single());

        var options = new HealthCheckOptions { Interval = TimeSpan.FromSeconds(5), Timeout = TimeSpan.FromSeconds(2) };
        _pooledClient = new HttpClient(new SocketsHttpHandler());
        _freshConnectionClient = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero });
        _pooled = new HttpHealthProber(_pooledClient, options, TimeProvider.System);
        _freshConnection = new HttpHealthProber(_freshConnectionClient, options, TimeProvider.System);

        // Fail now, not inside the measurement, when the backend does not answer as expected.
        var first = _pooled.ProbeAsync(_address, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        if (first.Outcome != ProbeOutcome.Healthy)
        {
            throw new InvalidOperationException("The loopback backend did not answer healthy: " + first);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pooledClient.Dispose();
        _freshConnectionClient.Dispose();
        _backend.StopAsync().GetAwaiter().GetResult();
        _backend.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "ProbeAsync, pooled keep-alive connection")]
    public ValueTask<ProbeResult> PooledConnection() => _pooled.ProbeAsync(_address, CancellationToken.None);

    [Benchmark(Description = "ProbeAsync, new TCP connection per probe")]
    public ValueTask<ProbeResult> NewConnection() => _freshConnection.ProbeAsync(_address, CancellationToken.None);
}

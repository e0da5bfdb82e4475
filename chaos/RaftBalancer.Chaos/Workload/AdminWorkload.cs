using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client;
using RaftBalancer.Chaos.Checking;
using RaftBalancer.Chaos.Harness;
using RaftBalancer.Contracts.V1;

namespace RaftBalancer.Chaos.Workload;

/// <summary>Admin writes through the gRPC admin API of random nodes: each chaos backend id is added, re-weighted to unique
/// values and sometimes removed, by one writer at a time, every call recorded with its outcome.</summary>
/// <remarks>Added backends point at a live demo backend, so routing to them is harmless.</remarks>
internal sealed class AdminWorkload : IDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(4);
    private readonly ChaosCluster _cluster;
    private readonly Recorder _recorder;
    private readonly Random _random;
    private readonly Dictionary<string, GrpcChannel> _channels;
    private readonly Metadata _auth = new() { { "authorization", "Bearer " + ChaosCluster.AdminToken } };

    public AdminWorkload(ChaosCluster cluster, Recorder recorder, int seed)
    {
        _cluster = cluster;
        _recorder = recorder;
        _random = new Random(HashCode.Combine(seed, "admin"));
        _channels = cluster.Nodes.ToDictionary(n => n.Id, n => GrpcChannel.ForAddress(n.AdminUrl, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromMilliseconds(500), EnableMultipleHttp2Connections = true } }), StringComparer.Ordinal);
    }

    public ConcurrentBag<AdminWrite> Writes { get; } = [];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var next = 0;
        var live = new List<string>();
        while (!cancellationToken.IsCancellationRequested)
        {
            var node = _cluster.Nodes[_random.Next(_cluster.Nodes.Count)];
            var roll = _random.Next(100);
            if (live.Count == 0 || roll < 40)
            {
                var id = "cx" + (++next).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
                var outcome = await CallAsync(node, "add", id, 1 + _random.Next(1000), (c, w, o) => c.AddBackendAsync(new AddBackendRequest { Id = id, Url = _cluster.Backends[0].Url, Weight = w }, o).ResponseAsync, cancellationToken);
                if (outcome != OpOutcome.Fail)
                {
                    live.Add(id);
                }
            }
            else if (roll < 85)
            {
                var id = live[_random.Next(live.Count)];
                await CallAsync(node, "update", id, 1 + _random.Next(1000), (c, w, o) => c.UpdateWeightAsync(new UpdateWeightRequest { Id = id, Weight = w }, o).ResponseAsync, cancellationToken);
            }
            else
            {
                var id = live[_random.Next(live.Count)];
                var outcome = await CallAsync(node, "remove", id, 0, (c, _, o) => c.RemoveBackendAsync(new RemoveBackendRequest { Id = id }, o).ResponseAsync, cancellationToken);
                if (outcome == OpOutcome.Ok)
                {
                    live.Remove(id);
                }
            }

            try
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Reads every node's configured backends (local reads, after quiescence) for the final check.</summary>
    public async Task<Dictionary<string, Dictionary<string, int>>> FinalConfigsAsync(CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var node in _cluster.Nodes)
        {
            var client = new Admin.AdminClient(_channels[node.Id]);
            var reply = await client.ListBackendsAsync(new ListBackendsRequest { Consistency = Consistency.Local }, new CallOptions(_auth, DateTime.UtcNow.AddSeconds(5), cancellationToken));
            result[node.Id] = reply.Backends.Where(b => b.Config.Id.StartsWith("cx", StringComparison.Ordinal)).ToDictionary(b => b.Config.Id, b => b.Config.Weight, StringComparer.Ordinal);
        }

        return result;
    }

    /// <summary>For each id whose last call was acknowledged (or refused right after an acknowledged one), the state every node must show.</summary>
    public IEnumerable<(string Id, int? Weight, AdminWrite Last)> Expectations()
    {
        foreach (var group in Writes.GroupBy(w => w.BackendId))
        {
            // An unanswered call may still take effect later, even after a later acknowledged one: no expectation then.
            var ordered = group.OrderBy(w => w.InvokedAt).Where(w => w.Outcome != OpOutcome.Fail).ToList();
            if (ordered.Count == 0 || ordered.Any(w => w.Outcome == OpOutcome.Unknown))
            {
                continue;
            }

            var last = ordered[^1];
            yield return (group.Key, last.Kind == "remove" ? null : last.Weight, last);
        }
    }

    public void Dispose()
    {
        foreach (var channel in _channels.Values)
        {
            channel.Dispose();
        }
    }

    private async Task<OpOutcome> CallAsync<T>(ChaosNode node, string kind, string id, int weight, Func<Admin.AdminClient, int, CallOptions, Task<T>> call, CancellationToken cancellationToken)
    {
        var invoked = _recorder.NowUs;
        OpOutcome outcome;
        try
        {
            await call(new Admin.AdminClient(_channels[node.Id]), weight, new CallOptions(_auth, DateTime.UtcNow.Add(CallTimeout), cancellationToken));
            outcome = OpOutcome.Ok;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.AlreadyExists or StatusCode.Unauthenticated or StatusCode.PermissionDenied)
        {
            outcome = OpOutcome.Fail;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && e.Status.DebugException is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError })
        {
            // Never reached the node.
            outcome = OpOutcome.Fail;
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException or HttpRequestException or IOException)
        {
            outcome = OpOutcome.Unknown;
        }

        Writes.Add(new AdminWrite(kind, id, weight, node.Id, invoked, _recorder.NowUs, outcome));
        return outcome;
    }
}

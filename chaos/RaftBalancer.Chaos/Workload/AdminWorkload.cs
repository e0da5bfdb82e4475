using System.Collections.Concurrent;
using Grpc.Core;
using RaftBalancer.Chaos.Checking;
using RaftBalancer.Chaos.Harness;
using RaftBalancer.Contracts.V1;

namespace RaftBalancer.Chaos.Workload;

/// <summary>Admin writes through the gRPC admin API of random nodes: each chaos backend id is added, re-weighted to unique
/// values and sometimes removed, by one writer at a time, every call recorded with its outcome.</summary>
/// <remarks>Added backends point at a live demo backend, so routing to them is harmless.</remarks>
internal sealed class AdminWorkload(ChaosCluster cluster, Recorder recorder, int seed)
{
    /// <summary>Ids this workload owns; the final check reads only these.</summary>
    public const string IdPrefix = "cx";

    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(4);
    private readonly ChaosCluster _cluster = cluster;
    private readonly Recorder _recorder = recorder;
    private readonly Random _random = new(HashCode.Combine(seed, "admin"));

    public ConcurrentQueue<AdminWrite> Writes { get; } = new();

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
                var id = IdPrefix + (++next).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
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

    /// <summary>Reads every node's configured chaos backends (local reads, after quiescence) until all nodes show the same
    /// configuration or <paramref name="settle"/> has passed (late commits of unanswered calls may still be applying).</summary>
    /// <returns>Each node's id → weight map; a node that never answered is absent.</returns>
    public async Task<Dictionary<string, Dictionary<string, int>>> FinalConfigsAsync(TimeSpan settle, CancellationToken cancellationToken)
    {
        var deadline = _recorder.NowMs + settle.TotalMilliseconds;
        var result = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        while (true)
        {
            result.Clear();
            foreach (var node in _cluster.Nodes)
            {
                if (await _cluster.Admin.ListBackendsAsync(node, TimeSpan.FromSeconds(5), cancellationToken) is { } reply)
                {
                    result[node.Id] = reply.Backends.Where(b => b.Config.Id.StartsWith(IdPrefix, StringComparison.Ordinal)).ToDictionary(b => b.Config.Id, b => b.Config.Weight, StringComparer.Ordinal);
                }
            }

            var first = result.Values.FirstOrDefault();
            var agree = result.Count == _cluster.Nodes.Count && result.Values.All(c => c.Count == first!.Count && c.All(kv => first.TryGetValue(kv.Key, out var w) && w == kv.Value));
            if (agree || _recorder.NowMs > deadline)
            {
                return result;
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>For each id whose calls were all answered, the state every node must show after the last acknowledged one.</summary>
    public IEnumerable<(string Id, int? Weight, AdminWrite Last)> Expectations()
    {
        foreach (var group in Writes.GroupBy(w => w.BackendId))
        {
            // An unanswered call may still take effect later, even after a later acknowledged one: no expectation then.
            // Refused calls changed nothing, so the last acknowledged call is the last word.
            var ordered = group.OrderBy(w => w.InvokedAt).Where(w => w.Outcome != OpOutcome.Fail).ToList();
            if (ordered.Count == 0 || ordered.Any(w => w.Outcome == OpOutcome.Unknown))
            {
                continue;
            }

            var last = ordered[^1];
            yield return (group.Key, last.Kind == "remove" ? null : last.Weight, last);
        }
    }

    /// <summary>Refusals that contradict an earlier acknowledgement: an update or remove answered NOT_FOUND (after the node's
    /// linearizable existence read) although an add of that id was acknowledged before the call was sent and no remove of it
    /// had been sent before. The writer is sequential, so such a read missed an acknowledged write.</summary>
    public IEnumerable<(AdminWrite Refused, AdminWrite Added)> StaleRefusals()
    {
        foreach (var group in Writes.GroupBy(w => w.BackendId))
        {
            var ordered = group.OrderBy(w => w.InvokedAt).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                var call = ordered[i];
                if (call.Detail != nameof(StatusCode.NotFound))
                {
                    continue;
                }

                var earlier = ordered.Take(i).ToList();
                var added = earlier.FirstOrDefault(w => w.Kind == "add" && w.Outcome == OpOutcome.Ok && w.CompletedAt < call.InvokedAt);
                if (added is not null && !earlier.Any(w => w.Kind == "remove" && w.Outcome != OpOutcome.Fail))
                {
                    yield return (call, added);
                }
            }
        }
    }

    /// <summary>How the calls ended, e.g. <c>add OK=12, add Unavailable=3, update NotFound=1</c>.</summary>
    public string Breakdown() => string.Join(", ", Writes.GroupBy(w => w.Kind + " " + w.Detail, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key + "=" + g.Count()));

    private async Task<OpOutcome> CallAsync<T>(ChaosNode node, string kind, string id, int weight, Func<Admin.AdminClient, int, CallOptions, Task<T>> call, CancellationToken cancellationToken)
    {
        var invoked = _recorder.NowUs;
        OpOutcome outcome;
        string detail;
        try
        {
            await call(_cluster.Admin.Client(node), weight, _cluster.Admin.Options(CallTimeout, cancellationToken));
            (outcome, detail) = (OpOutcome.Ok, "OK");
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.AlreadyExists or StatusCode.Unauthenticated or StatusCode.PermissionDenied)
        {
            // Refused after validation or a linearizable existence check: nothing was proposed.
            (outcome, detail) = (OpOutcome.Fail, e.StatusCode.ToString());
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && e.Status.DebugException is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError })
        {
            // Never reached the node.
            (outcome, detail) = (OpOutcome.Fail, "ConnectionError");
        }
        catch (RpcException e)
        {
            (outcome, detail) = (OpOutcome.Unknown, e.StatusCode.ToString());
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
        {
            (outcome, detail) = (OpOutcome.Unknown, e.GetType().Name);
        }

        Writes.Enqueue(new AdminWrite(kind, id, weight, node.Id, invoked, _recorder.NowUs, outcome, detail));
        return outcome;
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace RaftBalancer.Node.Tests.Cluster;

[Trait("Category", "Integration")]
[Collection(ClusterTestGroup.Name)]
public sealed class ClusterRequestFlowTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Get_ThirtyRequestsThroughEachOfThreeNodes_EachBackendServesTenPlusMinusThree()
    {
        await using var cluster = await TestCluster.StartAsync();

        foreach (var node in cluster.Nodes)
        {
            var served = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < 30; i++)
            {
                var (status, backend) = await node.GetAsync("/item/" + i);
                Assert.Equal(200, status);
                served[backend!] = served.GetValueOrDefault(backend!) + 1;
            }

            Assert.True(served.Count == 3, node.Id + " served by " + string.Join(",", served.Keys));
            Assert.All(served, kv => Assert.True(kv.Value is >= 7 and <= 13, node.Id + ": " + kv.Key + " served " + kv.Value));
        }
    }

    [Fact]
    public async Task Get_BackendKilledMidLoadThroughEveryNode_NoRequestStartedAfterItsExclusionFails()
    {
        await using var cluster = await TestCluster.StartAsync();
        var failures = new List<(TimeSpan At, string What)>();
        var clock = Stopwatch.StartNew();
        var total = 0;
        using var stop = new CancellationTokenSource();
        var workers = cluster.Nodes.SelectMany(n => Enumerable.Range(0, 2).Select(_ => n)).Select(async node =>
        {
            using var client = new HttpClient { BaseAddress = new Uri(node.ProxyUrl), Timeout = TimeSpan.FromSeconds(10) };
            while (!stop.IsCancellationRequested)
            {
                var startedAt = clock.Elapsed;
                try
                {
                    using var response = await client.GetAsync(new Uri("/load", UriKind.Relative));
                    Interlocked.Increment(ref total);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        lock (failures)
                        {
                            failures.Add((startedAt, node.Id + " " + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)));
                        }
                    }
                }
                catch (HttpRequestException ex)
                {
                    lock (failures)
                    {
                        failures.Add((startedAt, node.Id + " " + ex.Message));
                    }
                }
            }
        }).ToArray();

        try
        {
            await cluster.WaitAsync(() => Task.FromResult(Volatile.Read(ref total) > 150), ClusterTimeouts.Condition, "load running");
            var killedAt = clock.Elapsed;
            await cluster.Backend("b").StopAsync();
            var after = Volatile.Read(ref total);
            await cluster.WaitRoutableAsync(ClusterTimeouts.Condition, "a", "c");
            var excludedAt = clock.Elapsed;
            after = Volatile.Read(ref total);
            await cluster.WaitAsync(() => Task.FromResult(Volatile.Read(ref total) > after + 450), ClusterTimeouts.Condition, "load after the exclusion");
            await stop.CancelAsync();
            await Task.WhenAll(workers);

            // Once every node has excluded the dead backend, no request started through any node may fail; before
            // that, the one retry and its budget may run out. The exclusion time is a figure, not a check.
            var late = failures.Where(f => f.At > excludedAt).ToList();
            output.WriteLine($"excluded by every node {(excludedAt - killedAt).TotalMilliseconds:0} ms after the kill; {failures.Count} failed of {total} before it");
            Assert.True(late.Count == 0, "requests started after the exclusion failed: " + string.Join("; ", late.Take(5)));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(workers);
        }
    }
}

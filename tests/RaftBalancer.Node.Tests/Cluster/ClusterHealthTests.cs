namespace RaftBalancer.Node.Tests.Cluster;

[Trait("Category", "Integration")]
[Collection(ClusterTestGroup.Name)]
public sealed class ClusterHealthTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task HealthCheck_BackendStartsFailing_ExcludedByEveryNode_ThenReturns()
    {
        await using var cluster = await TestCluster.StartAsync();
        var options = cluster.Options;
        var bound = (options.HealthInterval * options.FailureThreshold) + TimeSpan.FromSeconds(1);

        // Fail the readiness path only, so exclusion comes from the health checks (not from a breaker fed by traffic).
        await cluster.Backend("b").ControlAsync("mode=fail&probeOnly=true");
        var watch = Stopwatch.StartNew();
        await cluster.WaitRoutableAsync(ClusterTimeouts.Condition, "a", "c");
        // A figure against its target, not an assertion (a loaded box may be slower); the chaos suite's dead-backend
        // scenario reports the same target in its table.
        output.WriteLine($"excluded by every node after {watch.ElapsedMilliseconds} ms (target <= {bound.TotalMilliseconds:0} ms)");
        foreach (var node in cluster.Nodes)
        {
            for (var i = 0; i < 4; i++)
            {
                var (status, backend) = await node.GetAsync();
                Assert.Equal(200, status);
                Assert.NotEqual("b", backend);
            }
        }

        await cluster.Backend("b").ControlAsync("mode=ok");
        await cluster.WaitRoutableAsync(ClusterTimeouts.Condition, "a", "b", "c");
        foreach (var node in cluster.Nodes)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < 6; i++)
            {
                seen.Add((await node.GetAsync()).Backend!);
            }

            Assert.Contains("b", seen);
        }
    }

    /// <summary>
    /// The cluster verdict (docs/ARCHITECTURE.md, "How a view is built"): routable unless a majority of the nodes with fresh reports say Unhealthy. One node's
    /// bad path is 1 of 3, so the backend stays routable everywhere, on the complaining node too.
    /// </summary>
    [Fact]
    public async Task HealthCheck_BackendFailsOnlyNode2sProbe_StaysRoutableOnEveryNodeIncludingNode2()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Backend("b").ControlAsync("mode=fail&probeOnly=true&forNode=node-2");

        // Node 2 finds b unhealthy and every node has that report (1 unhealthy of 3 fresh).
        await cluster.WaitAsync(
            async () => (await cluster.Node("node-2").StatusAsync()).Backends.Single(x => x.Id == "b").LocalHealth == "Unhealthy",
            ClusterTimeouts.Condition,
            "node-2's own probe finds b unhealthy");
        await cluster.WaitAllAsync(
            s => s.Backends.Single(x => x.Id == "b") is { FreshReports: 3, UnhealthyReports: 1 },
            ClusterTimeouts.Condition,
            "every node sees node-2's unhealthy report on b");

        // Observe for several probe rounds that no node drops b (a negative check needs a window).
        var window = Stopwatch.StartNew();
        while (window.Elapsed < cluster.Options.HealthInterval * 5)
        {
            foreach (var status in await cluster.StatusesAsync())
            {
                var b = status.Backends.Single(x => x.Id == "b");
                Assert.True(b.Routable, status.NodeId + " excluded b: " + b.Reason + " (" + b.UnhealthyReports + "/" + b.FreshReports + " unhealthy)");
                Assert.Equal("Routable", b.Reason);
            }

            await Task.Delay(50);
        }

        var node2 = (await cluster.Node("node-2").StatusAsync()).Backends.Single(x => x.Id == "b");
        Assert.Equal("Unhealthy", node2.LocalHealth);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 6; i++)
        {
            var (status, backend) = await cluster.Node("node-2").GetAsync();
            Assert.Equal(200, status);
            seen.Add(backend!);
        }

        Assert.Contains("b", seen);
    }
}

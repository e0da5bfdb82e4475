namespace RaftBalancer.Node.Tests.Cluster;

[Trait("Category", "Integration")]
[Collection(ClusterTestGroup.Name)]
public sealed class GlobalLeastConnectionsTests
{
    private const int HeldOnNode2 = 6;

    [Fact]
    public async Task LeastConnections_Node2HoldsLongRequestsOnBackendA_Node1SeesReplicatedCountsAndAvoidsA()
    {
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions
        {
            Policy = "least-connections",

            // Node 2's breakers, once open, stay open for the whole test.
            Configure = (id, config) =>
            {
                if (id == "node-2")
                {
                    config["CircuitBreaker"]!["OpenTimeout"] = "00:01:00";
                }
            },
        });
        var node1 = cluster.Node("node-1");
        var node2 = cluster.Node("node-2");

        // Steer node 2 onto backend a: b and c fail node 2's traffic only, so node 2's own breakers drop them
        // (node 1 and 3 still route them: one node's complaint is not a majority).
        await cluster.Backend("b").ControlAsync("mode=fail&forNode=node-2");
        await cluster.Backend("c").ControlAsync("mode=fail&forNode=node-2");
        await cluster.WaitAsync(
            async () =>
            {
                await node2.GetAsync("/trip");
                var backends = (await node2.StatusAsync()).Backends;
                return backends.Where(b => b.Id != "a").All(b => b.Reason == "LocalBreakerOpen");
            },
            ClusterTimeouts.Condition,
            "node-2's breakers for b and c open");

        using var release = new CancellationTokenSource();
        var held = Enumerable.Range(0, HeldOnNode2).Select(_ => HoldAsync(node2, release.Token)).ToArray();
        try
        {
            await cluster.WaitAsync(
                async () => (await node2.StatusAsync()).Backends.Single(b => b.Id == "a").LocalActive == HeldOnNode2,
                ClusterTimeouts.Condition,
                "node-2 holds " + HeldOnNode2 + " requests on a");
            await cluster.WaitAsync(
                async () => (await node1.StatusAsync()).Backends.Single(b => b.Id == "a").RemoteActive == HeldOnNode2,
                ClusterTimeouts.Condition,
                "node-1 sees node-2's " + HeldOnNode2 + " active requests on a (load/node-2)");

            // All client traffic to node 1, 4 at a time, slow answers: at most 4 local in flight, fewer than a's 6 remote.
            var served = new Dictionary<string, int>(StringComparer.Ordinal);
            var workers = Enumerable.Range(0, 4).Select(async _ =>
            {
                for (var i = 0; i < 8; i++)
                {
                    var (status, backend) = await node1.GetAsync("/slow", delayMs: 100);
                    Assert.Equal(200, status);
                    lock (served)
                    {
                        served[backend!] = served.GetValueOrDefault(backend!) + 1;
                    }
                }
            });
            await Task.WhenAll(workers);

            Assert.False(served.ContainsKey("a"), "node-1 sent " + served.GetValueOrDefault("a") + " of 32 requests to a, which node-2 keeps busy");
            Assert.Equal(32, served.GetValueOrDefault("b") + served.GetValueOrDefault("c"));
            Assert.True(served.GetValueOrDefault("b") > 0 && served.GetValueOrDefault("c") > 0, "b=" + served.GetValueOrDefault("b") + " c=" + served.GetValueOrDefault("c"));
        }
        finally
        {
            await release.CancelAsync();
            await Task.WhenAll(held);
        }
    }

    private static async Task HoldAsync(ClusterNode node, CancellationToken cancellationToken)
    {
        try
        {
            await node.GetAsync("/long", delayMs: 60_000, cancellationToken: cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Released.
        }
    }
}

namespace RaftBalancer.Node.Tests.Cluster;

/// <summary>
/// docs/ARCHITECTURE.md, "Data flow": a node that has lost contact with the leader keeps forwarding with its last view and its own
/// probes, and says it is stale.
/// </summary>
[Trait("Category", "Integration")]
[Collection(ClusterTestGroup.Name)]
public sealed class StaleNodeTests
{
    [Fact]
    public async Task LostQuorum_NodeSaysStale_KeepsForwarding_ExcludesByItsOwnProbes_ThenRecovers()
    {
        await using var cluster = await TestCluster.StartAsync();
        var alone = cluster.Node("node-1");
        var others = cluster.Nodes.Where(n => n != alone).ToList();

        // Node 1 loses both peers, hence any leader and the majority.
        foreach (var node in others)
        {
            await node.StopAsync();
        }

        await cluster.WaitAsync(async () => (await alone.StatusAsync()).Stale, ClusterTimeouts.Condition, "node-1 reports stale");
        Assert.Equal(["a", "b", "c"], (await alone.StatusAsync()).Backends.Where(b => b.Routable).Select(b => b.Id).Order(StringComparer.Ordinal));
        var served = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 6; i++)
        {
            var (status, backend) = await alone.GetAsync();
            Assert.Equal(200, status);
            served.Add(backend!);
        }

        Assert.Equal(["a", "b", "c"], served.Order(StringComparer.Ordinal));

        // Its own probes still decide: the peers' reports age out, so node 1's Unhealthy report is the only fresh one.
        await cluster.Backend("b").ControlAsync("mode=fail&probeOnly=true");
        await cluster.WaitAsync(
            async () => (await alone.StatusAsync()).Backends.Where(b => b.Routable).Select(b => b.Id).Order(StringComparer.Ordinal).SequenceEqual(["a", "c"]),
            ClusterTimeouts.Condition,
            "node-1, stale, excludes b by its own probes");
        for (var i = 0; i < 6; i++)
        {
            var (status, backend) = await alone.GetAsync();
            Assert.Equal(200, status);
            Assert.NotEqual("b", backend);
        }

        Assert.True((await alone.StatusAsync()).Stale);

        // b recovers and the peers come back: one leader again, every node routes a, b and c, and none is stale.
        await cluster.Backend("b").ControlAsync("mode=ok");
        foreach (var node in others)
        {
            await node.StartAsync();
        }

        await cluster.WaitForLeaderAsync(ClusterTimeouts.Condition);
        await cluster.WaitRoutableAsync(ClusterTimeouts.Condition, "a", "b", "c");
        await cluster.WaitAllAsync(s => !s.Stale, ClusterTimeouts.Condition, "no node stale");
    }
}

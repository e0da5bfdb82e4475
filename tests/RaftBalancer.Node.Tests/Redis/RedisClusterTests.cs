namespace RaftBalancer.Node.Tests.Redis;

/// <summary>A 3-node cluster whose nodes share state through one real redis-server (<c>Node:StateStore = redis</c>).</summary>
[Trait("Category", "Integration")]
public sealed class RedisClusterTests
{
    [SkippableFact]
    public async Task ThreeNodesOnRedis_ForwardTrafficAndExcludeFailedBackendOnEveryNode()
    {
        Skip.If(RedisServer.FindExecutable(out var reason) is null, reason);
        await using var redis = await RedisServer.StartAsync();
        await using var a = await DemoBackendHost.StartAsync("a");
        await using var b = await DemoBackendHost.StartAsync("b");
        await using var c = await DemoBackendHost.StartAsync("c");
        var prefix = "rbcluster-" + Guid.NewGuid().ToString("N")[..8] + ":";
        var nodes = new List<NodeHost>();
        try
        {
            for (var i = 1; i <= 3; i++)
            {
                var config = NodeHost.Config("round-robin", (a.Id, a.Url, 1), (b.Id, b.Url, 1), (c.Id, c.Url, 1));
                config["Node"]!["Id"] = $"node-{i}";
                config["Node"]!["StateStore"] = "redis";
                config["State"] = new JsonObject { ["Redis"] = new JsonObject { ["ConnectionString"] = redis.Address, ["KeyPrefix"] = prefix } };
                nodes.Add(await NodeHost.StartAsync(config));
            }

            foreach (var node in nodes)
            {
                var status = await node.StatusAsync();
                Assert.Equal(("redis", "redis", false), (status.StateStore, status.Role, status.Stale));
                await node.WaitRoutableAsync(ClusterTimeouts.Condition, "a", "b", "c");

                // Every node's health opinions reach every other node through Redis.
                await Poll.UntilAsync(async () => (await node.StatusAsync()).Backends.All(x => x.FreshReports == 3), ClusterTimeouts.Condition, "3 fresh reports per backend");
                var served = new HashSet<string?>();
                for (var r = 0; r < 30; r++)
                {
                    var (code, backend) = await node.GetAsync();
                    Assert.Equal(200, code);
                    served.Add(backend);
                }

                Assert.Equal(["a", "b", "c"], served.Order());
            }

            await b.StopAsync();
            foreach (var node in nodes)
            {
                await node.WaitRoutableAsync(ClusterTimeouts.Condition, "a", "c");
                var verdict = (await node.StatusAsync()).Backends.Single(x => x.Id == "b");
                Assert.Equal("UnhealthyMajority", verdict.Reason);
                for (var r = 0; r < 20; r++)
                {
                    var (code, backend) = await node.GetAsync();
                    Assert.Equal(200, code);
                    Assert.NotEqual("b", backend);
                }
            }
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }
}

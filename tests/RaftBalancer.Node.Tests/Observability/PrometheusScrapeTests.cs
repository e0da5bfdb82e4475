namespace RaftBalancer.Node.Tests.Observability;

/// <summary>A real Prometheus scrapes a 3-node process cluster's ops listeners.</summary>
[Trait("Category", "Integration")]
[Collection(ClusterTestGroup.Name)]
public sealed class PrometheusScrapeTests
{
    private const int RequestsPerNode = 20;

    [Fact]
    public async Task Scrape_RequestsThroughEveryProxy_PrometheusCountsThemAndOneLeader()
    {
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { Mode = NodeMode.Process });
        await using var prometheus = await PrometheusServer.StartAsync(cluster.Nodes.Select(n => "127.0.0.1:" + n.Endpoints.OpsPort));

        // Start-up sent requests through the proxies already: count from what the nodes report now (nothing else proxies).
        var before = 0.0;
        foreach (var node in cluster.Nodes)
        {
            before += await ScrapeSumAsync(node, "raftbalancer_proxy_requests_total");
        }

        foreach (var node in cluster.Nodes)
        {
            for (var i = 0; i < RequestsPerNode; i++)
            {
                Assert.Equal(200, (await node.GetAsync("/metrics-test/" + i)).Status);
            }
        }

        var expected = before + (RequestsPerNode * cluster.Nodes.Count);
        var seen = "nothing";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var result = await prometheus.QueryAsync("sum(raftbalancer_proxy_requests_total{job=\"raftbalancer\"})");
            if (result.Count == 1 && result[0].Value == expected)
            {
                break;
            }

            var up = await prometheus.QueryAsync("up");
            seen = (result.Count == 1 ? result[0].Value.ToString(CultureInfo.InvariantCulture) : result.Count + " series")
                + "; up: " + string.Join(' ', up.Select(u => u.Labels["instance"] + "=" + u.Value.ToString(CultureInfo.InvariantCulture)));
            Assert.True(DateTime.UtcNow < deadline, "Prometheus should sum raftbalancer_proxy_requests_total to " + expected + " within 30 s; last seen " + seen + cluster.Diagnostics());
            await Task.Delay(200);
        }

        var byCode = await prometheus.QueryAsync("sum by (code) (raftbalancer_proxy_requests_total)");
        Assert.Equal("200", Assert.Single(byCode).Labels["code"]);

        // Every node is scraped and exactly one says it leads.
        await cluster.WaitAsync(
            async () =>
            {
                var all = await prometheus.QueryAsync("raftbalancer_raft_is_leader");
                return all.Count == 3 && all.Count(s => s.Value == 1) == 1;
            },
            TimeSpan.FromSeconds(20),
            "three raftbalancer_raft_is_leader series, exactly one of them 1");
        var leader = await cluster.WaitForLeaderAsync();
        var leaders = await prometheus.QueryAsync("raftbalancer_raft_is_leader == 1");
        Assert.Equal("127.0.0.1:" + leader.Endpoints.OpsPort, Assert.Single(leaders).Labels["instance"]);

        // Runtime and process metrics come from the exporter's instrumentation.
        Assert.NotEmpty(await prometheus.QueryAsync("{__name__=~\"process_.+\"}"));
        Assert.NotEmpty(await prometheus.QueryAsync("{__name__=~\"dotnet_.+\"}"));
    }

    private static async Task<double> ScrapeSumAsync(ClusterNode node, string name)
    {
        using var client = new HttpClient();
        var text = await client.GetStringAsync(node.OpsUrl + "/metrics");
        return text.Split('\n')
            .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }
}

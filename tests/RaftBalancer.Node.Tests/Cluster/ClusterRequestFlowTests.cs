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

    /// <summary>
    /// Kill a backend under load through every node: a GET whose attempt on it fails before a response is retried on
    /// another backend, so no client GET fails at any time. The one failure mode left is a node's retry budget running
    /// out, which that node counts (<c>RetriesRefused</c>); any failure beyond the nodes' refusals fails the test.
    /// </summary>
    [Fact]
    public async Task Get_BackendKilledMidLoadThroughEveryNode_FailedAttemptsRetried_NoGetFailsBeyondBudgetRefusals()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var load = GetLoad.Start(cluster.Nodes.SelectMany(n => Enumerable.Range(0, 2).Select(_ => (n.ProxyUrl, n.Id + " "))));
        TimeSpan killedAt, excludedAt;
        try
        {
            await cluster.WaitAsync(() => Task.FromResult(load.Total > 150), ClusterTimeouts.Condition, "load running");
            killedAt = load.Elapsed;
            await cluster.Backend("b").StopAsync();
            await cluster.WaitRoutableAsync(ClusterTimeouts.Condition, "a", "c");
            excludedAt = load.Elapsed;

            // Excluded for the right reason: every node's probes find it unhealthy, and so does the cluster's majority.
            await cluster.WaitAllAsync(
                s => s.Backends.Single(x => x.Id == "b") is { LocalHealth: "Unhealthy" } dead && dead.UnhealthyReports * 2 > dead.FreshReports,
                ClusterTimeouts.Condition,
                "b unhealthy on every node and by a majority of fresh reports");
            var after = load.Total;
            await cluster.WaitAsync(() => Task.FromResult(load.Total > after + 450), ClusterTimeouts.Condition, "load after the exclusion");
        }
        finally
        {
            await load.StopAsync();
        }

        var total = load.Total;
        var failures = load.Failures;
        var statuses = await cluster.StatusesAsync();
        var retries = statuses.Sum(s => s.Retries);
        var refused = statuses.Sum(s => s.RetriesRefused);
        output.WriteLine($"excluded by every node {(excludedAt - killedAt).TotalMilliseconds:0} ms after the kill; {total} GETs, {failures.Count} failed");
        foreach (var s in statuses)
        {
            var dead = s.Backends.Single(x => x.Id == "b");
            output.WriteLine($"  {s.NodeId}: {s.Retries} retries, {s.RetriesRefused} refused; b: {dead.Reason}, health {dead.LocalHealth}, {dead.UnhealthyReports}/{dead.FreshReports} unhealthy reports, breaker {dead.Breaker}");
        }

        foreach (var failure in failures.Take(10))
        {
            output.WriteLine($"  failed at {failure.At.TotalMilliseconds:0} ms: {failure.What}");
        }

        Assert.True(retries > 0, "the requests that met the dead backend were not retried");
        Assert.True(
            failures.Count <= refused,
            $"{failures.Count} GETs failed but the budgets refused only {refused} retries: " + string.Join("; ", failures.Take(5)));
        Assert.All(failures, f => Assert.EndsWith(" 502", f.What, StringComparison.Ordinal));
        Assert.All(statuses, s => Assert.Equal("Unhealthy", s.Backends.Single(x => x.Id == "b").LocalHealth));
    }
}

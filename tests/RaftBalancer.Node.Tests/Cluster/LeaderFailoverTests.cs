namespace RaftBalancer.Node.Tests.Cluster;

/// <summary>Real node processes: the Raft leader is SIGKILLed under load and restarted.</summary>
[Trait("Category", "Integration")]
[Collection(ClusterTestGroup.Name)]
public sealed class LeaderFailoverTests
{
    [Fact]
    public async Task Kill_RaftLeader_OthersForwardWithoutFailureNewLeaderElectedAndRestartedNodeRejoinsWithSameView()
    {
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { Mode = NodeMode.Process });
        var leader = await cluster.WaitForLeaderAsync();
        var others = cluster.Nodes.Where(n => n != leader).ToList();

        // Capture the settled view (every backend routable on every node): on a starved box a probe can time out
        // and briefly exclude a backend, and such a transient verdict is not what the restarted node must reproduce.
        await cluster.WaitRoutableAsync(ClusterTimeouts.Condition, cluster.BackendIds);
        var viewBefore = ViewContent.Of(await others[0].StatusAsync());

        var failures = new List<string>();
        var total = 0;
        using var stop = new CancellationTokenSource();
        var workers = others.SelectMany(n => new[] { n, n }).Select(async node =>
        {
            using var client = new HttpClient { BaseAddress = new Uri(node.ProxyUrl), Timeout = TimeSpan.FromSeconds(10) };
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.GetAsync(new Uri("/during-failover", UriKind.Relative));
                    Interlocked.Increment(ref total);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        lock (failures)
                        {
                            failures.Add(node.Id + " " + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
                        }
                    }
                }
                catch (HttpRequestException ex)
                {
                    lock (failures)
                    {
                        failures.Add(node.Id + " " + ex.Message);
                    }
                }
            }
        }).ToArray();

        try
        {
            await cluster.WaitAsync(() => Task.FromResult(Volatile.Read(ref total) > 100), ClusterTimeouts.Condition, "load running");
            await leader.KillAsync();
            var newLeader = await cluster.WaitForLeaderAsync(among: others);
            Assert.NotEqual(leader.Id, newLeader.Id);
            var afterElection = Volatile.Read(ref total);
            await cluster.WaitAsync(() => Task.FromResult(Volatile.Read(ref total) > afterElection + 100), ClusterTimeouts.Condition, "load after the election");
            await stop.CancelAsync();
            await Task.WhenAll(workers);
            Assert.True(failures.Count == 0, failures.Count + " failed requests during fail-over: " + string.Join("; ", failures.Take(5)));

            // The killed node comes back from its Raft log and converges on the same view.
            await leader.StartAsync();
            await cluster.WaitForLeaderAsync(among: cluster.Nodes);
            await cluster.WaitAsync(
                async () =>
                {
                    Assert.True(leader.IsRunning, leader.Id + " exited after its restart" + cluster.Diagnostics());
                    var views = (await Task.WhenAll(cluster.Nodes.Select(n => n.StatusAsync()))).Select(ViewContent.Of).Distinct().ToList();
                    return views.Count == 1 && views[0] == viewBefore;
                },
                ClusterTimeouts.Condition,
                "every node, the restarted one included, shows the view from before the kill: " + viewBefore);
            try
            {
                Assert.Equal(200, (await leader.GetAsync("/after-rejoin")).Status);
            }
            catch (HttpRequestException ex)
            {
                Assert.Fail(leader.Id + " does not forward after its restart (running: " + leader.IsRunning + "): " + ex.Message + cluster.Diagnostics());
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(workers);
        }
    }
}

using System.Text.Json;

namespace RaftBalancer.Node.Tests.Observability;

/// <summary>Any node's dashboard shows requests per second across the cluster, not only its own.</summary>
[Trait("Category", "Integration")]
[Collection(ClusterTestGroup.Name)]
public sealed class DashboardRatesTests
{
    [Fact]
    public async Task DashboardJson_TrafficThroughAnotherNode_ShowsAClusterRate_AndNoLocalRate()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.WaitForLeaderAsync();
        await cluster.WaitForwardingAsync();
        var sender = cluster.Nodes[0];
        var viewer = cluster.Nodes[1];
        using var stop = new CancellationTokenSource();
        var sent = 0;
        var traffic = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await sender.GetAsync("/", cancellationToken: stop.Token);
                    Interlocked.Increment(ref sent);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
                catch (HttpRequestException)
                {
                    // A refused connection while the cluster settles: keep sending.
                }
            }
        });

        try
        {
            using var ops = new HttpClient { BaseAddress = new Uri(viewer.OpsUrl), Timeout = TimeSpan.FromSeconds(10) };
            var seen = await Poll.ForAsync(
                viewer.Id + "'s dashboard showing a cluster-wide rate for the traffic sent through " + sender.Id,
                TimeSpan.FromSeconds(30),
                async token =>
                {
                    using var model = JsonDocument.Parse(await ops.GetStringAsync("/-/dashboard.json", token));
                    var rows = model.RootElement.GetProperty("backends").EnumerateArray()
                        .Select(b => (Local: b.GetProperty("requestsPerSecond").GetDouble(), Cluster: b.GetProperty("clusterRequestsPerSecond").GetDouble(), History: b.GetProperty("history").EnumerateArray().Select(h => h.GetDouble()).ToList()))
                        .ToList();
                    // The viewer forwards nothing now (its own rate falls to zero a second after the readiness checks).
                    return rows.Sum(r => r.Cluster) > 0 && rows.All(r => r.Local == 0) ? rows : null;
                });

            // The chart follows the cluster rate.
            Assert.Contains(seen, r => r.History.Count > 0 && r.History[^1] == r.Cluster && r.Cluster > 0);
        }
        finally
        {
            await stop.CancelAsync();
            await traffic;
        }

        Assert.True(Volatile.Read(ref sent) > 0);
    }
}

namespace RaftBalancer.State.Tests.Raft;

/// <summary>Gray failure: a member that answers, but slower than an election lasts.</summary>
[Trait("Category", "Integration")]
public sealed class SlowMemberElectionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task LeaderStops_HealthyMajorityElects_ThoughOneMemberAnswersSlowerThanAnElection()
    {
        // Five members: with the leader gone, the three healthy followers are a majority without the slow one.
        await using var cluster = await RaftTestCluster.StartAsync(size: 5, chaos: true);
        var leader = await cluster.WaitForLeaderAsync();
        var followers = Enumerable.Range(0, 5).Where(i => i != leader).ToArray();
        var (healthy, slow) = (followers[0], followers[3]);
        await cluster[leader].SetAsync("before", new byte[] { 1 });

        // Everything the slow member sends, and everything sent to it, waits 700 ms: more than the election timeout
        // (150-300 ms), less than the request timeout (2 s). Its answers arrive, late.
        for (var other = 0; other < 5; other++)
        {
            if (other != slow)
            {
                cluster.Faults(slow).Set(cluster.Members[other].Id, new LinkFault(LinkMode.Delay, 700));
                cluster.Faults(other).Set(cluster.Members[slow].Id, new LinkFault(LinkMode.Delay, 700));
            }
        }

        var stopwatch = Stopwatch.StartNew();
        await cluster.StopNodeAsync(leader);
        // The slow member itself cannot follow (heartbeats reach it later than its election timeout); the others can.
        var elected = await cluster.WaitForLeaderAsync(among: [.. followers.Where(i => i != slow)]);
        output.WriteLine($"new leader {cluster.Members[elected].Id} after {stopwatch.ElapsedMilliseconds} ms; the slow member sees {cluster[slow].LeaderId ?? "no leader"}");
        await cluster[healthy].SetAsync("after", new byte[] { 2 });
        Assert.NotEqual(slow, elected);
        Assert.NotNull(await cluster[healthy].GetAsync("before", ReadConsistency.Linearizable));
    }
}

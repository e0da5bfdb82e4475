namespace RaftBalancer.State.Tests.Raft.WalStress;

/// <summary>Sustained writes through the leader and a follower with frequent snapshots: the load that hit issue #12.</summary>
/// <remarks>
/// Snapshots every 64 entries make the leader compact past a lagging follower again and again, so followers install
/// snapshots while their WAL flusher runs — the window of DotNext's flush race (see <see cref="FollowerLogStress"/>).
/// The run lasts <c>RAFTBALANCER_WAL_STRESS_SECONDS</c> (default 60). A node whose log faults must refuse to serve
/// with <see cref="StateStoreUnavailableException"/>, never hand out DotNext's raw exception, and the rest of the
/// cluster must keep committing, and the node must recover by itself and converge. With
/// <see cref="WalFlushPositionFix"/> active no log may fault at all: the test asserts zero faults.
/// </remarks>
public sealed class RaftStoreWalStressTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Integration")]
    public async Task SetAsync_SustainedWritesWithSnapshotsOnLeaderAndFollower_NoNodeServesFromADamagedLogAndFaultedNodesRecover()
    {
        var duration = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("RAFTBALANCER_WAL_STRESS_SECONDS"), CultureInfo.InvariantCulture, out var s) ? s : 60);
        await using var cluster = await RaftTestCluster.StartAsync(3, o => o.SnapshotInterval = 64);
        var leader = await cluster.WaitForLeaderAsync();
        var follower = Enumerable.Range(0, 3).First(i => i != leader);
        long written = 0, refused = 0, fencedRefusals = 0;
        var foreign = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var clock = Stopwatch.StartNew();
        var value = new byte[64];

        async Task WriterAsync(int node, int writer)
        {
            var store = cluster[node];
            for (var n = 0; clock.Elapsed < duration; n++)
            {
                try
                {
                    await store.SetAsync($"stress/{node}/{writer}/{n % 500}", value);
                    Interlocked.Increment(ref written);
                }
                catch (StateStoreUnavailableException)
                {
                    Interlocked.Increment(ref refused);
                    if (store.LogFault is not null)
                    {
                        // A fenced node refuses at once: check it does not serve a local read either, then wait for it.
                        Interlocked.Increment(ref fencedRefusals);
                        try
                        {
                            await store.GetAsync("stress/0/0/0");
                            if (store.LogFault is not null)
                            {
                                foreign.Enqueue(new InvalidOperationException($"{store.NodeId} served a read while its log was damaged"));
                            }
                        }
                        catch (StateStoreUnavailableException)
                        {
                        }

                        await RaftTestCluster.EventuallyAsync(() => Task.FromResult(store.LogFault is null), $"{store.NodeId} recovers from its log fault");
                    }
                }
                catch (Exception e)
                {
                    foreign.Enqueue(e);
                    return;
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 8).SelectMany(w => new[] { WriterAsync(leader, w), WriterAsync(follower, w) }));
        await RaftTestCluster.EventuallyAsync(() => Task.FromResult(cluster.Running.All(n => n.LogFault is null)), "every faulted node recovers");
        var recoveries = cluster.Running.Sum(n => n.LogRecoveries);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s, {written} writes acknowledged, {refused} refused ({fencedRefusals} by a fenced node), WAL faults recovered: {recoveries} ({string.Join(", ", cluster.Running.Select(n => $"{n.NodeId}: {n.LogRecoveries}"))}), "
            + $"snapshot installs that moved the WAL flusher: {string.Join(", ", cluster.Running.Select(n => $"{n.NodeId}: {n.WalFlushPositionAdvances}"))}");
        Assert.Empty(foreign);

        // Every node, recovered or not, converges on the same state.
        await cluster[leader].SetAsync("stress/final", value);
        var leaderIndex = await cluster.WaitForLeaderAsync();
        await RaftTestCluster.EventuallyAsync(
            async () =>
            {
                var revisions = cluster.Running.Select(n => n.Revision).Distinct().ToList();
                return revisions.Count == 1 && await cluster[leaderIndex].GetAsync("stress/final") is not null
                    && (await Task.WhenAll(cluster.Running.Select(async n => await n.GetAsync("stress/final") is not null))).All(x => x);
            },
            "every node applies the last write and reaches the leader's revision");

        // With the flush-position fix in place the race cannot happen: no node's log may fault at all.
        Assert.True(WalFlushPositionFix.IsAvailable, WalFlushPositionFix.UnavailableReason);
        Assert.Equal(0, recoveries);
        Assert.Equal(0, fencedRefusals);
    }
}

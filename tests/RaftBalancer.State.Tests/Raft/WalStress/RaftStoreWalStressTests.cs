using System.Diagnostics;
using System.Globalization;
using RaftBalancer.State.Raft;
using Xunit.Abstractions;

namespace RaftBalancer.State.Tests.Raft.WalStress;

/// <summary>Sustained writes through the leader and a follower with frequent snapshots: the load that hit issue #12.</summary>
/// <remarks>
/// Snapshots every 64 entries make the leader compact past a lagging follower again and again, so followers install
/// snapshots while their WAL flusher runs — the window of DotNext's flush race (see <see cref="FollowerLogStress"/>).
/// The run lasts <c>RAFTBALANCER_WAL_STRESS_SECONDS</c> (default 60). A node whose log faults must refuse to serve
/// with <see cref="StateStoreUnavailableException"/>, never hand out DotNext's raw exception, and the rest of the
/// cluster must keep committing.
/// </remarks>
public sealed class RaftStoreWalStressTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Integration")]
    public async Task SetAsync_SustainedWritesWithSnapshotsOnLeaderAndFollower_NoNodeServesFromADamagedLog()
    {
        var duration = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("RAFTBALANCER_WAL_STRESS_SECONDS"), CultureInfo.InvariantCulture, out var s) ? s : 60);
        await using var cluster = await RaftTestCluster.StartAsync(3, o => o.SnapshotInterval = 64);
        var leader = await cluster.WaitForLeaderAsync();
        var follower = Enumerable.Range(0, 3).First(i => i != leader);
        long written = 0, refused = 0;
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
                        return;
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
        var faulted = cluster.Running.Where(n => n.LogFault is not null).ToList();
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s, {written} writes acknowledged, {refused} refused, WAL faults: {faulted.Count} ({string.Join("; ", faulted.Select(n => $"{n.NodeId}: {n.LogFault!.Message}"))})");

        Assert.Empty(foreign);
        foreach (var node in faulted)
        {
            await Assert.ThrowsAsync<StateStoreUnavailableException>(async () => await node.GetAsync("stress/0/0/0"));
            await Assert.ThrowsAsync<StateStoreUnavailableException>(async () => await node.SetAsync("stress/after", value));
        }

        // With at most one node fenced, the other two still commit.
        Assert.True(faulted.Count <= 1, $"{faulted.Count} nodes faulted");
        var healthy = cluster.Running.Where(n => n.LogFault is null).ToList();
        await RaftTestCluster.EventuallyAsync(
            async () =>
            {
                try
                {
                    await healthy[0].SetAsync("stress/final", value);
                    return true;
                }
                catch (StateStoreUnavailableException)
                {
                    return false;
                }
            },
            "a healthy node commits after the run");
    }
}

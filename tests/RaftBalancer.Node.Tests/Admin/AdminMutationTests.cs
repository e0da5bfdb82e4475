using static RaftBalancer.Node.Tests.Admin.AdminTestKit;

namespace RaftBalancer.Node.Tests.Admin;

[Trait("Category", "Integration")]
[Collection(AdminClusterGroup.Name)]
public sealed class AdminMutationTests(AdminCluster cluster)
{
    [Fact]
    public async Task BackendsAdd_OnFollower_ListedOnEveryNodeAndServedThroughEveryProxy_RemoveStopsIt()
    {
        var follower = await cluster.FollowerAsync();
        var add = await RbctlOn(follower, "backends", "add", "--id", "c-add", "--url", cluster.C.Url, "--weight", "1");
        Assert.True(add.ExitCode == 0, add.ToString());
        var json = add.Json();
        Assert.Equal("c-add", json.GetProperty("backend").GetProperty("id").GetString());
        Assert.True(json.GetProperty("view_version").GetInt64() > 0);
        Assert.True(json.GetProperty("log_index").GetInt64() > 0);
        Assert.Contains("c-add", follower.Views.Current.Backends.Select(s => s.Id)); // answered once the follower's own view has it

        foreach (var node in cluster.Nodes)
        {
            Assert.Contains("c-add", await ListIdsAsync(node));
            await Poll.UntilAsync(async () => (await node.GetAsync()).Backend == "c-add", AdminCluster.Deadline, node.Id + " forwards to c-add");
        }

        var remove = await RbctlOn(follower, "backends", "remove", "--id", "c-add");
        Assert.True(remove.ExitCode == 0, remove.ToString());
        foreach (var node in cluster.Nodes)
        {
            Assert.DoesNotContain("c-add", await ListIdsAsync(node));
            var split = await SplitAsync(node, 12);
            Assert.False(split.ContainsKey("c-add"), node.Id + " still routes to c-add");
        }
    }

    [Fact]
    public async Task BackendsSetWeight_OnFollower_ChangesTheSplitThroughTheProxy()
    {
        var (follower, entry) = await AddCThroughFollowerAsync("c-weight");
        try
        {
            var before = await SplitAsync(entry, 60);
            Assert.InRange(before.GetValueOrDefault("c-weight"), 15, 25); // 1 of 3

            var set = await RbctlOn(follower, "backends", "set-weight", "--id", "c-weight", "--weight", "4");
            Assert.True(set.ExitCode == 0, set.ToString());
            Assert.Equal(4, set.Json().GetProperty("backend").GetProperty("weight").GetInt32());
            await Poll.UntilAsync(() => entry.Views.Current.Routing.Routable.Any(b => b.Id == "c-weight" && b.Weight == 4), AdminCluster.Deadline, "weight 4 on node-1");
            var after = await SplitAsync(entry, 60);
            Assert.InRange(after.GetValueOrDefault("c-weight"), 35, 45); // 4 of 6
        }
        finally
        {
            await RbctlOn(follower, "backends", "remove", "--id", "c-weight");
        }
    }

    [Fact]
    public async Task BackendsDrain_InFlightRequestsFinish_NoNewRequests_DrainedOnceIdle()
    {
        var (follower, entry) = await AddCThroughFollowerAsync("c-drain");
        try
        {

            // Six slow requests over a, b and c-drain (weights 1:1:1): two of them are held open by c-drain.
            var slow = Enumerable.Range(0, 6).Select(_ => entry.GetAsync("/slow", delayMs: 4000)).ToList();
            await Poll.UntilAsync(
                async () => (await entry.Client.ListBackendsAsync(new())).Backends.Single(b => b.Config.Id == "c-drain").ActiveTotal > 0,
                AdminCluster.Deadline,
                "c-drain has requests in flight");

            var drain = await RbctlOn(follower, "backends", "drain", "--id", "c-drain");
            Assert.True(drain.ExitCode == 0, drain.ToString());
            Assert.True(drain.Json().GetProperty("backend").GetProperty("draining").GetBoolean());

            var listed = (await entry.Client.ListBackendsAsync(new() { Consistency = Contracts.V1.Consistency.Linearizable })).Backends.Single(b => b.Config.Id == "c-drain");
            Assert.False(listed.Verdict.Routable);
            Assert.Equal(Contracts.V1.VerdictReason.Draining, listed.Verdict.Reason);
            Assert.StartsWith("draining", listed.Verdict.Detail, StringComparison.Ordinal);
            foreach (var node in cluster.Nodes)
            {
                await Poll.UntilAsync(() => node.Views.Current.Backends.Any(s => s.Id == "c-drain" && s.Definition.Draining), AdminCluster.Deadline, node.Id + " sees the drain");
                Assert.False((await SplitAsync(node, 9)).ContainsKey("c-drain"), node.Id + " sent a new request to a draining backend");
            }

            var results = await Task.WhenAll(slow);
            Assert.All(results, r => Assert.Equal(200, r.Status));
            Assert.Contains(results, r => r.Backend == "c-drain");

            await Poll.UntilAsync(
                async () => (await entry.Client.ListBackendsAsync(new())).Backends.Single(b => b.Config.Id == "c-drain") is { ActiveTotal: 0 } b && b.Verdict.Detail.StartsWith("drained", StringComparison.Ordinal),
                AdminCluster.Deadline,
                "c-drain reported drained");

            var undrain = await RbctlOn(follower, "backends", "undrain", "--id", "c-drain");
            Assert.True(undrain.ExitCode == 0, undrain.ToString());
            await Poll.UntilAsync(async () => (await entry.GetAsync()).Backend == "c-drain", AdminCluster.Deadline, "c-drain serves again");
        }
        finally
        {
            await RbctlOn(follower, "backends", "remove", "--id", "c-drain");
        }
    }

    /// <summary>
    /// Adds backend <paramref name="id"/> (cluster.C's URL, weight 1) through a follower and waits until node-1 routes it;
    /// removes it again if that wait fails. The caller removes it when done.
    /// </summary>
    private async Task<(ClusterMemberNode Follower, ClusterMemberNode Entry)> AddCThroughFollowerAsync(string id)
    {
        var follower = await cluster.FollowerAsync();
        var entry = cluster.Nodes[0];
        Assert.Equal(0, (await RbctlOn(follower, "backends", "add", "--id", id, "--url", cluster.C.Url, "--weight", "1")).ExitCode);
        try
        {
            await Poll.UntilAsync(() => entry.Views.Current.Routing.Routable.Any(b => b.Id == id), AdminCluster.Deadline, id + " routable on node-1");
        }
        catch
        {
            await RbctlOn(follower, "backends", "remove", "--id", id);
            throw;
        }

        return (follower, entry);
    }
}

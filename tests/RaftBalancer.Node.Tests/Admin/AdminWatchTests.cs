using static RaftBalancer.Node.Tests.Admin.AdminTestKit;

namespace RaftBalancer.Node.Tests.Admin;

[Trait("Category", "Integration")]
[Collection(AdminClusterGroup.Name)]
public sealed class AdminWatchTests(AdminCluster cluster)
{
    [Fact]
    public async Task Watch_OnNode3_ReceivesEveryViewProducedByMutationsOnNode1_InOrder()
    {
        var node1 = cluster.Nodes[0];
        var node3 = cluster.Nodes[2];
        Assert.Equal(0, (await RbctlOn(node1, "backends", "add", "--id", "c-watch", "--url", cluster.C.Url, "--weight", "1")).ExitCode);
        try
        {
            await Poll.UntilAsync(() => node3.Views.Current.Routing.Routable.Any(b => b.Id == "c-watch"), AdminCluster.Deadline, "c-watch on node-3");
            using var stop = new CancellationTokenSource();
            var output = new CapturingWriter();
            var watch = Rbctl.RunAsync(Args(node3, "watch"), environment: null, stop.Token, output);
            await Poll.UntilAsync(() => output.Lines().Count >= 1, AdminCluster.Deadline, "the current view first");

            var weights = new[] { 2, 3, 4, 5, 6, 7 };
            var expected = weights.Select(w => ContentHash(
                "weighted-round-robin",
                ("a", cluster.A.Url, 1),
                ("b", cluster.B.Url, 1),
                ("c-watch", cluster.C.Url, w))).ToList();
            foreach (var weight in weights)
            {
                var set = await RbctlOn(node1, "backends", "set-weight", "--id", "c-watch", "--weight", weight.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Assert.True(set.ExitCode == 0, set.ToString());
            }

            await Poll.UntilAsync(() => Hashes(output).Contains(expected[^1]), AdminCluster.Deadline, "the last mutation's view on node-3");
            await stop.CancelAsync();
            Assert.Equal(0, (await watch).ExitCode);

            var updates = output.Lines().Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.All(updates, u => Assert.Equal("node-3", u.GetProperty("node_id").GetString()));
            var versions = updates.Select(u => u.GetProperty("version").GetInt64()).ToList();
            // One message per view version: consecutive numbers from the current view on, so none is missing.
            Assert.Equal(Enumerable.Range(0, versions.Count).Select(i => versions[0] + i), versions);

            // Every mutation's routing content shows up, in mutation order, none missing.
            var seen = Hashes(output).Where(expected.Contains).Distinct().ToList();
            Assert.Equal(expected, seen);
        }
        finally
        {
            await RbctlOn(node1, "backends", "remove", "--id", "c-watch");
        }
    }

    private static List<string> Hashes(CapturingWriter output) =>
        [.. output.Lines().Select(l => JsonDocument.Parse(l).RootElement.GetProperty("content_hash").GetString()!)];
}

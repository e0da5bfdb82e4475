namespace RaftBalancer.Node.Tests.Hosting;

/// <summary>A production node ships no fault injection: no <c>/-/chaos</c> route and no switch that turns one on.</summary>
/// <remarks>The fault gate and its routes live in the chaos harness's own node host (<c>chaos/RaftBalancer.Chaos.Node</c>).</remarks>
[Trait("Category", "Integration")]
public sealed class FaultSurfaceTests
{
    [Fact]
    public async Task NodeProcess_WithEveryFormerChaosSwitchOn_AnswersNotFoundOnChaosRoutes()
    {
        var root = Directory.CreateTempSubdirectory("rb-faults-").FullName;
        try
        {
            // A Raft node (the store the former fault seam lived in), alone: its peers need not run for its ports to answer.
            var members = NodeEndpoints.Allocate(3);
            var self = members[0];
            var dataDir = Path.Combine(root, "data");
            var config = ClusterConfig.Build(new TestClusterOptions { Mode = NodeMode.Process }, members, self, dataDir, [("b1", "http://127.0.0.1:9")]);
            config["Chaos"] = new JsonObject { ["Enabled"] = true, ["AckBeforeCommit"] = true };
            var configPath = Path.Combine(root, "node.json");
            await File.WriteAllTextAsync(configPath, config.ToJsonString());
            var environment = new Dictionary<string, string>
            {
                ["RAFTBALANCER_CHAOS"] = "1",
                ["RAFTBALANCER_Chaos__Enabled"] = "true",
            };

            await using var node = new ProcessClusterNode(self, configPath, dataDir, environment);
            await node.StartAsync();

            foreach (var path in new[] { "/-/chaos/raft", "/-/chaos/kv?prefix=chaos/", "/-/chaos/kv/reg" })
            {
                using var response = await node.Admin.GetAsync(new Uri(path, UriKind.Relative));
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"GET {path}: {(int)response.StatusCode}, expected 404");
            }

            // The admin port answers any other method on a path it does not serve with 405: nothing there changes a link.
            foreach (var (method, path) in new[] { (HttpMethod.Post, "/-/chaos/links"), (HttpMethod.Post, "/-/chaos/heal"), (HttpMethod.Post, "/-/chaos/ack-before-commit?enabled=true"), (HttpMethod.Put, "/-/chaos/kv/reg") })
            {
                using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative))
                {
                    Version = HttpVersion.Version20,
                    VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                    Content = new StringContent("""{"to":"node-2","mode":"drop","delayMs":0}"""),
                };
                using var response = await node.Admin.SendAsync(request);
                Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"{method} {path}: {(int)response.StatusCode}, expected 404 or 405");
            }

            Assert.True(node.IsRunning, "the node must still run:\n" + node.RecentOutput);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

namespace RaftBalancer.Node.Tests.Redis;

/// <summary>A node configured with <c>StateStore = redis</c> whose Redis is unreachable gives up after a bounded retry, naming the address.</summary>
[Trait("Category", "Unit")]
public sealed class RedisNodeStartupTests
{
    [Fact]
    public async Task BuildAsync_RedisUnreachable_FailsAfterBoundedRetryNamingTheAddress()
    {
        var address = "127.0.0.1:" + FreePorts.Next();
        var config = NodeHost.Config("round-robin");
        config["Node"]!["StateStore"] = "redis";
        config["State"] = new JsonObject { ["Redis"] = new JsonObject { ["ConnectionString"] = address, ["StartupTimeout"] = "00:00:01.500" } };
        var directory = Directory.CreateTempSubdirectory("rb-node-").FullName;
        try
        {
            var path = Path.Combine(directory, "node.json");
            await File.WriteAllTextAsync(path, config.ToJsonString());
            var error = await Assert.ThrowsAsync<StateStoreUnavailableException>(async () => await NodeApp.BuildAsync(["--config", path]));
            Assert.Contains(address, error.Message, StringComparison.Ordinal);
            Assert.Contains("unreachable", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

using Grpc.Health.V1;
using RaftBalancer.Contracts.V1;

namespace RaftBalancer.Node.Tests.Admin;

/// <summary>Single nodes: token configuration (none, reads required) and the health service before a view exists.</summary>
[Trait("Category", "Integration")]
public sealed class AdminNodeTests
{
    [Fact]
    public async Task Mutation_NoTokenConfigured_FailedPreconditionSayingHowToSetOne_ReadsStillWork()
    {
        await using var node = await NodeHost.StartAsync(NodeHost.Config("round-robin", ("a", "http://127.0.0.1:9", 1)));
        using var channel = GrpcChannel.ForAddress(node.AdminUrl);
        var client = new RaftBalancer.Contracts.V1.Admin.AdminClient(channel);
        var headers = new Metadata { { "authorization", "Bearer some-token-nobody-configured" } };

        var refused = await Assert.ThrowsAsync<RpcException>(() => client.SetPolicyAsync(new SetPolicyRequest { Policy = "least-connections" }, headers).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("RAFTBALANCER_ADMIN_TOKEN", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("a", Assert.Single((await client.ListBackendsAsync(new ListBackendsRequest())).Backends).Config.Id);

        // The JSON status endpoint is still on the admin port, over HTTP/2.
        Assert.Equal("node-1", (await node.StatusAsync()).NodeId);
    }

    [Fact]
    public async Task Read_RequireTokenForReads_MissingOrWrongUnauthenticated_RightAnswers()
    {
        var config = NodeHost.Config("round-robin", ("a", "http://127.0.0.1:9", 1));
        config["Admin"] = new JsonObject { ["Token"] = AdminCluster.Token, ["RequireTokenForReads"] = true };
        await using var node = await NodeHost.StartAsync(config);
        using var channel = GrpcChannel.ForAddress(node.AdminUrl);
        var client = new RaftBalancer.Contracts.V1.Admin.AdminClient(channel);

        var missing = await Assert.ThrowsAsync<RpcException>(() => client.GetClusterStatusAsync(new GetClusterStatusRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
        var wrong = await Assert.ThrowsAsync<RpcException>(() => client.ListBackendsAsync(new ListBackendsRequest(), new Metadata { { "authorization", "Bearer wrong-token-wrong-token" } }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        var status = await client.GetClusterStatusAsync(new GetClusterStatusRequest(), new Metadata { { "authorization", "Bearer " + AdminCluster.Token } });
        Assert.Equal("node-1", status.NodeId);

        // Health stays open to probes.
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task Token_EnvironmentVariableSet_WinsOverTheConfigFile()
    {
        // A real process: the variable must reach the node through its environment, and setting it in this process would
        // leak into every other in-process node the tests start in parallel.
        var endpoints = new NodeEndpoints("node-1", ClusterPorts.Next(), ClusterPorts.Next(), ClusterPorts.Next(), ClusterPorts.Next(), ClusterPorts.Next());
        var config = NodeHost.Config("round-robin", ("a", "http://127.0.0.1:9", 1));
        config["Node"]!["ProxyUrl"] = endpoints.ProxyUrl;
        config["Node"]!["AdminUrl"] = endpoints.AdminUrl;
        config["Admin"] = new JsonObject { ["Token"] = "token-from-the-config-file" };
        var directory = Directory.CreateTempSubdirectory("rb-admin-env-").FullName;
        try
        {
            var path = Path.Combine(directory, "node.json");
            await File.WriteAllTextAsync(path, config.ToJsonString());
            await using var node = new ProcessClusterNode(
                endpoints,
                path,
                Path.Combine(directory, "data"),
                new Dictionary<string, string> { [AdminOptions.TokenEnvironmentVariable] = "token-from-the-environment" });
            await node.StartAsync();
            try
            {
                using var channel = GrpcChannel.ForAddress(node.AdminUrl);
                var client = new RaftBalancer.Contracts.V1.Admin.AdminClient(channel);
                var request = new SetPolicyRequest { Policy = "least-connections" };

                var fileToken = await Assert.ThrowsAsync<RpcException>(() => client.SetPolicyAsync(request, new Metadata { { "authorization", "Bearer token-from-the-config-file" } }).ResponseAsync);
                Assert.Equal(StatusCode.Unauthenticated, fileToken.StatusCode);
                Assert.Equal("round-robin", (await node.StatusAsync()).Policy);

                var accepted = await client.SetPolicyAsync(request, new Metadata { { "authorization", "Bearer token-from-the-environment" } });
                Assert.Equal("least-connections", accepted.Policy);
            }
            finally
            {
                await node.KillAsync();
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Health_RaftNodeWithoutQuorum_NotServingUntilItHasAView()
    {
        var directory = Directory.CreateTempSubdirectory("rb-admin-alone-").FullName;
        var members = new JsonArray();
        for (var i = 1; i <= 3; i++)
        {
            members.Add(new JsonObject { ["Id"] = "node-" + i, ["RaftUrl"] = "http://127.0.0.1:" + FreePorts.Next(), ["ForwardUrl"] = "http://127.0.0.1:" + FreePorts.Next() });
        }

        var adminUrl = "http://127.0.0.1:" + FreePorts.Next();
        var config = new JsonObject
        {
            ["Node"] = new JsonObject
            {
                ["Id"] = "node-1",
                ["ProxyUrl"] = "http://127.0.0.1:" + FreePorts.Next(),
                ["AdminUrl"] = adminUrl,
                ["DataDir"] = Path.Combine(directory, "data"),
                ["Members"] = members,
            },
            ["Admin"] = new JsonObject { ["Token"] = AdminCluster.Token },
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Warning" } },
        };
        var path = Path.Combine(directory, "node.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());
        var app = await NodeApp.BuildAsync(["--config", path]);
        try
        {
            await app.StartAsync();
            using var channel = GrpcChannel.ForAddress(adminUrl);
            var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, health.Status);

            // Without a quorum a linearizable read answers UNAVAILABLE (so rbctl moves on to another node).
            var client = new RaftBalancer.Contracts.V1.Admin.AdminClient(channel);
            var unavailable = await Assert.ThrowsAsync<RpcException>(() => client.GetClusterStatusAsync(new GetClusterStatusRequest { Consistency = Consistency.Linearizable }, deadline: DateTime.UtcNow.AddSeconds(20)).ResponseAsync);
            Assert.Equal(StatusCode.Unavailable, unavailable.StatusCode);
        }
        finally
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await app.StopAsync(cts.Token);
            await app.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
    }
}

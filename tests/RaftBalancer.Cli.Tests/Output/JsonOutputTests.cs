namespace RaftBalancer.Cli.Tests.Output;

/// <summary>Every command's <c>--output json</c> object carries the fields README.md documents.</summary>
[Trait("Category", "Integration")]
public sealed class JsonOutputTests
{
    [Fact]
    public async Task Status_Json_HasDocumentedFields()
    {
        await using var server = await TestAdminServer.StartAsync();

        var json = await RunJsonAsync(server, "status");

        Assert.Equal("status", json.GetProperty("command").GetString());
        Assert.Equal("n1", json.GetProperty("node_id").GetString());
        Assert.Equal("n1", json.GetProperty("leader_node_id").GetString());
        Assert.Equal(3, json.GetProperty("term").GetInt64());
        Assert.Equal(42, json.GetProperty("commit_index").GetInt64());
        Assert.Equal(17, json.GetProperty("view_version").GetInt64());
        Assert.Equal("round-robin", json.GetProperty("policy").GetString());

        var members = json.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(3, members.Count);
        Assert.Equal("leader", members[0].GetProperty("role").GetString());
        Assert.True(members[0].GetProperty("self").GetBoolean());
        Assert.Equal(JsonValueKind.Null, members[0].GetProperty("last_contact").ValueKind);

        Assert.Equal("follower", members[1].GetProperty("role").GetString());
        Assert.Equal("http://127.0.0.1:7202", members[1].GetProperty("raft_address").GetString());
        Assert.Equal("http://127.0.0.1:7102", members[1].GetProperty("admin_address").GetString());
        Assert.Equal("2025-01-02T03:04:05.000Z", members[1].GetProperty("last_contact").GetString());
        Assert.Equal(12, members[1].GetProperty("last_contact_ms_ago").GetInt64());
        Assert.Equal(40, members[1].GetProperty("applied_index").GetInt64());
        Assert.Equal(41, members[1].GetProperty("commit_index").GetInt64());
        Assert.Equal(2, members[1].GetProperty("lag").GetInt64());
        Assert.Equal(3, members[1].GetProperty("term").GetInt64());
        Assert.False(members[1].GetProperty("stale").GetBoolean());

        Assert.Equal("unknown", members[2].GetProperty("role").GetString());
        Assert.True(members[2].GetProperty("stale").GetBoolean());
        Assert.Equal(JsonValueKind.Null, members[2].GetProperty("lag").ValueKind);
        Assert.Equal(JsonValueKind.Null, members[2].GetProperty("applied_index").ValueKind);
    }

    [Fact]
    public async Task Status_NoLeader_LeaderIsNull()
    {
        await using var server = await TestAdminServer.StartAsync();
        server.Service.ClusterStatus.LeaderNodeId = string.Empty;

        var json = await RunJsonAsync(server, "status");

        Assert.Equal(JsonValueKind.Null, json.GetProperty("leader_node_id").ValueKind);
    }

    [Fact]
    public async Task BackendsList_Json_HasDocumentedFields()
    {
        await using var server = await TestAdminServer.StartAsync();

        var json = await RunJsonAsync(server, "backends", "list");

        Assert.Equal("backends list", json.GetProperty("command").GetString());
        Assert.Equal("n1", json.GetProperty("node_id").GetString());
        Assert.Equal(17, json.GetProperty("view_version").GetInt64());
        Assert.Equal("least-connections", json.GetProperty("policy").GetString());
        var backends = json.GetProperty("backends").EnumerateArray().ToList();
        Assert.Equal(2, backends.Count);

        var b1 = backends[0];
        Assert.Equal("b1", b1.GetProperty("id").GetString());
        Assert.Equal("http://10.0.0.5:8080", b1.GetProperty("url").GetString());
        Assert.Equal(3, b1.GetProperty("weight").GetInt32());
        Assert.False(b1.GetProperty("draining").GetBoolean());
        Assert.Equal("a", b1.GetProperty("metadata").GetProperty("zone").GetString());
        Assert.True(b1.GetProperty("routable").GetBoolean());
        Assert.Equal("routable", b1.GetProperty("verdict_reason").GetString());
        Assert.Equal(5, b1.GetProperty("active_total").GetInt64());
        Assert.Equal(2, b1.GetProperty("active_by_node").GetProperty("n1").GetInt64());
        Assert.Equal(3, b1.GetProperty("active_by_node").GetProperty("n2").GetInt64());
        Assert.Equal("closed", b1.GetProperty("breaker").GetString());
        var health = b1.GetProperty("health").EnumerateArray().First();
        Assert.Equal("n1", health.GetProperty("node_id").GetString());
        Assert.Equal("healthy", health.GetProperty("state").GetString());
        Assert.Equal("2025-01-02T03:04:05.000Z", health.GetProperty("since").GetString());
        Assert.Equal("2 consecutive successes", health.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, health.GetProperty("retry_after").ValueKind);

        var b2 = backends[1];
        Assert.True(b2.GetProperty("draining").GetBoolean());
        Assert.False(b2.GetProperty("routable").GetBoolean());
        Assert.Equal("rate-limited", b2.GetProperty("verdict_reason").GetString());
        Assert.Equal("429 until 03:05", b2.GetProperty("verdict_detail").GetString());
        Assert.Equal("half-open", b2.GetProperty("breaker").GetString());
        var limited = Assert.Single(b2.GetProperty("health").EnumerateArray());
        Assert.Equal("rate-limited", limited.GetProperty("state").GetString());
        Assert.Equal("2025-01-02T03:05:05.000Z", limited.GetProperty("retry_after").GetString());
        Assert.True(limited.GetProperty("stale").GetBoolean());
    }

    [Theory]
    [InlineData("backends add", "b1", true, new[] { "backends", "add", "--id", "b1", "--url", "http://10.0.0.5:8080", "--weight", "2", "-m", "zone=a" })]
    [InlineData("backends remove", "b1", false, new[] { "backends", "remove", "--id", "b1" })]
    [InlineData("backends set-weight", "b1", true, new[] { "backends", "set-weight", "--id", "b1", "--weight", "7" })]
    [InlineData("backends drain", "b1", true, new[] { "backends", "drain", "--id", "b1" })]
    [InlineData("backends undrain", "b1", true, new[] { "backends", "undrain", "--id", "b1" })]
    public async Task BackendMutation_Json_HasDocumentedFields(string command, string id, bool hasBackend, string[] args)
    {
        await using var server = await TestAdminServer.StartAsync();

        var json = await RunJsonAsync(server, args);

        Assert.Equal(command, json.GetProperty("command").GetString());
        Assert.Equal(server.Address, json.GetProperty("node").GetString());
        Assert.Equal(id, json.GetProperty("id").GetString());
        AssertWriteResult(json);
        var backend = json.GetProperty("backend");
        if (hasBackend)
        {
            Assert.Equal(id, backend.GetProperty("id").GetString());
            Assert.Equal(JsonValueKind.String, backend.GetProperty("url").ValueKind);
            Assert.Equal(JsonValueKind.Number, backend.GetProperty("weight").ValueKind);
            Assert.True(backend.GetProperty("draining").ValueKind is JsonValueKind.True or JsonValueKind.False);
            Assert.Equal(JsonValueKind.Object, backend.GetProperty("metadata").ValueKind);
        }
        else
        {
            Assert.Equal(JsonValueKind.Null, backend.ValueKind);
        }
    }

    [Fact]
    public async Task BackendsAdd_Json_EchoesStoredBackend()
    {
        await using var server = await TestAdminServer.StartAsync();

        var json = await RunJsonAsync(server, "backends", "add", "--id", "b9", "--url", "http://10.0.0.9:80", "--weight", "4", "-m", "zone=b");

        var backend = json.GetProperty("backend");
        Assert.Equal("http://10.0.0.9:80", backend.GetProperty("url").GetString());
        Assert.Equal(4, backend.GetProperty("weight").GetInt32());
        Assert.Equal("b", backend.GetProperty("metadata").GetProperty("zone").GetString());
    }

    [Fact]
    public async Task PolicySet_Json_HasDocumentedFields()
    {
        await using var server = await TestAdminServer.StartAsync();

        var json = await RunJsonAsync(server, "policy", "set", "--policy", "weighted-round-robin");

        Assert.Equal("policy set", json.GetProperty("command").GetString());
        Assert.Equal("weighted-round-robin", json.GetProperty("policy").GetString());
        AssertWriteResult(json);
    }

    private static void AssertWriteResult(JsonElement json)
    {
        Assert.Equal(18, json.GetProperty("view_version").GetInt64());
        Assert.Equal(43, json.GetProperty("config_revision").GetInt64());
        Assert.Equal(57, json.GetProperty("log_index").GetInt64());
    }

    private static async Task<JsonElement> RunJsonAsync(TestAdminServer server, params string[] args)
    {
        var result = await Rbctl.RunAsync([.. args, "--output", "json", "--node", server.Address]);
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        return result.Json();
    }
}

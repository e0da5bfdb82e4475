using static RaftBalancer.Node.Tests.Admin.AdminTestKit;

namespace RaftBalancer.Node.Tests.Admin;

/// <summary>rbctl against the real cluster: every command's exit code and JSON, and node fall-through.</summary>
[Trait("Category", "Integration")]
[Collection(AdminClusterGroup.Name)]
public sealed class RbctlCommandTests(AdminCluster cluster)
{
    [Fact]
    public async Task EveryCommand_JsonOutput_ExitZeroWithTheDocumentedFields()
    {
        var node = cluster.Nodes[2];
        var status = await RbctlOn(node, "status", "--consistency", "linearizable");
        Assert.True(status.ExitCode == 0, status.ToString());
        var s = status.Json();
        Assert.Equal("status", s.GetProperty("command").GetString());
        Assert.Equal(node.AdminUrl, s.GetProperty("node").GetString()?.TrimEnd('/'));
        Assert.False(string.IsNullOrEmpty(s.GetProperty("leader_node_id").GetString()));
        var members = s.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(3, members.Count);
        Assert.Single(members, m => m.GetProperty("role").GetString() == "leader");
        Assert.Single(members, m => m.GetProperty("self").GetBoolean());
        Assert.All(members, m => Assert.False(m.GetProperty("stale").GetBoolean()));
        Assert.All(members.Where(m => !m.GetProperty("self").GetBoolean()), m => Assert.True(m.GetProperty("last_contact_ms_ago").GetInt64() >= 0));

        // The node's first health report reaches the store one probe after start; on a loaded box that can follow the fixture's readiness.
        RbctlResult list = null!;
        await Poll.UntilAsync(
            async () =>
            {
                list = await RbctlOn(node, "backends", "list");
                return list.ExitCode != 0 || list.Json().GetProperty("backends").EnumerateArray().Single(b => b.GetProperty("id").GetString() == "a").GetProperty("health").GetArrayLength() >= 1;
            },
            AdminCluster.Deadline,
            "a health report on backend a in the store");
        Assert.True(list.ExitCode == 0, list.ToString());
        var a = list.Json().GetProperty("backends").EnumerateArray().Single(b => b.GetProperty("id").GetString() == "a");
        Assert.Equal("routable", a.GetProperty("verdict_reason").GetString());
        Assert.Equal("closed", a.GetProperty("breaker").GetString());
        Assert.True(a.GetProperty("health").GetArrayLength() >= 1, list.ToString());
        Assert.True(a.GetProperty("active_by_node").EnumerateObject().Any(), list.ToString());

        var steps = new (string Command, string[] Args)[]
        {
            ("backends add", ["backends", "add", "--id", "c-cli", "--url", cluster.C.Url, "--weight", "2", "--metadata", "zone=z1"]),
            ("backends set-weight", ["backends", "set-weight", "--id", "c-cli", "--weight", "3"]),
            ("backends drain", ["backends", "drain", "--id", "c-cli"]),
            ("backends undrain", ["backends", "undrain", "--id", "c-cli"]),
            ("policy set", ["policy", "set", "--policy", "round-robin"]),
            ("policy set", ["policy", "set", "--policy", "weighted-round-robin"]),
            ("backends remove", ["backends", "remove", "--id", "c-cli"]),
        };
        foreach (var (command, args) in steps)
        {
            var run = await RbctlOn(node, args);
            Assert.True(run.ExitCode == 0, run.ToString());
            var json = run.Json();
            Assert.Equal(command, json.GetProperty("command").GetString());
            Assert.True(json.GetProperty("view_version").GetInt64() > 0, run.ToString());
            Assert.True(json.GetProperty("log_index").GetInt64() > 0, run.ToString());
            Assert.True(json.GetProperty("config_revision").GetInt64() > 0, run.ToString());
        }

        var table = await Rbctl.RunAsync("--node", node.AdminUrl, "backends", "list");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("a", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_DeadFirstAddress_FallsThroughToTheNext_AllDead_ExitThree()
    {
        var dead = "http://127.0.0.1:" + FreePorts.Next();
        var live = cluster.Nodes[1];
        var run = await Rbctl.RunAsync("--node", dead + "," + live.AdminUrl, "--token", AdminCluster.Token, "-o", "json", "--timeout", "5s", "backends", "list");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(live.AdminUrl, run.Json().GetProperty("node").GetString()?.TrimEnd('/'));

        var write = await Rbctl.RunAsync("--node", dead + "," + live.AdminUrl, "--token", AdminCluster.Token, "-o", "json", "backends", "undrain", "--id", "a");
        Assert.True(write.ExitCode == 0, write.ToString());

        var none = await Rbctl.RunAsync("--node", dead, "-o", "json", "--timeout", "2s", "status");
        Assert.Equal(3, none.ExitCode);
        Assert.Equal("unreachable", none.Json().GetProperty("error").GetProperty("kind").GetString());
    }
}

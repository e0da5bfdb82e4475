using System.Security.Cryptography;

namespace RaftBalancer.Node.Tests.Admin;

/// <summary>Small helpers shared by the admin tests.</summary>
internal static class AdminTestKit
{
    /// <summary>rbctl arguments against one node with the token and JSON output.</summary>
    public static string[] Args(ClusterMemberNode node, params string[] command) =>
        ["--node", node.AdminUrl, "--token", AdminCluster.Token, "-o", "json", .. command];

    public static Task<RbctlResult> RbctlOn(ClusterMemberNode node, params string[] command) => Rbctl.RunAsync(Args(node, command));

    /// <summary>The backend ids of <c>rbctl backends list --consistency linearizable</c> on one node.</summary>
    public static async Task<List<string>> ListIdsAsync(ClusterMemberNode node)
    {
        var run = await RbctlOn(node, "backends", "list", "--consistency", "linearizable");
        Assert.True(run.ExitCode == 0, run.ToString());
        return [.. run.Json().GetProperty("backends").EnumerateArray().Select(b => b.GetProperty("id").GetString()!)];
    }

    /// <summary>Each node's backend configs (id, url, weight, draining) as one comparable string.</summary>
    public static async Task<List<string>> ConfigsOnEveryNodeAsync(AdminCluster cluster)
    {
        var all = new List<string>();
        foreach (var node in cluster.Nodes)
        {
            var run = await RbctlOn(node, "backends", "list", "--consistency", "linearizable");
            Assert.True(run.ExitCode == 0, run.ToString());
            all.Add(node.Id + ": " + string.Join(", ", run.Json().GetProperty("backends").EnumerateArray().Select(Describe)));
        }

        return all;
    }

    /// <summary>The content hash as admin.proto documents it, computed independently of the node's code.</summary>
    public static string ContentHash(string policy, params (string Id, string Url, int Weight)[] routable)
    {
        var text = new StringBuilder("policy=" + policy + "\n");
        foreach (var (id, url, weight) in routable.OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            text.Append(id).Append(' ').Append(url).Append(' ').Append(weight).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Sends requests through a node's proxy and counts the backends that served them.</summary>
    public static async Task<Dictionary<string, int>> SplitAsync(ClusterMemberNode node, int requests)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < requests; i++)
        {
            var (status, backend) = await node.GetAsync("/split/" + i);
            Assert.Equal(200, status);
            counts[backend!] = counts.GetValueOrDefault(backend!) + 1;
        }

        return counts;
    }

    private static string Describe(JsonElement b) =>
        $"{b.GetProperty("id").GetString()}|{b.GetProperty("url").GetString()}|{b.GetProperty("weight").GetInt32()}|{b.GetProperty("draining").GetBoolean()}";
}

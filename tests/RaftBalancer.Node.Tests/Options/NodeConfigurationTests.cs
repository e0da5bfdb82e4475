using System.Diagnostics;
using System.Text.Json.Nodes;
using RaftBalancer.Node.Hosting;
using RaftBalancer.Node.Options;
using RaftBalancer.Node.Tests.Infrastructure;

namespace RaftBalancer.Node.Tests.Options;

[Trait("Category", "Unit")]
public sealed class NodeConfigurationTests
{
    [Fact]
    public async Task Build_UnknownPolicy_FailsNamingPolicy()
    {
        var config = NodeHost.Config("fastest-first", ("a", "http://127.0.0.1:1", 1));
        var ex = await BuildFails(config);
        Assert.Contains(ex.Errors, e => e.StartsWith("Node:Policy 'fastest-first' is unknown", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Build_NegativeInterval_FailsNamingInterval()
    {
        var config = NodeHost.Config("round-robin", ("a", "http://127.0.0.1:1", 1));
        config["HealthCheck"]!["Interval"] = "-00:00:01";
        config["Node"]!["LoadReportInterval"] = "-00:00:00.250";
        var ex = await BuildFails(config);
        Assert.Contains(ex.Errors, e => e.StartsWith("HealthCheck:Interval must be greater than zero", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("Node:LoadReportInterval must be greater than zero", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Build_NodeIdMissingFromMembers_FailsNamingId()
    {
        var config = NodeHost.Config("round-robin", ("a", "http://127.0.0.1:1", 1));
        config["Node"]!["Id"] = "node-9";
        config["Node"]!["Members"] = new JsonArray
        {
            new JsonObject { ["Id"] = "node-1", ["RaftUrl"] = "http://127.0.0.1:7201" },
            new JsonObject { ["Id"] = "node-2", ["RaftUrl"] = "http://127.0.0.1:7202" },
        };
        var ex = await BuildFails(config);
        Assert.Contains(ex.Errors, e => e.StartsWith("Node:Id 'node-9' is missing from Node:Members", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Build_MalformedFieldValue_FailsNamingTheKey()
    {
        var config = NodeHost.Config("round-robin", ("a", "http://127.0.0.1:1", 1));
        config["HealthCheck"]!["Timeout"] = "soon";
        var ex = await BuildFails(config);
        Assert.Contains("HealthCheck:Timeout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_MissingProxyUrlAndBadBackend_CollectsEveryError()
    {
        var config = NodeHost.Config("round-robin", ("a", "ftp://x", 1), ("a", "http://127.0.0.1:2", 5000));
        config["Node"]!.AsObject().Remove("ProxyUrl");
        var ex = await BuildFails(config);
        Assert.Contains(ex.Errors, e => e.StartsWith("Node:ProxyUrl is required", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("Node:Backends[0]:Url", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("Node:Backends[1]:Weight", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("Node:Backends[1]:Id 'a' is a duplicate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Build_MalformedJson_FailsNamingTheFile()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("rb-cfg-").FullName, "broken.json");
        File.WriteAllText(path, "{ \"Node\": { \"Id\": ");
        var ex = await Assert.ThrowsAsync<NodeConfigurationException>(() => NodeApp.BuildAsync(["--config", path]));
        Assert.Contains("broken.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ValidLocalConfig_NoErrors()
    {
        var options = new NodeOptions { Id = "n1", ProxyUrl = "http://127.0.0.1:1", AdminUrl = "http://127.0.0.1:2", StateStore = "local" };
        Assert.Empty(NodeOptionsValidator.Collect(options));
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Process_UnknownPolicy_ExitsNonZeroNamingTheField()
    {
        var config = NodeHost.Config("fastest-first", ("a", "http://127.0.0.1:1", 1));
        var path = Path.Combine(Directory.CreateTempSubdirectory("rb-cfg-").FullName, "node.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());

        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(RepoPaths.NodeDll);
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        try
        {
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(cts.Token);
            Assert.Equal(2, process.ExitCode);
            Assert.Contains("Node:Policy 'fastest-first' is unknown", await stderr, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private static async Task<NodeConfigurationException> BuildFails(JsonObject config)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("rb-cfg-").FullName, "node.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());
        return await Assert.ThrowsAsync<NodeConfigurationException>(() => NodeApp.BuildAsync(["--config", path]));
    }
}

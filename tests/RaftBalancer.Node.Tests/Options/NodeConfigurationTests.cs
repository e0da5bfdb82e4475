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

    /// <summary>The real node process refuses a bad configuration: exit code 2, and stderr names the bad field.</summary>
    /// <param name="bad">Which bad input: in the file, or a <c>RAFTBALANCER_</c> variable overriding a good file.</param>
    /// <param name="message">What stderr must say.</param>
    [Theory]
    [Trait("Category", "Integration")]
    [InlineData("unknown-policy", "Node:Policy 'fastest-first' is unknown")]
    [InlineData("negative-interval", "HealthCheck:Interval must be greater than zero")]
    [InlineData("id-missing-from-members", "Node:Id 'node-9' is missing from Node:Members")]
    [InlineData("unknown-policy-from-environment", "Node:Policy 'fastest-first' is unknown")]
    public async Task Process_BadConfig_ExitsWithCode2NamingTheField(string bad, string message)
    {
        var config = NodeHost.Config("round-robin", ("a", "http://127.0.0.1:1", 1));
        var environment = new Dictionary<string, string>();
        switch (bad)
        {
            case "unknown-policy":
                config["Node"]!["Policy"] = "fastest-first";
                break;
            case "negative-interval":
                config["HealthCheck"]!["Interval"] = "-00:00:01";
                break;
            case "id-missing-from-members":
                config["Node"]!["Id"] = "node-9";
                config["Node"]!["Members"] = new JsonArray
                {
                    new JsonObject { ["Id"] = "node-1", ["RaftUrl"] = "http://127.0.0.1:7201" },
                    new JsonObject { ["Id"] = "node-2", ["RaftUrl"] = "http://127.0.0.1:7202" },
                };
                break;
            case "unknown-policy-from-environment":
                environment[NodeApp.EnvironmentPrefix + "Node__Policy"] = "fastest-first";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(bad), bad, null);
        }

        using var process = await StartProcessAsync(config, environment);
        try
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(cts.Token);
            var errors = await stderr;
            Assert.True(process.ExitCode == 2, $"exit code {process.ExitCode}; stderr: {errors}; stdout: {await stdout}");
            Assert.Contains(message, errors, StringComparison.Ordinal);
        }
        finally
        {
            Kill(process);
        }
    }

    /// <summary>A <c>RAFTBALANCER_</c>-prefixed environment variable overrides the value in the config file.</summary>
    [Fact]
    [Trait("Category", "Integration")]
    public async Task Process_PrefixedEnvironmentVariable_OverridesTheConfigFileValue()
    {
        var config = NodeHost.Config("round-robin", ("a", "http://127.0.0.1:1", 1));
        var environment = new Dictionary<string, string> { [NodeApp.EnvironmentPrefix + "Node__Policy"] = "least-connections" };
        using var process = await StartProcessAsync(config, environment);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var admin = new HttpClient
        {
            BaseAddress = new Uri((string)config["Node"]!["AdminUrl"]!),
            Timeout = TimeSpan.FromSeconds(5),
            DefaultRequestVersion = System.Net.HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        try
        {
            var json = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
            RaftBalancer.Node.Admin.NodeStatus? status = null;
            await Poll.UntilAsync(
                async () =>
                {
                    if (process.HasExited)
                    {
                        Assert.Fail($"the node exited with code {process.ExitCode}: {await stderr} {await stdout}");
                    }

                    try
                    {
                        status = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<RaftBalancer.Node.Admin.NodeStatus>(admin, "/-/status", json);
                    }
                    catch (TaskCanceledException)
                    {
                        return false;
                    }

                    return status is { ViewVersion: > 0 };
                },
                TimeSpan.FromSeconds(60),
                "the node's status with a routing view");
            Assert.Equal("least-connections", status!.Policy);
        }
        finally
        {
            Kill(process);
        }
    }

    /// <summary>Starts <c>dotnet RaftBalancer.Node.dll --config file</c> with extra environment variables; the caller kills it.</summary>
    private static async Task<Process> StartProcessAsync(JsonObject config, Dictionary<string, string> environment)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("rb-cfg-").FullName, "node.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(RepoPaths.NodeDll);
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(path);
        start.Environment["DOTNET_gcServer"] = "0";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }

    private static void Kill(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
    }

    private static async Task<NodeConfigurationException> BuildFails(JsonObject config)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("rb-cfg-").FullName, "node.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());
        return await Assert.ThrowsAsync<NodeConfigurationException>(() => NodeApp.BuildAsync(["--config", path]));
    }
}

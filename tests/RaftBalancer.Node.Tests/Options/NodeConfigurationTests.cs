namespace RaftBalancer.Node.Tests.Options;

[Trait("Category", "Unit")]
public sealed class NodeConfigurationTests
{
    [Fact]
    public async Task Build_UnknownPolicy_FailsNamingPolicy()
    {
        var config = NodeHost.Config("fastest-first", ("a", "http://127.0.0.1:1", 1));
        await BuildFailsNaming(config, "Node:Policy 'fastest-first' is unknown");
    }

    [Fact]
    public async Task Build_NegativeInterval_FailsNamingInterval()
    {
        var config = NodeHost.Config("round-robin", ("a", "http://127.0.0.1:1", 1));
        config["HealthCheck"]!["Interval"] = "-00:00:01";
        config["Node"]!["LoadReportInterval"] = "-00:00:00.250";
        await BuildFailsNaming(config, "HealthCheck:Interval must be greater than zero", "Node:LoadReportInterval must be greater than zero");
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
        await BuildFailsNaming(config, "Node:Id 'node-9' is missing from Node:Members");
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
        await BuildFailsNaming(
            config,
            "Node:ProxyUrl is required",
            "Node:Backends[0]:Url",
            "Node:Backends[1]:Weight",
            "Node:Backends[1]:Id 'a' is a duplicate");
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
        var environment = new Dictionary<string, string?>();
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

        using var process = await NodeProcess.StartAsync(config, environment);
        await NodeProcess.AssertExitsWithCode2Async(process, message);
    }

    /// <summary>A <c>RAFTBALANCER_</c>-prefixed environment variable overrides the value in the config file.</summary>
    [Fact]
    [Trait("Category", "Integration")]
    public async Task Process_PrefixedEnvironmentVariable_OverridesTheConfigFileValue()
    {
        var config = NodeHost.Config("round-robin", ("a", "http://127.0.0.1:1", 1));
        var environment = new Dictionary<string, string?> { [NodeApp.EnvironmentPrefix + "Node__Policy"] = "least-connections" };
        using var process = await NodeProcess.StartAsync(config, environment);
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
            NodeProcess.Kill(process);
        }
    }

    /// <summary>Building a node from <paramref name="config"/> fails, and for each prefix one of the errors starts with it.</summary>
    private static async Task BuildFailsNaming(JsonObject config, params string[] errorPrefixes)
    {
        var ex = await BuildFails(config);
        foreach (var prefix in errorPrefixes)
        {
            Assert.Contains(ex.Errors, e => e.StartsWith(prefix, StringComparison.Ordinal));
        }
    }

    private static async Task<NodeConfigurationException> BuildFails(JsonObject config)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("rb-cfg-").FullName, "node.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());
        return await Assert.ThrowsAsync<NodeConfigurationException>(() => NodeApp.BuildAsync(["--config", path]));
    }
}

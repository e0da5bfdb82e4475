namespace RaftBalancer.Node.Tests.Cluster;

/// <summary>Generates a node's JSON configuration for a loopback Raft cluster (the same shape as <c>cluster-configs/local-3</c>).</summary>
internal static class ClusterConfig
{
    /// <summary>The response header that names the serving backend in test clusters.</summary>
    public const string BackendHeader = "X-RaftBalancer-Backend";

    /// <summary>Builds one node's configuration.</summary>
    /// <param name="options">Policy and timings.</param>
    /// <param name="members">Every member, this node included.</param>
    /// <param name="self">This node.</param>
    /// <param name="dataDir">The Raft data directory (absolute, or relative to the config file).</param>
    /// <param name="backends">The initial backends.</param>
    /// <returns>The configuration; <see cref="TestClusterOptions.Configure"/> has been applied.</returns>
    public static JsonObject Build(TestClusterOptions options, IReadOnlyList<NodeEndpoints> members, NodeEndpoints self, string dataDir, IReadOnlyList<(string Id, string Url)> backends)
    {
        var memberList = new JsonArray();
        foreach (var m in members)
        {
            memberList.Add(new JsonObject
            {
                ["Id"] = m.Id,
                ["ProxyUrl"] = m.ProxyUrl,
                ["AdminUrl"] = m.AdminUrl,
                ["RaftUrl"] = m.RaftUrl,
                ["ForwardUrl"] = m.ForwardUrl,
            });
        }

        var backendList = new JsonArray();
        foreach (var (id, url) in backends)
        {
            backendList.Add(new JsonObject { ["Id"] = id, ["Url"] = url, ["Weight"] = 1 });
        }

        var config = new JsonObject
        {
            ["Node"] = new JsonObject
            {
                ["Id"] = self.Id,
                ["ProxyUrl"] = self.ProxyUrl,
                ["AdminUrl"] = self.AdminUrl,
                ["OpsUrl"] = self.OpsUrl,
                ["RaftUrl"] = self.RaftUrl,
                ["DataDir"] = dataDir,
                ["StateStore"] = "raft",
                ["Members"] = memberList,
                ["Policy"] = options.Policy,
                ["LoadReportInterval"] = "00:00:00.100",
                ["BackendHeader"] = BackendHeader,
                ["Backends"] = backendList,
            },
            ["HealthCheck"] = new JsonObject
            {
                ["Endpoint"] = "/-/ready",
                ["Interval"] = Span(options.HealthInterval),
                ["Timeout"] = Span(options.HealthTimeout),
                ["Jitter"] = Span(options.HealthInterval / 10),
                ["FailureThreshold"] = options.FailureThreshold,
                ["SuccessThreshold"] = 1,
            },
            ["CircuitBreaker"] = new JsonObject
            {
                ["MinRequestsToTrip"] = 3,
                ["OpenTimeout"] = "00:00:01",
            },
            ["State"] = new JsonObject
            {
                ["Raft"] = new JsonObject
                {
                    ["ElectionTimeoutLower"] = Span(options.ElectionTimeoutLower),
                    ["ElectionTimeoutUpper"] = Span(options.ElectionTimeoutUpper),
                    ["RequestTimeout"] = "00:00:02",
                },
            },
            // In-process nodes log into the test run's console: errors only. Processes keep warnings for failure messages.
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = options.Mode == NodeMode.Process ? "Warning" : "Error" } },
        };
        options.Configure?.Invoke(self.Id, config);
        return config;
    }

    private static string Span(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
